/**
 * The declared lifecycle of an SMS task and how the action API gets there from whatever the
 * cloud reports (docs/huawei-sms.md).
 */
import type { TaskOperation } from "../../../sdk/huawei/sms/contract";
import type { DeclaredState } from "./schema";

/** What the cloud reports, as far as the lifecycle is concerned. */
export interface Observed {
  status: string;
  sourceServerState?: string;
  migrationCycle?: string;
}

/** The next step towards a declared state. */
export type Step =
  | { kind: "done" }
  | { kind: "act"; operation: TaskOperation; why: string }
  | { kind: "wait"; why: string }
  | { kind: "impossible"; reason: string }
  | { kind: "failed"; reason: string };

const REPLICATING = new Set(["RUNNING", "SYNCING", "MIGRATE_SUCCESS", "SYNC_SUCCESS"]);
const REPLICATED = new Set(["MIGRATE_SUCCESS", "SYNCING", "SYNC_SUCCESS"]);
const FAILED = new Set(["MIGRATE_FAIL", "SYNC_FAIL"]);
const TRANSIENT = new Set(["ABORTING", "DELETING", "SKIPPING", "RESETING", "SYNC_F_ROLLBACKING"]);

/** True once the cutover has launched the target server. */
export function isCutOver(o: Observed): boolean {
  // The source also reports "finished" when replication ends, so only the cycle tells.
  return o.migrationCycle === "cutovered";
}

/** Whether the observed task is in the declared state. */
export function satisfies(declared: DeclaredState, o: Observed): boolean {
  switch (declared) {
    case "ready":
      return o.status === "READY";
    case "running":
      return REPLICATING.has(o.status) && !isCutOver(o);
    case "paused":
      return o.status === "ABORT";
    case "cutover":
      return isCutOver(o) && !TRANSIENT.has(o.status);
  }
}

/**
 * The next step from `o` towards `declared`. `acted` holds the operations already sent in this
 * convergence: a failure after our own start or restart is reported, not retried forever.
 */
export function nextStep(
  declared: DeclaredState,
  o: Observed,
  acted: ReadonlySet<TaskOperation> = new Set(),
): Step {
  if (satisfies(declared, o)) return { kind: "done" };
  const s = o.status;
  if (isCutOver(o)) {
    return {
      kind: "impossible",
      reason: `the task was cut over (the target server is launched); cutover cannot be undone, so it cannot become ${declared}`,
    };
  }
  if (TRANSIENT.has(s) || o.sourceServerState === "cutovering") return { kind: "wait", why: `task is ${s}` };
  if (FAILED.has(s)) {
    if (declared === "running" || declared === "cutover") {
      if (acted.has("restart") || acted.has("start")) {
        return { kind: "failed", reason: `the task reached ${s} after it was started` };
      }
      return { kind: "act", operation: "restart", why: `task is ${s}` };
    }
    return {
      kind: "impossible",
      reason: `the task is ${s}; a failed task can only be restarted (declare state "running")`,
    };
  }
  switch (declared) {
    case "ready":
      return {
        kind: "impossible",
        reason: `the task is ${s} and a started task cannot return to ready; declare "paused" to stop it`,
      };
    case "running":
      if (s === "READY" || s === "ABORT") {
        return acted.has("start")
          ? { kind: "wait", why: `start sent, task is ${s}` }
          : { kind: "act", operation: "start", why: `task is ${s}` };
      }
      break;
    case "paused":
      if (s === "RUNNING" || s === "SYNCING" || s === "READY") {
        return acted.has("stop")
          ? { kind: "wait", why: `stop sent, task is ${s}` }
          : { kind: "act", operation: "stop", why: `task is ${s}` };
      }
      if (s === "MIGRATE_SUCCESS" || s === "SYNC_SUCCESS") {
        return {
          kind: "impossible",
          reason: `the task is ${s}: replication has finished and there is nothing to pause`,
        };
      }
      break;
    case "cutover":
      if (REPLICATED.has(s)) {
        return acted.has("cutover")
          ? { kind: "wait", why: "cutover sent" }
          : { kind: "act", operation: "cutover", why: `task is ${s}` };
      }
      if (s === "READY" || s === "ABORT") {
        return acted.has("start")
          ? { kind: "wait", why: `start sent, task is ${s}` }
          : { kind: "act", operation: "start", why: `task is ${s}` };
      }
      if (s === "RUNNING") return { kind: "wait", why: "replicating before cutover" };
      break;
  }
  return { kind: "impossible", reason: `no action takes a task from ${s} to ${declared}` };
}
