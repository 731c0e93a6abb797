/**
 * The declared lifecycle of a DCS migration task and how the API gets there from whatever the
 * cloud reports (docs/huawei-dcs.md). Pure functions: the provider feeds them
 * observations and performs the step they return.
 */
import type { DcsDeclaredState } from "./schema";

/** What the cloud reports, as far as the lifecycle is concerned. */
export interface DcsObserved {
  kind: "online" | "backup";
  /** The task `status`. */
  status: string;
  /** `incremental_migration` or `full_amount_migration`; absent before the first configure. */
  method?: string;
  /** The migration ECS exists (online tasks answer RUNNING while it is being created too). */
  ecsReady: boolean;
}

/** Actions the provider can take. */
export type DcsAction = "configure" | "restart" | "stop";

/** The next step towards a declared state. */
export type DcsStep =
  | { kind: "done" }
  | { kind: "act"; action: DcsAction; why: string }
  | { kind: "wait"; why: string }
  | { kind: "impossible"; reason: string }
  | { kind: "failed"; reason: string };

/** Statuses in which data is moving. */
export const MIGRATING = new Set(["FULLMIGRATING", "INCRMIGEATING", "MIGRATING"]);
const FAILED = new Set(["FAILED", "MIGRATION_FAILED"]);
const GONE = new Set(["RELEASED", "DELETED"]);

/**
 * Whether the observed task is in the declared state, counting a migration still in progress
 * as running: refresh must not report drift for a task that is simply not finished.
 */
export function inDeclaredState(declared: DcsDeclaredState, o: DcsObserved): boolean {
  if (declared === "running") return MIGRATING.has(o.status) || o.status === "SUCCESS";
  return !MIGRATING.has(o.status) && o.status !== "TERMINATING";
}

/** Whether the declared state is reached and settled, so a wait can end. */
export function settled(declared: DcsDeclaredState, o: DcsObserved): boolean {
  if (declared === "stopped") return inDeclaredState("stopped", o);
  if (o.status === "SUCCESS") return true;
  // An incremental migration runs until stopped: INCRMIGEATING (the API's spelling) is its goal.
  return o.status === "INCRMIGEATING";
}

/**
 * The next step from `o` towards `declared`. `acted` holds the actions already taken in this
 * convergence, so that a failure after our own configure or restart is reported, not retried
 * forever. `reconfigure` says the task must be configured afresh rather than restarted.
 */
export function nextDcsStep(
  declared: DcsDeclaredState,
  o: DcsObserved,
  acted: ReadonlySet<DcsAction> = new Set(),
  reconfigure = false,
): DcsStep {
  if (settled(declared, o)) return { kind: "done" };
  const s = o.status;
  if (GONE.has(s)) return { kind: "impossible", reason: `the task is ${s}` };
  if (s === "TERMINATING") return { kind: "wait", why: "task is TERMINATING" };
  if (declared === "stopped") {
    if (MIGRATING.has(s)) {
      return acted.has("stop")
        ? { kind: "wait", why: `stop sent, task is ${s}` }
        : { kind: "act", action: "stop", why: `task is ${s}` };
    }
    return { kind: "impossible", reason: `no action stops a task that is ${s}` };
  }
  // declared running
  if (MIGRATING.has(s)) return { kind: "wait", why: `task is ${s}` };
  if (o.kind === "backup") {
    if (FAILED.has(s)) {
      return {
        kind: "failed",
        reason: `the backup import is ${s}; an import cannot be restarted, replace the task`,
      };
    }
    return {
      kind: "impossible",
      reason: `the backup import is ${s}; an import cannot be restarted, replace the task`,
    };
  }
  const started = acted.has("configure") || acted.has("restart");
  if (FAILED.has(s) && started)
    return { kind: "failed", reason: `the task reached ${s} after it was started` };
  if (s === "RUNNING") {
    // RUNNING means "waiting to be configured", not "migrating".
    if (!o.ecsReady) return { kind: "wait", why: "the migration ECS is being created" };
    return acted.has("configure")
      ? { kind: "wait", why: "configure sent" }
      : { kind: "act", action: "configure", why: "task is waiting to be configured" };
  }
  if (s === "TERMINATED" || FAILED.has(s)) {
    if (started) return { kind: "wait", why: `start sent, task is ${s}` };
    // A restart replays the stored settings. Changed settings or passwords need a configure, and
    // so does a failure: it is often a wrong password or a moved endpoint, which only the
    // declared settings can fix.
    if (FAILED.has(s)) return { kind: "act", action: "configure", why: `task is ${s}` };
    return reconfigure || !o.method
      ? { kind: "act", action: "configure", why: `task is ${s} and its settings changed` }
      : { kind: "act", action: "restart", why: `task is ${s}` };
  }
  return { kind: "impossible", reason: `no action takes a task from ${s} to ${declared}` };
}
