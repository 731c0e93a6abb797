/** The request log: one entry per API call (control-plane calls are not logged). */
import type { FaultKind } from "./faults";

/** One API call as the emulator saw it. */
export interface RequestLogEntry {
  /** 1-based order of arrival. */
  seq: number;
  /** Emulator time the call arrived, ISO 8601. */
  time: string;
  /** Service short name; `unknown` when no route matched. */
  service: string;
  /** Operation name as the vendor's SDK spells it; `unknown` when no route matched. */
  operation: string;
  method: string;
  /** Path without the query. */
  path: string;
  /** Raw query string without `?`, empty when none. */
  query: string;
  /** HTTP status answered, or the one the call produced for `drop-after`; 0 for `drop-before`. */
  status: number;
  /** Same value as the `X-Request-Id` response header. */
  requestId: string;
  /** The fault applied to this call, if any. */
  fault?: FaultKind;
  /** Vendor error code of an error answer. */
  errorCode?: string;
  /** How the caller authenticated. */
  auth?: "aksk" | "token" | "anonymous";
  /** Access key of an AK/SK-signed call. */
  accessKey?: string;
  /** Extra detail for debugging, e.g. why a signature did not verify. */
  detail?: string;
  /** Real milliseconds spent answering. */
  durationMs: number;
}

/** Bounded in-memory request log. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly max = 10_000) {}

  append(e: Omit<RequestLogEntry, "seq">): RequestLogEntry {
    const entry: RequestLogEntry = { seq: ++this.seq, ...e };
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return entry;
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
