/**
 * The registry of emulated services. The server asks each module in this order whether it serves
 * a request; the first that does handles it.
 *
 * Adding a service (DCS, Alibaba MSE):
 * 1. write `emulator/<cloud>/<service>/` with routes, handlers, models and errors, ending in a
 *    factory that returns a {@link ServiceModule} (see `huawei/sms/index.ts`);
 * 2. Huawei services reuse `huawei` below (gateway auth, APIGW envelope) and call
 *    `dialect.registerServerError(service, code, message)` for their HTTP 500 code; Alibaba
 *    services bring a new {@link Dialect} (RPC signature v1/v3, `{RequestId, Code, Message}`);
 * 3. list the factory in {@link createServiceModules}, add its environment variables to
 *    `env.ts`, and its section to emulator/README.md.
 * Faults, the request log, persistence and the control plane then apply to it unchanged.
 */
import type { Dialect, ModuleContext, ServiceModule } from "./core/types";
import { HuaweiDialect } from "./huawei/dialect";
import { createIamModule } from "./huawei/iam/routes";
import { HuaweiIdentity } from "./huawei/identity";
import type { SmsDurations } from "./huawei/sms";
import { createSmsModule } from "./huawei/sms";
import type { DcsDurations } from "./huawei/dcs";
import { createDcsModule } from "./huawei/dcs";
import { AlibabaDialect } from "./alibaba/dialect";
import { createMseModule } from "./alibaba/mse";

/** Per-service options given at start. */
export interface ServiceOptions {
  sms?: { durations?: Partial<SmsDurations> };
  dcs?: { durations?: Partial<DcsDurations> };
}

/** The modules of one emulator instance, and the dialect that answers unknown routes. */
export interface ServiceSet {
  modules: ServiceModule[];
  /** Renders the 404 of a request no module serves (Huawei `APIGW.0101`). */
  fallbackDialect: Dialect;
}

/** Creates every module, sharing what services of one cloud share (identity, gateway). */
export function createServiceModules(ctx: ModuleContext, opts: ServiceOptions = {}): ServiceSet {
  const identity = new HuaweiIdentity();
  // Signatures are checked against the real clock the emulator's time runs on (a virtual one in
  // measurements), never against emulator time.
  const wall = () => new Date(ctx.clock.wallNow());
  const huawei = new HuaweiDialect(identity, wall);
  const modules: ServiceModule[] = [
    // IAM first: it owns the identity store the gateway checks callers against.
    createIamModule(ctx, identity, huawei),
    createSmsModule(ctx, huawei, opts.sms),
    // DCS (`/v2/{project_id}/...`), on the same `huawei` dialect.
    createDcsModule(ctx, huawei, opts.dcs),
    // Alibaba MSE (`POST /` dispatched on `Action`), with its own gateway dialect.
    createMseModule(ctx, new AlibabaDialect(wall)),
  ];
  return { modules, fallbackDialect: huawei };
}
