import type { Clock } from "./clock";
import { systemClock } from "./clock";

/** Thrown when a wait passes its deadline; carries the last observation. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly deadlineMs: number,
    readonly lastObserved: string,
  ) {
    super(
      `timed out after ${Math.round(deadlineMs / 1000)}s waiting for ${what}; last observed: ${lastObserved}. ` +
        `Raise the resource's timeouts input if the cloud needs longer.`,
    );
    this.name = "WaitTimeoutError";
  }
}

/** One poll's verdict. */
export type WaitVerdict<T> = { done: true; value: T } | { done: false; observed: string; progress?: string };

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** What is awaited, for messages: `task 1234 to reach RUNNING`. */
  what: string;
  deadlineMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  /** Progress reports, at most one per distinct observation. */
  onProgress?: (msg: string) => void;
}

/**
 * Polls until `poll` says done or the deadline passes. Waits own their deadlines because
 * Pulumi's customTimeouts never reach a dynamic provider. Polling backs off by 1.5x.
 */
export async function waitUntil<T>(poll: () => Promise<WaitVerdict<T>>, opts: WaitOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const start = clock.now();
  let delay = opts.initialDelayMs ?? 1000;
  const maxDelay = opts.maxDelayMs ?? 15_000;
  let last = "nothing yet";
  let lastReported = "";
  for (;;) {
    const v = await poll();
    if (v.done) return v.value;
    last = v.observed;
    const report = v.progress ? `${v.observed} (${v.progress})` : v.observed;
    if (report !== lastReported) {
      opts.onProgress?.(`waiting for ${opts.what}: ${report}`);
      lastReported = report;
    }
    const elapsed = clock.now() - start;
    if (elapsed >= opts.deadlineMs) throw new WaitTimeoutError(opts.what, opts.deadlineMs, last);
    await clock.sleep(Math.min(delay, Math.max(1, opts.deadlineMs - elapsed)));
    delay = Math.min(maxDelay, Math.ceil(delay * 1.5));
  }
}
