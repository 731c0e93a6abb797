/**
 * The Huawei Cloud transport: builds a request from a contract, authenticates it (AK/SK
 * signature or IAM token), sends it through the retry layer, and turns failures into
 * {@link CloudError}. Every attempt is signed afresh so that X-Sdk-Date is current.
 */
import type { z } from "zod";
import type { Clock } from "../core/clock";
import { systemClock } from "../core/clock";
import type { BodyOf, QueryOf, ResponseOf, RestOperation } from "../core/contract";
import { fillPath } from "../core/contract";
import { CloudError, responseShapeError } from "../core/errors";
import type { HttpRequest, HttpResponse, HttpSender } from "../core/http";
import { parseBody, percentEncode, send } from "../core/http";
import type { AdaptiveLimiter } from "../core/limiter";
import type { RetryOptions, RetryPolicy } from "../core/retry";
import { parseRetryAfter, runCall } from "../core/retry";
import type { HuaweiSettings } from "./credentials";
import type { HuaweiService } from "./endpoints";
import { huaweiEndpoint } from "./endpoints";
import { signHuaweiRequest } from "./signer";

/** Transport options shared by every Huawei client. */
export interface HuaweiClientOptions {
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
}

/** Arguments of one call, typed from the operation's contract. */
export interface CallArgs<O> {
  path?: Record<string, string>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
  /** Disable the retry layer (used for creates, which are retried only after a lookup). */
  noRetry?: boolean;
}

/** HTTP statuses and codes after which a call may be sent again unchanged. */
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(["APIGW.0308", "SMS.2007", "DCS.5000"]);

/** A client of one Huawei Cloud service in one region. */
export class HuaweiClient {
  readonly endpoint: string;
  /** The clock retries and signatures use. */
  readonly clock: Clock;

  constructor(
    readonly service: HuaweiService,
    private readonly settings: HuaweiSettings,
    private readonly opts: HuaweiClientOptions = {},
  ) {
    this.endpoint = huaweiEndpoint(service, settings.region, settings);
    this.clock = opts.clock ?? systemClock;
  }

  /** The retry settings of this client, for callers that run their own loop (creates). */
  retryOptions(): RetryOptions {
    return {
      policy: this.opts.retry,
      clock: this.clock,
      deadlineAt: this.opts.deadlineAt,
      paced: this.opts.limiter !== undefined,
    };
  }

  /** Project id used for project-scoped paths and the X-Project-Id header. */
  get projectId(): string | undefined {
    return this.settings.projectId;
  }

  /** Calls one operation and parses the response with the contract's schema. */
  async call<O extends RestOperation>(op: O, args: CallArgs<O> = {}): Promise<ResponseOf<O>> {
    const site = { cloud: "huaweicloud" as const, service: this.service, operation: op.name };
    const attempt = async (): Promise<ResponseOf<O>> => {
      const res = await send(
        site,
        this.build(op, args),
        this.opts.timeoutMs ?? 30_000,
        this.opts.sender,
        this.opts.connectTimeoutMs ?? 10_000,
      );
      return this.parse(op, res);
    };
    return runCall(attempt, {
      what: `${this.service} ${op.name}`,
      limiter: this.opts.limiter,
      noRetry: args.noRetry,
      retry: this.retryOptions(),
      log: this.opts.log,
    });
  }

  private build<O extends RestOperation>(op: O, args: CallArgs<O>): HttpRequest {
    const path = fillPath(op.path, args.path ?? {});
    // Encoded by hand: URLSearchParams writes a space as "+", which neither official SDK
    // sends and which the gateway may read literally.
    const pairs: string[] = [];
    const query = args.query as Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      for (const item of Array.isArray(v) ? v : [v])
        pairs.push(`${percentEncode(k)}=${percentEncode(String(item))}`);
    }
    const url = this.endpoint + path + (pairs.length ? `?${pairs.join("&")}` : "");
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const s = this.settings;
    if (s.projectId) headers["X-Project-Id"] = s.projectId;
    else if (s.domainId) headers["X-Domain-Id"] = s.domainId;
    const body = args.body === undefined ? undefined : JSON.stringify(args.body);
    const req: HttpRequest = { method: op.method, url, headers, body };
    if (s.accessKey && s.secretKey) {
      if (s.securityToken) headers["X-Security-Token"] = s.securityToken;
      return signHuaweiRequest(
        req,
        { accessKey: s.accessKey, secretKey: s.secretKey },
        new Date(this.clock.now()),
      );
    }
    if (s.authToken) {
      headers["X-Auth-Token"] = s.authToken;
      return req;
    }
    throw new Error("no Huawei Cloud credentials: neither an access key pair nor an IAM token is configured");
  }

  private parse<O extends RestOperation>(op: O, res: HttpResponse): ResponseOf<O> {
    const requestId = res.headers["x-request-id"];
    const json = parseBody(res.body);
    if (res.status >= 400) throw this.errorFrom(op, res, json, requestId);
    const parsed = (op.response as z.ZodType).safeParse(json);
    if (!parsed.success) {
      throw responseShapeError(
        { cloud: "huaweicloud", service: this.service, operation: op.name },
        res.status,
        parsed.error.issues,
        requestId,
      );
    }
    return parsed.data as ResponseOf<O>;
  }

  private errorFrom(
    op: RestOperation,
    res: HttpResponse,
    json: unknown,
    headerRequestId?: string,
  ): CloudError {
    const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    const code = str(o.error_code) ?? str(o.code);
    const msg =
      str(o.error_msg) ??
      str(o.message) ??
      str(o.error_message) ??
      (typeof json === "string" ? json : undefined);
    const ext = str(o.error_ext_msg);
    return new CloudError({
      cloud: "huaweicloud",
      service: this.service,
      operation: op.name,
      httpStatus: res.status,
      code,
      detail: (msg ?? `HTTP ${res.status} with no error message`) + (ext ? ` (${ext})` : ""),
      requestId: headerRequestId ?? str(o.request_id),
      retryable: RETRYABLE_STATUS.has(res.status) || (code !== undefined && RETRYABLE_CODES.has(code)),
      retryAfterMs: parseRetryAfter(res.headers["retry-after"], this.clock.now()),
    });
  }
}

/**
 * The error codes by which each service says "this task does not exist". An HTTP status alone
 * decides nothing: the API gateway answers 404 `APIGW.0101` for a path it does not publish (a
 * wrong endpoint), and reading that as "gone" would drop a live task from state.
 * SMS: `SMS.2252` (HTTP 404); DCS: `DCS.4133` (HTTP 400, as Terraform's DCS resources expect).
 */
export const HUAWEI_NOT_FOUND_CODES: Readonly<Record<HuaweiService, ReadonlySet<string>>> = {
  sms: new Set(["SMS.2252"]),
  dcs: new Set(["DCS.4133"]),
  iam: new Set<string>(),
};

/** True when the error says the called object does not exist, by the service's own error code. */
export function isHuaweiNotFound(e: unknown, service: HuaweiService): boolean {
  if (!CloudError.isInstance(e) || e.code === undefined) return false;
  return HUAWEI_NOT_FOUND_CODES[service].has(e.code);
}
