import type { Clock } from "./clock";
import { systemClock } from "./clock";
import { CloudError } from "./errors";
import { isThrottling } from "./limiter";

/** Bounds of the retry loop. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No new attempt starts once this much time has passed since the first. */
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The default: up to 6 attempts within 60 s, backoff from 200 ms to 10 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  maxElapsedMs: 60_000,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
};

/** Full-jitter exponential backoff (AWS architecture blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * cap);
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Options of {@link withRetries}. */
export interface RetryOptions {
  policy?: RetryPolicy;
  clock?: Clock;
  random?: () => number;
  /** Called before each retry, for logs. */
  onRetry?: (e: CloudError, attempt: number, delayMs: number) => void;
  /**
   * Clock time by which the whole operation must be done. Throttling is retried until then,
   * however many attempts it takes; without it throttling obeys `maxElapsedMs` only.
   */
  deadlineAt?: number;
  /** True when a limiter paces the attempts: it then owns the wait after a throttle. */
  paced?: boolean;
}

/**
 * The wait before the next attempt after `e`, or undefined to give up. Throttling means the
 * gateway refused the call before it took effect: it does not count against `maxAttempts`, and
 * it waits for Retry-After plus jitter, so that callers told the same Retry-After do not all
 * come back at the same instant.
 */
export function retryDelay(
  e: CloudError,
  attempt: number,
  elapsedMs: number,
  nowMs: number,
  opts: RetryOptions = {},
): number | undefined {
  const policy = opts.policy ?? defaultRetryPolicy;
  const random = opts.random ?? Math.random;
  if (!e.retryable) return undefined;
  if (isThrottling(e)) {
    const after = e.retryAfterMs ?? backoffDelay(attempt, policy, random);
    const delay = opts.paced ? 0 : after + Math.floor(random() * Math.min(Math.max(after, 100), 1000) * 0.5);
    if (opts.deadlineAt !== undefined) return nowMs + delay > opts.deadlineAt ? undefined : delay;
    return elapsedMs + delay > policy.maxElapsedMs ? undefined : delay;
  }
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = Math.max(backoffDelay(attempt, policy, random), e.retryAfterMs ?? 0);
  if (elapsedMs + delay > policy.maxElapsedMs) return undefined;
  if (opts.deadlineAt !== undefined && nowMs + delay > opts.deadlineAt) return undefined;
  return delay;
}

/**
 * Runs `attempt` until it succeeds, throws a non-retryable error, or the policy's bounds are
 * reached. Each call of `attempt` must build and sign its request afresh: signatures carry a
 * timestamp and, for Alibaba Cloud, a nonce that the gateway refuses to see twice.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const policy = opts.policy ?? defaultRetryPolicy;
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!CloudError.isInstance(e)) throw e;
      const delay = retryDelay(e, n, clock.now() - started, clock.now(), { ...opts, policy });
      if (delay === undefined) throw n > 1 ? CloudError.withAttempts(e, n) : e;
      opts.onRetry?.(e, n, delay);
      await clock.sleep(delay);
    }
  }
}

/**
 * One API call as both clouds' clients make it: each attempt through the endpoint's limiter when
 * there is one, then sent once (`noRetry`: actions and creates, whose loss the caller settles) or
 * retried by {@link withRetries}, each retry logged as `retrying <what> (attempt n) in <ms> ms`.
 */
export function runCall<T>(
  attempt: () => Promise<T>,
  o: {
    what: string;
    limiter?: { run<R>(f: () => Promise<R>): Promise<R> };
    noRetry?: boolean;
    retry: RetryOptions;
    log?: (msg: string) => void;
  },
): Promise<T> {
  const limiter = o.limiter;
  const run = limiter ? () => limiter.run(attempt) : attempt;
  if (o.noRetry) return run();
  return withRetries(run, {
    ...o.retry,
    onRetry: (e, n, delay) =>
      o.log?.(`retrying ${o.what} (attempt ${n + 1}) in ${delay} ms after ${e.code ?? e.httpStatus}`),
  });
}
