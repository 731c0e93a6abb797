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

/**
 * One poll's verdict. `etaMs` is the time left as the service reports it (SMS `remain_seconds`,
 * a DCS progress rate): the next poll is timed by it rather than by backoff.
 */
export type WaitVerdict<T> =
  { done: true; value: T } | { done: false; observed: string; progress?: string; etaMs?: number };

/** One poll as {@link WaitOptions.onPoll} sees it. */
export interface PollEvent {
  what: string;
  /** Clock time of the poll's answer. */
  at: number;
  done: boolean;
  observed?: string;
}

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
  /** Sees every poll (measurements). */
  onPoll?: (e: PollEvent) => void;
  /** Provider time per service time: below 1 when the service runs on a faster clock (an emulator). */
  etaScale?: number;
}

/**
 * Above this, a reported time left is slept in halves: an estimate made long before the end is
 * checked again midway rather than trusted to the second.
 */
const TRUST_ETA_MS = 60_000;

/** The sleep before the next poll for a reported time left; none when it reads zero. */
export function delayForEta(etaMs: number): number {
  if (etaMs <= 0) return 0;
  return etaMs > TRUST_ETA_MS ? Math.ceil(etaMs / 2) : Math.ceil(etaMs);
}

/**
 * Polls until `poll` says done or the deadline passes. Waits own their deadlines because
 * Pulumi's customTimeouts never reach a dynamic provider. A verdict with a time left is polled
 * again when that time is up (in halves while it is long); without one, polling backs off by
 * 1.5x from the initial delay.
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
    opts.onPoll?.({
      what: opts.what,
      at: clock.now(),
      done: v.done,
      observed: v.done ? undefined : v.observed,
    });
    if (v.done) return v.value;
    last = v.observed;
    const report = v.progress ? `${v.observed} (${v.progress})` : v.observed;
    if (report !== lastReported) {
      opts.onProgress?.(`waiting for ${opts.what}: ${report}`);
      lastReported = report;
    }
    const elapsed = clock.now() - start;
    if (elapsed >= opts.deadlineMs) throw new WaitTimeoutError(opts.what, opts.deadlineMs, last);
    if (v.etaMs !== undefined) {
      await clock.sleep(
        Math.min(delayForEta(v.etaMs * (opts.etaScale ?? 1)), Math.max(0, opts.deadlineMs - elapsed)),
      );
      continue;
    }
    await clock.sleep(Math.min(delay, Math.max(1, opts.deadlineMs - elapsed)));
    delay = Math.min(maxDelay, Math.ceil(delay * 1.5));
  }
}
