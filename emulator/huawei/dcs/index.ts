/** The DCS data-migration module: backend, URL table, control-plane hooks and persistence. */
import { parseOrThrow, restResolver } from "../../core/rest";
import type { ModuleContext, SeedName, ServiceModule } from "../../core/types";
import type { HuaweiDialect } from "../dialect";
import { DcsConfig, DcsForceState, DcsSeed } from "./control";
import { demoBackups, demoBuckets, demoInstances, demoNetworks, demoSelfBuilt } from "./demo";
import { dcsErrors } from "./errors";
import { dcsHandlers, dcsRoutes } from "./handlers";
import type { DcsDurations, DcsSnapshot, DcsTaskRecord } from "./models";
import { DcsBackend, passwordDigest } from "./models";

export { dcsDemoIds } from "./demo";
export { DEFAULT_DCS_DURATIONS as dcsDefaultDurations } from "./models";
export type { DcsDurations } from "./models";

/** Options of the DCS module. */
export interface DcsModuleOptions {
  /** Lifecycle durations overriding the defaults (emulator seconds). */
  durations?: Partial<DcsDurations>;
}

function emptySnapshot(): DcsSnapshot {
  return { instances: [], selfBuilt: [], networks: [], buckets: [], backups: [], jobs: [], tasks: [] };
}

/** Creates the DCS module behind the Huawei gateway dialect shared with IAM and SMS. */
export function createDcsModule(
  _ctx: ModuleContext,
  dialect: HuaweiDialect,
  opts: DcsModuleOptions = {},
): ServiceModule {
  const backend = new DcsBackend();
  backend.durations = { ...backend.durations, ...opts.durations };
  dialect.registerServerError("dcs", "DCS.5000", "Internal service error");
  const resolve = restResolver(
    {
      service: "dcs",
      dialect,
      validationError: dcsErrors.validation,
      internalError: dcsErrors.internal,
    },
    dcsRoutes(dcsHandlers(backend)),
  );

  const reset = (seed: SeedName) => {
    backend.load(
      seed === "demo"
        ? {
            ...emptySnapshot(),
            instances: demoInstances(),
            selfBuilt: demoSelfBuilt(),
            networks: demoNetworks(),
            buckets: demoBuckets(),
            backups: demoBackups(),
          }
        : emptySnapshot(),
    );
  };

  return {
    name: "dcs",
    resolve,
    reset,
    seed(data, now) {
      const s = parseOrThrow(DcsSeed, data, "dcs seed");
      const t = now.getTime();
      for (const i of s.instances) {
        const { password, ...rest } = i;
        backend.instances.set(i.id, {
          ...rest,
          password_sha256: password ? passwordDigest(password) : undefined,
        });
      }
      for (const x of s.self_built)
        backend.selfBuilt.set(x.address, {
          address: x.address,
          keys: x.keys,
          password_sha256: x.password ? passwordDigest(x.password) : undefined,
        });
      for (const n of s.networks) backend.networks.set(n.vpc_id, { ...n });
      for (const bk of s.buckets) backend.buckets.set(bk.name, { ...bk });
      for (const r of s.backups) backend.backups.set(r.id, { ...r });
      for (const st of s.tasks) {
        const created = st.created_at ? Date.parse(st.created_at) : t;
        const task: DcsTaskRecord = {
          id: st.id,
          project_id: st.project_id,
          name: st.name,
          description: st.description,
          type: st.type,
          method: st.method,
          resume_mode: st.resume_mode,
          bandwidth_limit_mb: null,
          ecs_ip: st.ecs_ip,
          status: st.status,
          phase: { kind: "idle" },
          frozenProgress: st.status === "SUCCESS" || st.status === "INCRMIGEATING" ? 100 : 0,
          error_message: st.error_message,
          source:
            st.source_instance_id || st.source_address
              ? { id: st.source_instance_id, addrs: st.source_address }
              : null,
          target:
            st.target_instance_id || st.target_address
              ? { id: st.target_instance_id, addrs: st.target_address }
              : null,
          backup_files: null,
          ip_switch: null,
          created_at: created,
          updated_at: created,
          released_at: null,
          logs: [],
        };
        backend.tasks.set(task.id, task);
      }
    },
    forceState(cmd, now) {
      const c = parseOrThrow(DcsForceState, cmd, "dcs force-state");
      const t = now.getTime();
      backend.settleAll(t);
      const task = backend.tasks.get(c.id);
      if (!task) throw new Error(`invalid dcs force-state: no task ${c.id}`);
      if (c.delete) {
        backend.tasks.delete(c.id);
        return;
      }
      if (c.status === undefined && c.ip_switch_status === undefined)
        throw new Error("invalid dcs force-state: give status, ip_switch_status or delete");
      backend.force(task, t, c);
    },
    configure(cfg) {
      const c = parseOrThrow(DcsConfig, cfg, "dcs config");
      backend.durations = { ...backend.durations, ...c.durations };
    },
    config: () => ({ durations: { ...backend.durations } }),
    dump(now) {
      const t = now.getTime();
      backend.settleAll(t);
      return {
        durations: backend.durations,
        // Digests are not secrets, but a dump is for people: say whether a password is set.
        instances: [...backend.instances.values()].map(({ password_sha256, ...i }) => ({
          ...i,
          password: password_sha256 ? "(set)" : "(none)",
        })),
        selfBuilt: [...backend.selfBuilt.values()].map(({ password_sha256, ...i }) => ({
          ...i,
          password: password_sha256 ? "(set)" : "(none)",
        })),
        networks: [...backend.networks.values()],
        buckets: [...backend.buckets.values()],
        backups: [...backend.backups.values()],
        tasks: [...backend.tasks.values()].map((x) => ({
          ...backend.renderTask(x),
          deleted: x.deleted_at !== undefined,
          full_migration_progress: backend.progressOf(x, t),
        })),
      };
    },
    snapshot: () => ({ state: backend.snapshot(), durations: backend.durations }),
    restore(data) {
      const d = data as { state: DcsSnapshot; durations?: DcsDurations };
      backend.load(d.state);
      if (d.durations) backend.durations = { ...backend.durations, ...d.durations };
    },
  };
}
