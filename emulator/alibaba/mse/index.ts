/**
 * The Alibaba Cloud MSE module: `POST /` (or `GET /`) dispatched on `Action` and `Version`,
 * parameters from the query or a form body, behind the {@link AlibabaDialect} gateway.
 */
import { z } from "zod";
import { mse, MSE_API_VERSION } from "../../../sdk/alibaba/mse/contract";
import type { RpcOperation } from "../../../sdk/alibaba/contract";
import { describeIssues, parseOrThrow } from "../../core/rest";
import type {
  CallContext,
  EmulatorRequest,
  ModuleContext,
  Reply,
  RouteMatch,
  SeedName,
  ServiceModule,
} from "../../core/types";
import type { AlibabaDialect } from "../dialect";
import { actionOf, businessParams, popError } from "../dialect";
import { demoState, emptyState } from "./demo";
import type { MseSnapshot, TaskFields } from "./models";
import { invalidParameter, MseBackend } from "./models";

export { mseDemoIds } from "./demo";

/** Page size of a ListMigrationTask without `PageSize` (the API reference's example value). */
export const MSE_DEFAULT_PAGE_SIZE = 10;

/**
 * The most one ListMigrationTask page holds unless configured otherwise. The API reference gives
 * no maximum for this call; 100 is the ceiling of MSE's other list calls [INF].
 */
export const MSE_MAX_PAGE_SIZE = 100;

const ok = { Success: true, ErrorCode: "mse-100-000", Message: "The request was successfully processed." };
/** The success message with `AcceptLanguage=zh` [INF: the wording of the Chinese console]. */
const OK_MESSAGE_ZH = "请求处理成功。";

const TaskSeed = z
  .object({
    id: z.number().int().min(1).optional(),
    clusterType: z.enum(["Nacos-Ans", "ZooKeeper", "Eureka"]),
    originInstanceAddress: z.string().min(1),
    originInstanceName: z.string().min(1),
    originInstanceNamespace: z.string().optional(),
    targetInstanceId: z.string().min(1),
    targetClusterName: z.string().optional(),
    targetClusterUrl: z.string().optional(),
    projectDesc: z.string().optional(),
    syncType: z.string().optional(),
  })
  .strict();

/** `POST /_emulator/seed` under `mse`: target instances and tasks. */
export const MseSeed = z
  .object({
    instances: z
      .array(
        z
          .object({
            instanceId: z.string().regex(/^mse-/),
            name: z.string().min(1),
            clusterType: z.enum(["Nacos-Ans", "ZooKeeper", "Eureka"]),
            region: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    tasks: z.array(TaskSeed).default([]),
  })
  .strict();

/** `POST /_emulator/force-state` with `service: "mse"`: change or delete a task out of band. */
export const MseForceState = z
  .object({
    service: z.literal("mse"),
    kind: z.literal("task"),
    id: z.union([z.number().int(), z.string()]),
    delete: z.boolean().optional(),
    fields: TaskSeed.partial().omit({ id: true }).optional(),
  })
  .strict();

/** `POST /_emulator/config` under `mse`. */
/** `pageSize`: the most one page holds (default {@link MSE_MAX_PAGE_SIZE}). */
export const MseConfig = z.object({ pageSize: z.number().int().min(1).max(500).optional() }).strict();

/** camelCase seed fields to the wire names the backend takes. */
function wireFields(s: Partial<z.output<typeof TaskSeed>>): TaskFields {
  return {
    ClusterType: s.clusterType,
    OriginInstanceAddress: s.originInstanceAddress,
    OriginInstanceName: s.originInstanceName,
    OriginInstanceNamespace: s.originInstanceNamespace,
    TargetInstanceId: s.targetInstanceId,
    TargetClusterName: s.targetClusterName,
    TargetClusterUrl: s.targetClusterUrl,
    ProjectDesc: s.projectDesc,
    SyncType: s.syncType as TaskFields["SyncType"],
  };
}

/**
 * The parameters every operation takes are honoured or refused, never dropped: `RequestPars` must
 * be the JSON object the documents describe (its keys have no documented effect on these
 * operations); `AcceptLanguage` picks the language of the success message (`zh` or `en`; error
 * messages exist in English only), and any other value is refused.
 */
function checkCommonParams(p: { RequestPars?: string; AcceptLanguage?: string }): void {
  if (p.RequestPars !== undefined && p.RequestPars !== "") {
    let v: unknown;
    try {
      v = JSON.parse(p.RequestPars);
    } catch {
      v = undefined;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v))
      throw invalidParameter("RequestPars: must be a JSON object, e.g. {}");
  }
  if (p.AcceptLanguage !== undefined && p.AcceptLanguage !== "" && !["en", "zh"].includes(p.AcceptLanguage))
    throw invalidParameter(`AcceptLanguage: ${p.AcceptLanguage} is not emulated (zh or en)`);
}

/** Creates the MSE module behind the Alibaba gateway dialect. */
export function createMseModule(_ctx: ModuleContext, dialect: AlibabaDialect): ServiceModule {
  const backend = new MseBackend();
  let pageSize = MSE_MAX_PAGE_SIZE;

  /** The operation's parameters, validated with the shared contract. */
  const params = <O extends RpcOperation>(op: O, call: CallContext): z.output<O["params"]> => {
    const r = (op.params as z.ZodType).safeParse(businessParams(call.req));
    if (!r.success) throw invalidParameter(describeIssues(r.error.issues));
    checkCommonParams(r.data as { RequestPars?: string; AcceptLanguage?: string });
    return r.data as z.output<O["params"]>;
  };
  const reply = (json: Record<string, unknown>, call: CallContext): Reply => ({
    status: 200,
    headers: { "x-acs-request-id": call.req.requestId },
    json: {
      RequestId: call.req.requestId,
      ...json,
      ...(businessParams(call.req).AcceptLanguage === "zh" ? { Message: OK_MESSAGE_ZH } : {}),
    },
  });

  const handlers: Record<string, { mutates: boolean; run: (call: CallContext) => Reply }> = {
    [mse.addMigrationTask.name]: {
      mutates: true,
      run: (call) => {
        const p = params(mse.addMigrationTask, call);
        const t = backend.add(p, call.now.getTime());
        const { GmtCreate: _c, GmtModified: _m, ...data } = backend.render(t);
        // Add's answer has neither HttpCode nor the times (docs/alibaba-mse.md).
        return reply({ ...ok, Data: data }, call);
      },
    },
    [mse.updateMigrationTask.name]: {
      mutates: true,
      run: (call) => {
        const { Id, ...p } = params(mse.updateMigrationTask, call);
        const t = backend.update(Id, p, call.now.getTime());
        return reply({ HttpCode: "200", ...ok, Data: backend.render(t) }, call);
      },
    },
    [mse.deleteMigrationTask.name]: {
      mutates: true,
      run: (call) => {
        backend.delete(params(mse.deleteMigrationTask, call).Id);
        return reply({ HttpCode: "200", ...ok, Data: true }, call);
      },
    },
    [mse.listMigrationTask.name]: {
      mutates: false,
      run: (call) => {
        const p = params(mse.listMigrationTask, call);
        const page = p.PageNum ?? 1;
        // The service caps the page size: clients that stop on a short page lose tasks.
        const size = Math.min(p.PageSize ?? MSE_DEFAULT_PAGE_SIZE, pageSize);
        const all = backend.list(p.OriginInstanceName);
        const items = all.slice((page - 1) * size, page * size).map((t) => backend.renderListItem(t));
        return reply(
          { HttpCode: "200", ...ok, PageNumber: page, PageSize: size, TotalCount: all.length, Data: items },
          call,
        );
      },
    },
  };

  const resolve = (req: EmulatorRequest): RouteMatch | undefined => {
    if (req.path !== "/" || (req.method !== "POST" && req.method !== "GET")) return undefined;
    const { action, version } = actionOf(req);
    if (action === undefined) return undefined;
    const h = handlers[action];
    return {
      service: "mse",
      operation: h ? action : "unknown",
      dialect,
      anonymous: false,
      mutates: h?.mutates ?? false,
      invoke: (call) => {
        if (!h) throw dialect.notFound(req);
        if (version !== MSE_API_VERSION)
          throw popError(
            "InvalidVersion",
            "Specified parameter Version is not valid.",
            400,
            `version ${version}`,
          );
        return h.run(call);
      },
    };
  };

  const reset = (seed: SeedName) => backend.load(seed === "demo" ? demoState() : emptyState());

  return {
    name: "mse",
    resolve,
    reset,
    seed(data, now) {
      const s = parseOrThrow(MseSeed, data, "mse seed");
      const before = backend.snapshot();
      try {
        for (const i of s.instances) backend.instances.set(i.instanceId, { ...i });
        for (const t of s.tasks) backend.add(wireFields(t), now.getTime(), t.id);
      } catch (e) {
        backend.load(before);
        throw new Error(`invalid mse seed: ${(e as Error).message}`);
      }
    },
    forceState(cmd, now) {
      const c = parseOrThrow(MseForceState, cmd, "mse force-state");
      const id = String(c.id);
      try {
        if (c.delete) backend.delete(id);
        else if (c.fields) backend.update(id, wireFields(c.fields), now.getTime());
        else throw new Error("give delete or fields");
      } catch (e) {
        throw new Error(`invalid mse force-state: ${(e as Error).message}`);
      }
    },
    configure(cfg) {
      const c = parseOrThrow(MseConfig, cfg, "mse config");
      if (c.pageSize !== undefined) pageSize = c.pageSize;
    },
    config: () => ({ pageSize }),
    dump: () => ({
      pageSize,
      instances: [...backend.instances.values()],
      tasks: backend.list(undefined).map((t) => backend.render(t)),
    }),
    snapshot: () => ({ state: backend.snapshot(), pageSize }),
    restore(data) {
      const d = data as { state: MseSnapshot; pageSize?: number };
      backend.load(d.state);
      if (d.pageSize) pageSize = d.pageSize;
    },
  };
}
