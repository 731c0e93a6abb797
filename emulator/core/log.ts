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
    const entry: RequestLogEntry = { seq: ++this.seq, ...e, query: redactSecrets(e.query) };
    if (e.detail !== undefined) entry.detail = redactSecrets(e.detail);
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

/**
 * Parameter names whose values are secrets: security tokens, signatures, secret keys and
 * passwords. `SignatureMethod`, `SignatureNonce` and `SignatureVersion` are not secret.
 */
const SECRET_KEY = String.raw`[A-Za-z0-9_.-]*(?:token|secret|password|passwd)[A-Za-z0-9_.-]*|Signature`;
/** A `key=value` pair, plain or percent-encoded once or twice (a string to sign nests it). */
const SECRET_PAIR = new RegExp(
  String.raw`(^|[&?\s]|%26|%2526)(${SECRET_KEY})(=|%3D|%253D)((?:(?!&|%26|%2526)[^\s"'])*)`,
  "gi",
);

/**
 * Replaces the value of every secret parameter in a query string or a diagnostic text with
 * `REDACTED`. The request log is served without authentication, so a caller's Alibaba v1
 * `SecurityToken` or `Signature` must never be readable there.
 */
export function redactSecrets(text: string): string {
  return text.replace(
    SECRET_PAIR,
    (_m, lead: string, key: string, eq: string) => `${lead}${key}${eq}REDACTED`,
  );
}
