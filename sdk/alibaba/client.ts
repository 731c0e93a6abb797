/**
 * The Alibaba Cloud transport for RPC-style (POP) APIs: `POST /` with the flattened parameters in
 * the query and an empty body, as `@alicloud/openapi-client` sends them, signed with
 * ACS3-HMAC-SHA256 (default) or RPC signature v1. Every attempt is built and signed afresh inside
 * the retry loop, so each carries a new nonce and timestamp; the gateway refuses a nonce twice.
 */
import { randomUUID } from "crypto";
import type { z } from "zod";
import type { Clock } from "../core/clock";
import { systemClock } from "../core/clock";
import { CloudError, responseShapeError } from "../core/errors";
import type { HttpRequest, HttpResponse, HttpSender } from "../core/http";
import { parseBody, send } from "../core/http";
import type { AdaptiveLimiter } from "../core/limiter";
import type { RetryOptions, RetryPolicy } from "../core/retry";
import { defaultRetryPolicy, parseRetryAfter, runCall } from "../core/retry";
import type { RpcOperation, RpcParamsOf, RpcResponseOf } from "./contract";
import type { AlicloudSettings } from "./credentials";
import { encodeParams, flattenParams, signAcs3, signRpcV1 } from "./signer";

/** Transport options of {@link AlicloudRpcClient}. */
export interface AlicloudClientOptions {
  /** `v3` (ACS3-HMAC-SHA256, the default, as the current SDKs) or `v1` (HMAC-SHA1, as pop-core and Terraform). */
  signatureVersion?: "v3" | "v1";
  sender?: HttpSender;
  clock?: Clock;
  retry?: RetryPolicy;
  /** Per-attempt read timeout: the longest wait for an answer (default 30 s). */
  timeoutMs?: number;
  /** Per-attempt connect timeout (default 10 s). */
  connectTimeoutMs?: number;
  /** Paces every attempt; share one per endpoint across the process (see `sharedLimiter`). */
  limiter?: AdaptiveLimiter;
  /** Clock time by which the operation must be done: throttling is retried until then. */
  deadlineAt?: number;
  /** Receives one line per retry; never receives credentials. */
  log?: (msg: string) => void;
  /** Signature nonces; `crypto.randomUUID` when absent. */
  nonce?: () => string;
  userAgent?: string;
}

/** Options of one call. */
export interface RpcCallOptions {
  /** Disable the retry layer (creates, which retry only after a lookup). */
  noRetry?: boolean;
}

/**
 * Throttling codes: the gateway refused the call before it reached the service, so the same call
 * may be sent again. `ServiceUnavailable` and any 5xx are retried too, but not the signature and
 * credential codes of {@link NEVER_RETRY}.
 */
const THROTTLING_CODES = new Set(["Throttling", "Throttling.User", "Throttling.Api"]);
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** A retry signs again with the same key and clock, so these can only fail again, whatever their status. */
const NEVER_RETRY =
  /^(SignatureDoesNotMatch|IncompleteSignature|SignatureNonceUsed|InvalidAccessKeyId|InvalidTimeStamp|InvalidSecurityToken|Forbidden|NoPermission)/;

/** True for codes of throttling: the call did not take effect and may be sent again as is. */
export function isAlicloudThrottling(code: string | undefined): boolean {
  return code !== undefined && (THROTTLING_CODES.has(code) || code.startsWith("Throttling."));
}

/**
 * The endpoint URL of a service: the override as given (`https://` added to a bare host), else
 * the regional public endpoint `https://<service>.<region>.aliyuncs.com` (docs/alibaba-mse.md).
 */
export function alicloudEndpoint(service: string, region: string, override?: string): string {
  const raw = override?.trim();
  if (raw) return (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`).replace(/\/+$/, "");
  return `https://${service}.${region}.aliyuncs.com`;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The status an MSE-style body reports: `HttpCode` (a string) or `HttpStatusCode`. */
function reportedStatus(o: Record<string, unknown>): number | undefined {
  const h = o.HttpCode ?? o.HttpStatusCode;
  const n = typeof h === "number" ? h : typeof h === "string" && /^\d{3}$/.test(h) ? Number(h) : undefined;
  return n !== undefined && n >= 100 && n <= 599 ? n : undefined;
}

/** A client of one Alibaba Cloud RPC service in one region. */
export class AlicloudRpcClient {
  readonly endpoint: string;
  /** The clock retries and signatures use. */
  readonly clock: Clock;
  readonly signatureVersion: "v3" | "v1";

  constructor(
    /** Service short name (`mse`): the default endpoint's first label and CloudError's `service`. */
    readonly service: string,
    private readonly settings: AlicloudSettings,
    private readonly opts: AlicloudClientOptions = {},
  ) {
    const override = (settings.endpoints as Record<string, string | undefined>)[service];
    this.endpoint = alicloudEndpoint(service, settings.region, override);
    this.clock = opts.clock ?? systemClock;
    this.signatureVersion = opts.signatureVersion ?? "v3";
  }

  /** The retry bounds of this client, for callers that run their own loop (creates). */
  get retryPolicy(): RetryPolicy {
    return this.opts.retry ?? defaultRetryPolicy;
  }

  /** The retry settings of this client, for callers that run their own loop (creates). */
  retryOptions(): RetryOptions {
    return {
      policy: this.retryPolicy,
      clock: this.clock,
      deadlineAt: this.opts.deadlineAt,
      paced: this.opts.limiter !== undefined,
    };
  }

  /** Logs a line through the client's logger, if any. */
  log(msg: string): void {
    this.opts.log?.(msg);
  }

  /**
   * Calls one operation and parses the answer with the contract's response schema.
   *
   * @throws CloudError for a transport failure, an error envelope (HTTP 4xx/5xx), an HTTP 200
   *   with `Success: false`, or an answer that does not match the contract.
   */
  async call<O extends RpcOperation>(
    op: O,
    params: RpcParamsOf<O>,
    callOpts: RpcCallOptions = {},
  ): Promise<RpcResponseOf<O>> {
    const site = { cloud: "alicloud" as const, service: this.service, operation: op.name };
    const flat = flattenParams(params as Record<string, unknown>);
    const attempt = async (): Promise<RpcResponseOf<O>> => {
      const res = await send(
        site,
        this.build(op, flat),
        this.opts.timeoutMs ?? 30_000,
        this.opts.sender,
        this.opts.connectTimeoutMs ?? 10_000,
      );
      return this.parse(op, res);
    };
    return runCall(attempt, {
      what: `${this.service} ${op.name}`,
      limiter: this.opts.limiter,
      noRetry: callOpts.noRetry,
      retry: this.retryOptions(),
      log: (m) => this.log(m),
    });
  }

  /** One signed attempt. */
  private build(op: RpcOperation, flat: Record<string, string>): HttpRequest {
    const s = this.settings;
    const cred = {
      accessKeyId: s.accessKeyId,
      accessKeySecret: s.accessKeySecret,
      securityToken: s.securityToken,
    };
    const sign = { nonce: (this.opts.nonce ?? randomUUID)(), date: new Date(this.clock.now()) };
    const headers: Record<string, string> = {
      "x-acs-action": op.name,
      "x-acs-version": op.version,
      accept: "application/json",
      "user-agent": this.opts.userAgent ?? `pulumi-migration-tasks (node ${process.version})`,
    };
    if (this.signatureVersion === "v1") {
      const signed = signRpcV1("POST", { Action: op.name, Version: op.version, ...flat }, cred, sign);
      return { method: "POST", url: `${this.endpoint}/?${encodeParams(signed)}`, headers };
    }
    const query = encodeParams(flat);
    const url = query === "" ? `${this.endpoint}/` : `${this.endpoint}/?${query}`;
    return signAcs3({ method: "POST", url, headers }, cred, sign);
  }

  private parse<O extends RpcOperation>(op: O, res: HttpResponse): RpcResponseOf<O> {
    const json = parseBody(res.body);
    const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
    // The SDK raises only on 4xx/5xx; MSE also answers HTTP 200 with Success: false.
    if (res.status >= 400 || o.Success === false) throw this.errorFrom(op, res, json);
    const parsed = (op.response as z.ZodType).safeParse(json);
    if (!parsed.success) {
      throw responseShapeError(
        { cloud: "alicloud", service: this.service, operation: op.name },
        res.status,
        parsed.error.issues,
        str(o.RequestId) ?? res.headers["x-acs-request-id"],
      );
    }
    return parsed.data as RpcResponseOf<O>;
  }

  /**
   * Reads both envelopes: the gateway's (`Code`, `Message`, `RequestId`, `HostId`, `Recommend`)
   * and MSE's (`Success: false`, `ErrorCode`, `HttpCode` as a string, `Message`). On an HTTP 200
   * the status the body reports is used, so that a `NotFound` reads as 404 either way.
   */
  private errorFrom(op: RpcOperation, res: HttpResponse, json: unknown): CloudError {
    const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
    const code =
      str(o.Code) ??
      str(o.ErrorCode) ??
      (typeof o.Code === "number" ? String(o.Code) : undefined) ??
      str(o.code);
    const text = typeof json === "string" ? json.slice(0, 300) : undefined;
    const message = str(o.Message) ?? str(o.message) ?? str(o.DynamicMessage) ?? text;
    const status = res.status >= 400 ? res.status : (reportedStatus(o) ?? res.status);
    const notes: string[] = [];
    if (res.status < 400) notes.push(`answered with HTTP ${res.status} and Success: false`);
    const recommend = str(o.Recommend);
    if (recommend) notes.push(`see ${recommend}`);
    const retryable =
      code !== undefined && NEVER_RETRY.test(code)
        ? false
        : isAlicloudThrottling(code) || code === "ServiceUnavailable" || RETRYABLE_STATUS.has(status);
    return new CloudError({
      cloud: "alicloud",
      service: this.service,
      operation: op.name,
      httpStatus: status,
      code,
      detail:
        (message ?? `HTTP ${res.status} with no error message`) +
        (notes.length ? ` (${notes.join("; ")})` : ""),
      requestId: str(o.RequestId) ?? str(o.requestId) ?? res.headers["x-acs-request-id"],
      retryable,
      retryAfterMs:
        acsRetryAfterMs(res.headers["x-acs-retry-after"]) ??
        parseRetryAfter(res.headers["retry-after"], this.clock.now()),
    });
  }
}

/**
 * The POP gateway's `x-acs-retry-after` header: the wait in milliseconds, as the official clients
 * read it; a missing, malformed or non-positive value means none was given.
 */
function acsRetryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  const ms = Number(v.trim());
  return ms > 0 ? ms : undefined;
}
