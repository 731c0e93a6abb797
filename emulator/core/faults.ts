/**
 * Injected faults: each matches calls by service and/or operation and is consumed per call, so a
 * test can say "the next two CreateTask calls are throttled". A `rate-limit` is not consumed: it
 * stays until cleared and throttles whatever exceeds its rate, as the vendor's gateway does.
 */
import { z } from "zod";

/** Kinds of fault and what each does to a matching call. */
export const FaultKind = z.enum([
  /** Answer 429 with the gateway's throttling envelope and `Retry-After`. */
  "throttle",
  /** Answer 500/502/503 with the service's error envelope; the call has no effect. */
  "error5xx",
  /** Delay the answer by `latencyMs`; the call otherwise proceeds normally. */
  "latency",
  /** Destroy the socket before the call takes effect. */
  "drop-before",
  /** Perform the call (state changes), then destroy the socket without answering. */
  "drop-after",
  /**
   * A token bucket of `requestsPerSecond` (holding `burst` tokens, one second's worth by default)
   * per matching service and operation: a call finding it empty gets the gateway's throttling
   * answer with `Retry-After` the whole seconds until the next token. Stays until cleared.
   */
  "rate-limit",
]);
export type FaultKind = z.infer<typeof FaultKind>;

/** A fault as `POST /_emulator/faults` and {@link Emulator.injectFault} take it. */
export const FaultSpec = z
  .object({
    kind: FaultKind,
    /** Service short name (`sms`, `iam`); any service when absent. */
    service: z.string().min(1).optional(),
    /** Operation name (`CreateTask`), compared case-insensitively; any operation when absent. */
    operation: z.string().min(1).optional(),
    /** How many matching calls it applies to. */
    count: z.number().int().min(1).default(1),
    /** HTTP status of `error5xx`. */
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
    /** Delay of `latency`. */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** `Retry-After` of `throttle`. */
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    /** Rate of `rate-limit`. */
    requestsPerSecond: z.number().positive().max(100_000).optional(),
    /** Bucket size of `rate-limit` (default: one second's worth, at least 1). */
    burst: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .refine((f) => f.kind !== "rate-limit" || f.requestsPerSecond !== undefined, {
    message: "a rate-limit needs requestsPerSecond",
    path: ["requestsPerSecond"],
  });
export type FaultSpec = z.input<typeof FaultSpec>;
/** A fault after defaults are applied. */
export type Fault = z.output<typeof FaultSpec>;

/** A pending fault with the number of calls it still applies to (a rate limit is never used up). */
export interface PendingFault extends Fault {
  id: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** The set of pending faults. */
export class FaultStore {
  private faults: PendingFault[] = [];
  private nextId = 1;
  private buckets = new Map<number, Bucket>();

  /** Adds a fault; throws a ZodError on an invalid spec. */
  add(spec: FaultSpec): PendingFault {
    const f = FaultSpec.parse(spec);
    const pending: PendingFault = { ...f, id: this.nextId++, remaining: f.count };
    this.faults.push(pending);
    return pending;
  }

  /**
   * Takes one use of the first fault matching the call, in the order they were added. Rate
   * limits come first: a call over the rate is throttled whatever else is pending.
   *
   * @param nowMs - emulator time of the call, which the rate limits' buckets refill by.
   */
  take(service: string, operation: string, nowMs: number = Date.now()): Fault | undefined {
    const matches = (f: PendingFault) =>
      (f.service === undefined || f.service.toLowerCase() === service.toLowerCase()) &&
      (f.operation === undefined || f.operation.toLowerCase() === operation.toLowerCase());
    for (const f of this.faults) {
      if (f.kind !== "rate-limit" || !matches(f)) continue;
      const retryAfter = this.overRate(f, nowMs);
      if (retryAfter !== undefined)
        return { kind: "throttle", count: 1, service: f.service, retryAfterSeconds: retryAfter };
    }
    const i = this.faults.findIndex((f) => f.kind !== "rate-limit" && matches(f));
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults.splice(i, 1);
    const { id: _id, remaining: _r, ...fault } = f;
    return fault;
  }

  list(): PendingFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
    this.buckets.clear();
  }

  /** Spends a token of the limit's bucket; the whole seconds to wait when there is none. */
  private overRate(f: PendingFault, nowMs: number): number | undefined {
    const rate = f.requestsPerSecond as number;
    const burst = f.burst ?? Math.max(1, Math.floor(rate));
    const b = this.buckets.get(f.id) ?? { tokens: burst, at: nowMs };
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * rate);
    b.at = nowMs;
    this.buckets.set(f.id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }
}
