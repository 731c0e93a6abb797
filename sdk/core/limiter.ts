/**
 * A client-side rate limiter that learns the gateway's limit: requests leave at an even pace,
 * the pace grows while calls succeed and drops by a third when the gateway throttles, and a
 * throttle answer pauses every caller of the endpoint for its Retry-After plus jitter, so the
 * callers do not come back in one wave. One limiter serves one service endpoint for the whole
 * process: see {@link sharedLimiter}.
 */
import type { Clock } from "./clock";
import { systemClock } from "./clock";
import { CloudError } from "./errors";

/** Settings of an {@link AdaptiveLimiter}. */
export interface LimiterSettings {
  /** Requests per second to start with. */
  initialRate: number;
  /** Never slower than this (requests per second). */
  minRate: number;
  /** Never faster than this (requests per second). */
  maxRate: number;
}

/** The default: start at 10 requests per second, between 1 and 200 (Huawei's default API limit). */
export const defaultLimiterSettings: LimiterSettings = { initialRate: 10, minRate: 1, maxRate: 200 };

/** True for an answer saying the gateway refused the call for its rate (Huawei 429, Alibaba `Throttling.*`). */
export function isThrottling(e: unknown): boolean {
  if (!CloudError.isInstance(e)) return false;
  const code = e.code ?? "";
  return (
    e.httpStatus === 429 || code === "APIGW.0308" || code === "Throttling" || code.startsWith("Throttling.")
  );
}

/** Counters of one limiter, for logs and measurements. */
export interface LimiterStats {
  rate: number;
  sent: number;
  throttled: number;
}

/** Additive increase, multiplicative decrease, on a pacing schedule; see the module comment. */
export class AdaptiveLimiter {
  private rateNow: number;
  private nextSlot = 0;
  private pausedUntil = 0;
  private queue: (() => void)[] = [];
  private pumping = false;
  /** Until the first throttle the pace doubles every second of successes (a slow start). */
  private probing = true;
  private sent = 0;
  private throttled = 0;

  constructor(
    readonly settings: LimiterSettings = defaultLimiterSettings,
    private readonly clock: Clock = systemClock,
    private readonly random: () => number = Math.random,
  ) {
    this.rateNow = Math.min(settings.maxRate, Math.max(settings.minRate, settings.initialRate));
  }

  /** The current pace and counters. */
  stats(): LimiterStats {
    return { rate: this.rateNow, sent: this.sent, throttled: this.throttled };
  }

  /**
   * Waits for this caller's turn: callers leave one at a time, first come first served, each
   * `1 / rate` seconds after the previous one, at the pace of the moment they leave.
   */
  acquire(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push(resolve);
      if (!this.pumping) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const now = this.clock.now();
        const at = Math.max(this.nextSlot, this.pausedUntil);
        if (at > now) {
          await this.clock.sleep(at - now);
          continue;
        }
        this.nextSlot = now + 1000 / this.rateNow;
        this.sent++;
        (this.queue.shift() as () => void)();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** A call went through. */
  onSuccess(): void {
    const step = this.probing ? 1 : 1 / this.rateNow;
    this.rateNow = Math.min(this.settings.maxRate, this.rateNow + step);
  }

  /**
   * The gateway throttled a call. Only the first throttle of a pause lowers the pace: calls
   * already on the wire when it came back say nothing new about the limit.
   */
  onThrottle(retryAfterMs: number | undefined): void {
    this.throttled++;
    const now = this.clock.now();
    if (now >= this.pausedUntil) {
      this.probing = false;
      this.rateNow = Math.max(this.settings.minRate, this.rateNow * (2 / 3));
    }
    const base = retryAfterMs ?? 1000 / this.rateNow;
    const jitter = this.random() * Math.min(Math.max(base, 100), 1000) * 0.5;
    this.pausedUntil = Math.max(this.pausedUntil, now + base + jitter);
  }

  /** Runs one attempt of a call in turn, and learns from its outcome. */
  async run<T>(attempt: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      const r = await attempt();
      this.onSuccess();
      return r;
    } catch (e) {
      if (isThrottling(e)) this.onThrottle(CloudError.isInstance(e) ? e.retryAfterMs : undefined);
      else if (CloudError.isInstance(e) && e.httpStatus !== undefined && e.httpStatus < 500) this.onSuccess();
      throw e;
    }
  }
}

const shared = new Map<string, AdaptiveLimiter>();

/**
 * The process's limiter of one endpoint (`sms https://sms.cn-north-4.myhuaweicloud.com`): every
 * resource of a stack is served by one provider process, so all of them share it.
 */
export function sharedLimiter(
  key: string,
  clock: Clock = systemClock,
  settings: LimiterSettings = defaultLimiterSettings,
): AdaptiveLimiter {
  let l = shared.get(key);
  if (!l) {
    l = new AdaptiveLimiter(settings, clock);
    shared.set(key, l);
  }
  return l;
}

/** Forgets every shared limiter (tests, and measurements that change the clock). */
export function resetSharedLimiters(): void {
  shared.clear();
}
