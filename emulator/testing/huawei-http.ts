/**
 * A raw Huawei HTTP caller for tests: builds the request by hand, signs it with the package's
 * signer (or sends an IAM token), and returns status, headers and body as received. Independent
 * of the SDK client on purpose, so emulator tests exercise the wire format directly.
 */
import * as http from "http";
import type { HttpRequest } from "../../sdk/core/http";
import { signHuaweiRequest } from "../../sdk/huawei/signer";
import { emulatorDefaults } from "../defaults";

/** How a call authenticates. */
export type HuaweiAuth =
  { accessKey: string; secretKey: string; securityToken?: string } | { token: string } | "none";

/** One call. */
export interface HuaweiCall {
  method: HttpRequest["method"];
  /** Path, optionally with a query string. */
  path: string;
  query?: Record<string, string | number | boolean>;
  /** Object → JSON text; string → sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: the emulator's AK/SK. */
  auth?: HuaweiAuth;
  /** `X-Project-Id` (default: the emulator's project); `false` sends none. */
  projectId?: string | false;
  domainId?: string;
  /** Send no Content-Type at all. */
  noContentType?: boolean;
  /** Mutates the signed request before sending (to tamper with it). */
  tamper?: (req: HttpRequest) => HttpRequest;
}

/** What came back. */
export interface HuaweiReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, undefined when empty or not JSON. */
  json: unknown;
}

/** Sends a request exactly as given (no signing); rejects on socket errors. */
export function rawRequest(req: HttpRequest): Promise<HuaweiReply> {
  return new Promise((resolve, reject) => {
    const u = new URL(req.url);
    const r = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: req.method,
        path: u.pathname + u.search,
        headers: {
          ...req.headers,
          ...(req.body !== undefined ? { "Content-Length": String(Buffer.byteLength(req.body)) } : {}),
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = undefined;
          try {
            json = text === "" ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Builds, authenticates and sends one call to the emulator at `baseUrl`. */
export function huaweiCall(baseUrl: string, call: HuaweiCall): Promise<HuaweiReply> {
  const url = new URL(baseUrl + call.path);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.append(k, String(v));
  const headers: Record<string, string> = call.noContentType
    ? { ...call.headers }
    : { "Content-Type": "application/json", ...call.headers };
  if (call.projectId !== false) headers["X-Project-Id"] = call.projectId ?? emulatorDefaults.projectId;
  if (call.domainId) headers["X-Domain-Id"] = call.domainId;
  const body =
    call.body === undefined
      ? undefined
      : typeof call.body === "string"
        ? call.body
        : JSON.stringify(call.body);
  let req: HttpRequest = { method: call.method, url: url.toString(), headers, body };
  const auth = call.auth ?? { accessKey: emulatorDefaults.accessKey, secretKey: emulatorDefaults.secretKey };
  if (auth !== "none") {
    if ("token" in auth) {
      req.headers["X-Auth-Token"] = auth.token;
    } else {
      if (auth.securityToken) req.headers["X-Security-Token"] = auth.securityToken;
      req = signHuaweiRequest(req, auth);
    }
  }
  if (call.tamper) req = call.tamper(req);
  return rawRequest(req);
}
