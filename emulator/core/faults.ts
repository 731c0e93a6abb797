/**
 * Injected faults: each matches calls by service and/or operation and is consumed per call, so a
 * test can say "the next two CreateTask calls are throttled".
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
  })
  .strict();
export type FaultSpec = z.input<typeof FaultSpec>;
/** A fault after defaults are applied. */
export type Fault = z.output<typeof FaultSpec>;

/** A pending fault with the number of calls it still applies to. */
export interface PendingFault extends Fault {
  id: number;
  remaining: number;
}

/** The set of pending faults. */
export class FaultStore {
  private faults: PendingFault[] = [];
  private nextId = 1;

  /** Adds a fault; throws a ZodError on an invalid spec. */
  add(spec: FaultSpec): PendingFault {
    const f = FaultSpec.parse(spec);
    const pending: PendingFault = { ...f, id: this.nextId++, remaining: f.count };
    this.faults.push(pending);
    return pending;
  }

  /** Takes one use of the first fault matching the call, in the order they were added. */
  take(service: string, operation: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (f.service === undefined || f.service.toLowerCase() === service.toLowerCase()) &&
        (f.operation === undefined || f.operation.toLowerCase() === operation.toLowerCase()),
    );
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
  }
}
