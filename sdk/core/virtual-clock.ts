import type { Clock } from "./clock";
import type { HttpSender } from "./http";

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A discrete-event clock for measurements and tests: `sleep` never waits for real time. While
 * any tracked operation (an HTTP call) is in flight time stands still; once nothing is in flight
 * and the event loop has settled, time jumps to the earliest pending sleep and wakes it. Poll
 * counts and lags measured with it are therefore exact and independent of machine speed.
 */
export class VirtualClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private seq = 0;
  private busy = 0;
  private scheduled = false;
  private idleTicks = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
      this.schedule();
    });
  }

  /** Holds time still until `p` settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.busy++;
    return p.finally(() => {
      this.busy--;
      this.schedule();
    });
  }

  /** A sender whose calls hold time still while they are on the wire. */
  sender(inner: HttpSender): HttpSender {
    return (req, timeoutMs, connectTimeoutMs) => this.track(inner(req, timeoutMs, connectTimeoutMs));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    if (this.busy > 0 || this.timers.length === 0) {
      this.idleTicks = 0;
      return;
    }
    // A few turns of the event loop let callbacks of finished I/O register their next sleep
    // before time moves on.
    if (++this.idleTicks < 3) {
      this.schedule();
      return;
    }
    this.idleTicks = 0;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift() as Timer;
    this.t = Math.max(this.t, next.at);
    next.resolve();
    this.schedule();
  }
}
