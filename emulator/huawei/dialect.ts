/**
 * The Huawei Cloud API gateway (APIG) in front of IAM, SMS and DCS: AK/SK signature or IAM
 * token authentication, and the `{error_code, error_msg, request_id}` envelope with the
 * `APIGW.*` codes of docs/huawei-dcs.md.
 */
import { parseHuaweiAuthorization, verifyHuaweiSignature } from "../../sdk/huawei/signer";
import { ApiError } from "../core/types";
import type { Dialect, EmulatorRequest, Principal, Reply } from "../core/types";
import type { HuaweiIdentity } from "./identity";
import { PROJECTS } from "./identity";

const IAM_AUTH = "Incorrect IAM authentication information";

/** 401 `APIGW.0301` with the gateway's message. */
export function apigwUnauthorized(reason: string, logDetail?: string): ApiError {
  return new ApiError(401, "APIGW.0301", `${IAM_AUTH}: ${reason}`, { logDetail });
}

/** 403 `APIGW.0302`: the caller is authenticated but may not act in the scope it names. */
export function apigwForbidden(logDetail: string): ApiError {
  return new ApiError(403, "APIGW.0302", "The IAM user is not authorized to access the API", { logDetail });
}

/** First value of a header. */
export function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The envelope every Huawei service error uses. */
export function huaweiEnvelope(err: ApiError, requestId: string): Record<string, unknown> {
  return { error_code: err.code, error_msg: err.message, request_id: requestId, ...err.options.extra };
}

/** The Huawei API gateway dialect. */
export class HuaweiDialect implements Dialect {
  readonly name = "huawei";
  private readonly serverErrors = new Map<string, { code: string; message: string }>();

  /**
   * @param identity - keys and tokens callers are checked against.
   * @param wallClock - the clock X-Sdk-Date is checked against. Clients sign with their real
   *   clock, so this is the wall clock, not emulator time: advancing emulator time must not
   *   make every signature stale.
   */
  constructor(
    private readonly identity: HuaweiIdentity,
    private readonly wallClock: () => Date = () => new Date(),
  ) {}

  /** Declares the code a service answers an internal failure (HTTP 500) with, e.g. `SMS.2007`. */
  registerServerError(service: string, code: string, message: string): void {
    this.serverErrors.set(service, { code, message });
  }

  authenticate(req: EmulatorRequest, emulatorNow: Date): Principal {
    const authorization = header(req, "authorization");
    if (authorization !== undefined) return this.authenticateAkSk(req, authorization, emulatorNow.getTime());
    const token = header(req, "x-auth-token");
    if (token !== undefined) return this.authenticateToken(token, emulatorNow.getTime());
    throw apigwUnauthorized("Authorization not found", "neither Authorization nor X-Auth-Token was sent");
  }

  private authenticateAkSk(req: EmulatorRequest, authorization: string, now: number): Principal {
    const parsed = parseHuaweiAuthorization(authorization);
    if (!parsed) {
      throw apigwUnauthorized(
        "verify aksk signature fail",
        `unsupported or malformed Authorization: ${authorization.slice(0, 40)}`,
      );
    }
    const key = this.identity.findAccessKey(parsed.accessKey);
    if (!key) throw apigwUnauthorized("ak not exist", `unknown access key ${parsed.accessKey}`);
    const securityToken = header(req, "x-security-token");
    if (key.temporary) {
      if (securityToken === undefined || securityToken !== key.securityToken) {
        throw apigwUnauthorized(
          "verify security token fail",
          `temporary access key ${key.accessKey} came without its X-Security-Token`,
        );
      }
      if (key.expiresAt !== undefined && key.expiresAt <= now) {
        throw apigwUnauthorized("security token expired", `temporary access key ${key.accessKey} expired`);
      }
    } else if (securityToken !== undefined && !(key.acceptedSecurityTokens ?? []).includes(securityToken)) {
      throw apigwUnauthorized(
        "verify security token fail",
        `X-Security-Token does not belong to access key ${key.accessKey}`,
      );
    }
    const reason = verifyHuaweiSignature(
      { method: req.method, url: req.rawUrl, headers: req.headers, body: req.body },
      key.secretKey,
      this.wallClock(),
    );
    if (reason !== undefined) throw apigwUnauthorized("verify aksk signature fail", reason);
    // The gateway scopes an AK/SK call to the project (or account) its headers name, and only a
    // project of the key's own account may be named: any other is refused, as a foreign project
    // in a DCS path is.
    const projectId = header(req, "x-project-id");
    if (projectId !== undefined && !PROJECTS.some((p) => p.id === projectId && p.domainId === key.domainId)) {
      throw apigwForbidden(`project ${projectId} is not a project of the credential's account`);
    }
    const domainId = header(req, "x-domain-id");
    if (domainId !== undefined && domainId !== key.domainId) {
      throw apigwForbidden(`account ${domainId} is not the credential's account`);
    }
    return {
      kind: "aksk",
      accessKey: key.accessKey,
      userId: key.userId,
      domainId: key.domainId,
      projectId: header(req, "x-project-id"),
    };
  }

  private authenticateToken(token: string, now: number): Principal {
    const t = this.identity.findToken(token);
    if (!t) throw apigwUnauthorized("decrypt token fail", "X-Auth-Token was not issued by this emulator");
    if (t.expiresAt <= now) {
      throw apigwUnauthorized("token expired", `token expired at ${new Date(t.expiresAt).toISOString()}`);
    }
    return { kind: "token", userId: t.userId, domainId: t.domainId, projectId: t.project?.id };
  }

  renderError(err: ApiError, req: EmulatorRequest): Reply {
    return {
      status: err.status,
      headers: err.options.headers,
      json: err.options.body ?? huaweiEnvelope(err, req.requestId),
    };
  }

  throttled(retryAfterSeconds: number): ApiError {
    return new ApiError(429, "APIGW.0308", "The request is throttled.", {
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
  }

  serverError(status: number, service: string): ApiError {
    const own = this.serverErrors.get(service);
    if (status === 500 && own) return new ApiError(500, own.code, own.message);
    // [INF] gateway codes for an unreachable or overloaded backend.
    if (status === 502) return new ApiError(502, "APIGW.0202", "Backend unavailable");
    if (status === 503) return new ApiError(503, "APIGW.0201", "Service unavailable, please try again later");
    return new ApiError(status, "APIGW.0103", "Internal server error");
  }

  notFound(_req: EmulatorRequest): ApiError {
    return new ApiError(
      404,
      "APIGW.0101",
      "The API does not exist or has not been published in the environment",
    );
  }
}
