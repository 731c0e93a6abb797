/**
 * One error type for every failed cloud call, whatever the cloud or the cause (HTTP error
 * envelope, transport failure, exhausted retries).
 */
const BRAND = Symbol.for("pulumi-migration-tasks.CloudError");

/** The clouds this package talks to. */
export type CloudName = "huaweicloud" | "alicloud";

/** Fields that describe a failed call. */
export interface CloudErrorInit {
  cloud: CloudName;
  /** Service short name, for example `sms`, `dcs` or `mse`. */
  service: string;
  /** Operation name as the vendor's SDK spells it, for example `UpdateTaskStatus`. */
  operation: string;
  /** HTTP status, absent when no response arrived. */
  httpStatus?: number;
  /** Vendor error code (`SMS.1038`, `APIGW.0308`, `Throttling.User`) or a transport code (`ECONNRESET`). */
  code?: string;
  /** Vendor error message, or the transport failure. */
  detail: string;
  requestId?: string;
  /** Whether the retry layer may try the call again. */
  retryable: boolean;
  /** Number of attempts made before giving up. */
  attempts?: number;
  /** Delay the server asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The error every client call throws. Use {@link CloudError.isInstance} rather than
 * `instanceof`: provider code runs from a deserialized copy in another process, where a second
 * copy of this class may be loaded.
 */
export class CloudError extends Error implements CloudErrorInit {
  readonly cloud: CloudName;
  readonly service: string;
  readonly operation: string;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly detail: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly attempts?: number;
  readonly retryAfterMs?: number;

  constructor(init: CloudErrorInit) {
    super(CloudError.format(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "CloudError";
    this.cloud = init.cloud;
    this.service = init.service;
    this.operation = init.operation;
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any CloudError, from whichever copy of this module made it. */
  static isInstance(e: unknown): e is CloudError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }

  /** Copy of `init` with the attempt count, for the retry layer's final error. */
  static withAttempts(e: CloudError, attempts: number): CloudError {
    return new CloudError({ ...e.toInit(), attempts });
  }

  toInit(): CloudErrorInit {
    return {
      cloud: this.cloud,
      service: this.service,
      operation: this.operation,
      httpStatus: this.httpStatus,
      code: this.code,
      detail: this.detail,
      requestId: this.requestId,
      retryable: this.retryable,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      cause: this.cause,
    };
  }

  private static format(i: CloudErrorInit): string {
    const where: string[] = [];
    if (i.httpStatus !== undefined) where.push(`HTTP ${i.httpStatus}`);
    if (i.requestId) where.push(`request ${i.requestId}`);
    if (i.attempts !== undefined && i.attempts > 1) where.push(`after ${i.attempts} attempts`);
    const code = i.code ? `${i.code} ` : "";
    const paren = where.length ? `(${where.join(", ")})` : "";
    const head = `${i.cloud} ${i.service} ${i.operation} failed: ${code}${paren}`.trimEnd();
    return `${head}: ${i.detail}${hint(i)}`;
  }
}

function hint(i: CloudErrorInit): string {
  if (i.httpStatus === 401 || i.code === "APIGW.0301" || i.code === "InvalidAccessKeyId.NotFound") {
    return " (check the access key, secret key and clock of this machine)";
  }
  if (i.httpStatus === 403) return " (the credential lacks permission for this operation)";
  if (i.code === "ECONNREFUSED")
    return " (is the endpoint reachable? set the endpoint override to use the emulator)";
  return "";
}

/** The error for a response that does not match its contract: the first three issues, by path. */
export function responseShapeError(
  site: Pick<CloudErrorInit, "cloud" | "service" | "operation">,
  httpStatus: number,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  requestId: string | undefined,
): CloudError {
  return new CloudError({
    ...site,
    httpStatus,
    code: "InvalidResponse",
    detail: `the response does not match the documented shape: ${issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`)
      .join("; ")}`,
    requestId,
    retryable: false,
  });
}
