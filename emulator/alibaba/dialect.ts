/**
 * The Alibaba Cloud POP gateway in front of MSE: RPC signature v1 (parameters in the query or a
 * form body, as pop-core and Terraform send them) and ACS3-HMAC-SHA256 (the current SDKs), access
 * key and STS checks, the nonce replay window, and the `{RequestId, HostId, Code, Message,
 * Recommend}` envelope with the gateway codes of docs/alibaba-mse.md.
 */
import {
  MAX_CLOCK_SKEW_MS,
  decodeParams,
  parseAcs3Authorization,
  verifyAcs3,
  verifyRpcV1,
} from "../../sdk/alibaba/signer";
import { ApiError } from "../core/types";
import type { Dialect, EmulatorRequest, Principal, Reply } from "../core/types";
import { alicloudDefaults } from "./defaults";

/** An access key the gateway accepts. */
export interface AlicloudKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, the key is temporary and every call must carry this STS token. */
  securityToken?: string;
}

/** Parameters the gateway consumes; what is left is the operation's business parameters. */
const COMMON_PARAMS = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "SecurityToken",
  "BearerToken",
  "RegionId",
]);

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** True when the body is a form: pop-core posts every parameter, `Signature` included, that way. */
function isForm(req: EmulatorRequest): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(header(req, "content-type") ?? "");
}

/**
 * Every parameter of an RPC call, decoded: the query's, then the form body's (a key in both
 * keeps the body's, as the gateway merges them).
 */
export function rpcParams(req: EmulatorRequest): Record<string, string> {
  const q = req.rawUrl.indexOf("?");
  const query = decodeParams(q < 0 ? "" : req.rawUrl.slice(q + 1));
  return isForm(req) && req.body ? { ...query, ...decodeParams(req.body) } : query;
}

/** The business parameters of a call: {@link rpcParams} without the gateway's own. */
export function businessParams(req: EmulatorRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(rpcParams(req)).filter(([k]) => !COMMON_PARAMS.has(k)));
}

/** `Action` and `Version` of a call: the v3 headers, else the parameters. */
export function actionOf(req: EmulatorRequest): { action?: string; version?: string } {
  const p = rpcParams(req);
  const auth = header(req, "authorization") ?? "";
  if (auth.startsWith("ACS3-")) {
    return { action: header(req, "x-acs-action"), version: header(req, "x-acs-version") };
  }
  return {
    action: p.Action ?? header(req, "x-acs-action"),
    version: p.Version ?? header(req, "x-acs-version"),
  };
}

/** A POP gateway error (400 unless given). */
export function popError(code: string, message: string, status = 400, logDetail?: string): ApiError {
  return new ApiError(status, code, message, { logDetail });
}

/** The Alibaba Cloud POP gateway dialect. */
export class AlibabaDialect implements Dialect {
  readonly name = "alibaba";
  private readonly keys = new Map<string, AlicloudKey>();
  /** Nonce to the wall time it may be used again, in ms. */
  private readonly nonces = new Map<string, number>();

  /**
   * @param wallClock - what timestamps are checked against. Clients sign with their real clock,
   *   so advancing emulator time must not expire their signatures.
   */
  constructor(private readonly wallClock: () => Date = () => new Date()) {
    this.addKey({
      accessKeyId: alicloudDefaults.accessKeyId,
      accessKeySecret: alicloudDefaults.accessKeySecret,
    });
    this.addKey({
      accessKeyId: alicloudDefaults.stsAccessKeyId,
      accessKeySecret: alicloudDefaults.stsAccessKeySecret,
      securityToken: alicloudDefaults.securityToken,
    });
  }

  /** Registers an access key. */
  addKey(k: AlicloudKey): void {
    this.keys.set(k.accessKeyId, k);
  }

  authenticate(req: EmulatorRequest, _emulatorNow: Date): Principal {
    const now = this.wallClock();
    const authorization = header(req, "authorization");
    if (authorization !== undefined && authorization.trim().startsWith("ACS3-")) {
      const auth = parseAcs3Authorization(authorization);
      const key = auth ? this.keyOf(auth.accessKeyId) : undefined;
      const failure = verifyAcs3(
        { method: req.method, url: req.rawUrl, headers: req.headers, body: req.body },
        key?.accessKeySecret ?? "",
        now,
      );
      // A malformed header is reported before the key, as the gateway cannot read the key then.
      if (failure && (!auth || failure.code === "IncompleteSignature")) throw this.fail(failure);
      if (!key || !auth) throw this.unknownKey(auth?.accessKeyId ?? "");
      this.checkToken(key, header(req, "x-acs-security-token"));
      if (failure) throw this.fail(failure);
      this.useNonce(header(req, "x-acs-signature-nonce") ?? "", now);
      return { kind: "aksk", accessKey: key.accessKeyId, userId: alicloudDefaults.userId };
    }
    const params = rpcParams(req);
    const key = params.AccessKeyId ? this.keyOf(params.AccessKeyId) : undefined;
    const failure = verifyRpcV1(req.method, params, key?.accessKeySecret ?? "", now);
    if (failure && failure.code !== "SignatureDoesNotMatch") throw this.fail(failure);
    if (!key) throw this.unknownKey(params.AccessKeyId);
    this.checkToken(key, params.SecurityToken);
    if (failure) throw this.fail(failure);
    this.useNonce(params.SignatureNonce, now);
    return { kind: "aksk", accessKey: key.accessKeyId, userId: alicloudDefaults.userId };
  }

  private keyOf(id: string): AlicloudKey | undefined {
    return this.keys.get(id);
  }

  private unknownKey(id: string): ApiError {
    return popError(
      "InvalidAccessKeyId.NotFound",
      "Specified access key is not found.",
      404,
      `access key ${id}`,
    );
  }

  private checkToken(key: AlicloudKey, token: string | undefined): void {
    if (key.securityToken === undefined && token !== undefined && token !== "") {
      throw popError(
        "InvalidSecurityToken.MismatchWithAccessKey",
        "Specified SecurityToken mismatch with the AccessKey.",
      );
    }
    if (key.securityToken !== undefined && token !== key.securityToken) {
      throw token === undefined || token === ""
        ? popError("InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.")
        : popError(
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
          );
    }
  }

  /** Refuses a nonce seen within the skew window; a signature older than that is refused anyway. */
  private useNonce(nonce: string, now: Date): void {
    const t = now.getTime();
    for (const [n, until] of this.nonces) if (until <= t) this.nonces.delete(n);
    if (this.nonces.has(nonce)) {
      throw popError(
        "SignatureNonceUsed",
        "Specified signature nonce was used already.",
        400,
        `nonce ${nonce}`,
      );
    }
    this.nonces.set(nonce, t + 2 * MAX_CLOCK_SKEW_MS);
  }

  private fail(f: { code: string; message: string; stringToSign?: string }): ApiError {
    const status = f.code === "InvalidAccessKeyId.NotFound" ? 404 : 400;
    return popError(
      f.code,
      f.message,
      status,
      f.stringToSign ? `server string to sign: ${f.stringToSign}` : undefined,
    );
  }

  renderError(err: ApiError, req: EmulatorRequest): Reply {
    const host = header(req, "host") ?? "mse.cn-hangzhou.aliyuncs.com";
    const { action } = actionOf(req);
    return {
      status: err.status,
      headers: { ...err.options.headers, "x-acs-request-id": req.requestId },
      json: err.options.body ?? {
        RequestId: req.requestId,
        HostId: host,
        Code: err.code,
        Message: err.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=mse${
          action ? `&api=${encodeURIComponent(action)}` : ""
        }&requestId=${req.requestId}`,
        ...err.options.extra,
      },
    };
  }

  throttled(retryAfterSeconds: number): ApiError {
    // POP throttling is an HTTP 400. The official clients (tea-openapi) read the wait from
    // `x-acs-retry-after`, in milliseconds, and only then raise their ThrottlingException;
    // `Retry-After` (seconds) stays for generic HTTP clients. See docs/alibaba-mse.md.
    return new ApiError(400, "Throttling.User", "Request was denied due to user flow control.", {
      headers: {
        "Retry-After": String(retryAfterSeconds),
        "x-acs-retry-after": String(retryAfterSeconds * 1000),
      },
    });
  }

  serverError(status: number, _service: string): ApiError {
    if (status === 503)
      return popError(
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
        503,
      );
    return popError("InternalError", "The request processing has failed due to some unknown error.", status);
  }

  notFound(_req: EmulatorRequest): ApiError {
    return popError(
      "InvalidAction.NotFound",
      "Specified api is not found, please check your url and method.",
      404,
    );
  }
}
