/** The SMS service module: backend, URL table, control-plane hooks and persistence. */
import { parseOrThrow, restResolver } from "../../core/rest";
import type { ModuleContext, SeedName, ServiceModule } from "../../core/types";
import type { HuaweiDialect } from "../dialect";
import { header } from "../dialect";
import { SmsConfig, SmsForceState, SmsSeed, defaultDisks } from "./control";
import { demoSources, demoTargets, demoTemplates } from "./demo";
import { smsErrors } from "./errors";
import { smsHandlers } from "./handlers";
import type { Durations, SmsSnapshot } from "./models";
import { SmsBackend } from "./models";
import { smsRoutes } from "./routes";

export { smsDemoIds } from "./demo";
export { DEFAULT_DURATIONS as smsDefaultDurations } from "./models";
export type { Durations as SmsDurations } from "./models";

/** Options of the SMS module. */
export interface SmsModuleOptions {
  /** Lifecycle durations overriding the defaults (emulator seconds). */
  durations?: Partial<Durations>;
}

/** Creates the SMS module behind the Huawei gateway dialect. */
export function createSmsModule(
  _ctx: ModuleContext,
  dialect: HuaweiDialect,
  opts: SmsModuleOptions = {},
): ServiceModule {
  const backend = new SmsBackend();
  backend.durations = { ...backend.durations, ...opts.durations };
  dialect.registerServerError("sms", "SMS.2007", "Background exception");
  const resolve = restResolver(
    {
      service: "sms",
      dialect,
      validationError: smsErrors.validation,
      internalError: smsErrors.internal,
      checkBodyRequest: (req) => {
        if ((req.body ?? "").trim() === "") return undefined;
        const ct = header(req, "content-type");
        if (ct === undefined || ct.trim() === "") return smsErrors.contentTypeMissing();
        return /^application\/json\s*(;|$)/i.test(ct.trim()) ? undefined : smsErrors.contentTypeInvalid();
      },
    },
    smsRoutes(smsHandlers(backend)),
  );

  const reset = (seed: SeedName) => {
    backend.load(
      seed === "demo"
        ? { sources: demoSources(), targets: demoTargets(), templates: demoTemplates() }
        : { sources: [], targets: [], templates: [] },
    );
  };

  return {
    name: "sms",
    resolve,
    reset,
    seed(data, now) {
      const s = parseOrThrow(SmsSeed, data, "sms seed");
      const before = backend.snapshot();
      const t = now.getTime();
      try {
        for (const src of s.source_servers) {
          backend.sources.set(src.id, {
            ...src,
            hostname: src.hostname ?? src.name,
            os_version:
              src.os_version ?? (src.os_type === "LINUX" ? "CENTOS_7_9_64BIT" : "WINDOWS2019_64BIT"),
            add_date: t,
            disks: src.disks ?? defaultDisks(src.os_type),
          });
        }
        for (const vm of s.target_servers) backend.targets.set(vm.id, { ...vm });
        for (const tpl of s.templates) backend.templates.set(tpl.id, { ...tpl });
        for (const st of s.tasks) {
          const task = backend.createTask(
            {
              name: st.name,
              type: st.type,
              source_server: { id: st.source_server_id },
              target_server: { name: st.target_name ?? "", vm_id: st.target_vm_id ?? "" },
              vm_template_id: st.vm_template_id,
              region_name: st.region_name,
              region_id: st.region_id,
              project_name: st.project_name,
              project_id: st.project_id,
              syncing: st.syncing,
              is_need_consistency_check: st.is_need_consistency_check,
              need_migration_test: st.need_migration_test,
              start_target_server: st.start_target_server,
              priority: st.priority,
              speed_limit: st.speed_limit,
            },
            t,
            st.id,
          );
          if (st.state !== "READY" || st.progress !== undefined || st.error_json !== undefined) {
            backend.forceTaskState(task, st.state, t, { progress: st.progress, error_json: st.error_json });
          }
        }
      } catch (e) {
        backend.load(before);
        throw e;
      }
    },
    forceState(cmd, now) {
      const c = parseOrThrow(SmsForceState, cmd, "sms force-state");
      const t = now.getTime();
      backend.settleAll(t);
      if (c.kind === "task") {
        if (c.delete) return backend.removeTask(c.id);
        const task = backend.getTask(c.id, t);
        if (c.state === undefined) throw new Error("invalid sms force-state: give state or delete");
        backend.forceTaskState(task, c.state, t, { error_json: c.error_json, progress: c.progress });
      } else {
        const src = backend.getSource(c.id, t);
        if (c.connected !== undefined) src.connected = c.connected;
        const forced = { ...src.forced };
        if (c.state !== undefined) forced.state = c.state ?? undefined;
        if (c.migration_cycle !== undefined) forced.migration_cycle = c.migration_cycle ?? undefined;
        src.forced = forced.state === undefined && forced.migration_cycle === undefined ? undefined : forced;
      }
    },
    configure(cfg) {
      const c = parseOrThrow(SmsConfig, cfg, "sms config");
      backend.durations = { ...backend.durations, ...c.durations };
    },
    config: () => ({ durations: { ...backend.durations } }),
    dump(now) {
      const t = now.getTime();
      backend.settleAll(t);
      return {
        durations: backend.durations,
        sources: [...backend.sources.values()].map((s) => backend.renderSource(s, t)),
        targetServers: [...backend.targets.values()],
        templates: [...backend.templates.values()],
        tasks: [...backend.tasks.values()].map((x) => backend.renderTask(x, t)),
      };
    },
    snapshot: () => ({ state: backend.snapshot(), durations: backend.durations }),
    restore(data) {
      const d = data as { state: SmsSnapshot; durations?: Durations };
      backend.load(d.state);
      if (d.durations) backend.durations = { ...backend.durations, ...d.durations };
    },
  };
}
