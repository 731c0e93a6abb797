/**
 * Huawei Cloud API Gateway request signing, `SDK-HMAC-SHA256` (AK/SK), for the client and for
 * the emulator's verifier. The canonical form follows the official signers (docs/signing.md):
 * where the Node and Python SDKs disagree, this file does what reaches the gateway intact, which
 * is the Python behaviour (decode the path before encoding it) and the wire form of the URL.
 */
import { createHash, createHmac, timingSafeEqual } from "crypto";
import type { HttpRequest } from "../core/http";
import { authorizationFields, decodeLenient, percentEncode, signedHeaderList, splitUrl } from "../core/http";

/** An access key pair. A security token, when there is one, travels as the `X-Security-Token` header. */
export interface HuaweiAkSk {
  accessKey: string;
  secretKey: string;
}

const ALGORITHM = "SDK-HMAC-SHA256";
const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
/** The gateway's tolerated clock difference (docs/signing.md, inferred). */
const MAX_SKEW_MS = 15 * 60 * 1000;

function sha256Hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

function hmacHex(key: string, s: string): string {
  return createHmac("sha256", key).update(s, "utf8").digest("hex");
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
function formatSdkDate(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-:]/g, "") + "Z";
}

function parseSdkDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  // Date.UTC rolls 20240231 over into March; a round trip rejects such dates.
  return Number.isNaN(t) || formatSdkDate(new Date(t)) !== s ? undefined : t;
}

function canonicalUri(path: string): string {
  const joined = decodeLenient(path === "" ? "/" : path, false)
    .split("/")
    .map(percentEncode)
    .join("/");
  return joined.endsWith("/") ? joined : joined + "/";
}

/** Code-unit order, which is what the Node SDK's `Array.prototype.sort` uses. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `+` is read as a space: URLSearchParams (which our client uses) writes spaces that way and
 * writes a literal plus as `%2B`, while neither official SDK ever puts a bare `+` on the wire.
 */
function canonicalQuery(query: string): string {
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([decodeLenient(k, true), decodeLenient(v, true)]);
  }
  pairs.sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]));
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
}

/**
 * A map without a prototype: header names come from the network, and `constructor` or
 * `__proto__` must read as absent rather than as Object's own members.
 */
function headerMap(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** Lower-cased copy; rejects two names that differ only in case, since which one is sent is undefined. */
function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out = headerMap();
  for (const [k, v] of Object.entries(headers)) {
    const lk = k.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(out, lk)) {
      throw new Error(
        `header ${lk} is given twice with different letter case; cannot sign an ambiguous request`,
      );
    }
    out[lk] = v;
  }
  return out;
}

/**
 * Canonical request (docs/signing.md): method, canonical URI, canonical query, one `name:value` line per
 * signed header, the signed header list and the payload hash, joined with `\n`.
 *
 * @param url - absolute URL or path+query; only the path and the query are used.
 * @param headers - header map in any letter case; values are used as given (the Node SDK does not trim).
 * @param signedHeaders - the names to sign, in the order they are listed in `SignedHeaders`.
 * @param body - exact body text; `undefined` hashes as the empty string.
 * @throws Error when a signed header is absent from `headers`.
 */
export function huaweiCanonicalRequest(
  method: string,
  url: string,
  headers: Record<string, string>,
  signedHeaders: string[],
  body: string | undefined,
): string {
  const lower = lowerCaseHeaders(headers);
  const names = signedHeaders.map((n) => n.toLowerCase());
  const lines = names.map((n) => {
    const v = lower[n];
    if (v === undefined) throw new Error(`signed header ${n} is not in the request`);
    return `${n}:${v}\n`;
  });
  const { path, query } = splitUrl(url);
  const payloadHash = lower["x-sdk-content-sha256"] ?? sha256Hex(body ?? "");
  return [
    method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    lines.join(""),
    names.join(";"),
    payloadHash,
  ].join("\n");
}

/** `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256 of the canonical request>`. */
export function huaweiStringToSign(canonicalRequest: string, sdkDate: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * Signs a request the way the official Node SDK does: every header present is signed, `host`
 * is added from the URL when absent, `X-Sdk-Date` is added unless the caller set one.
 *
 * @returns a copy of `req` with `X-Sdk-Date` (when added), `host` (when added) and `Authorization`.
 */
export function signHuaweiRequest(req: HttpRequest, cred: HuaweiAkSk, now: Date = new Date()): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    // A request signed before (a retry) must not sign its old signature into the new one.
    if (k.toLowerCase() !== "authorization") headers[k] = v;
  }
  const lower = lowerCaseHeaders(headers);
  let sdkDate = lower["x-sdk-date"];
  if (sdkDate === undefined) {
    sdkDate = formatSdkDate(now);
    headers["X-Sdk-Date"] = sdkDate;
  }
  // host[:port] without a default port, which is what Node's http module sends.
  if (lower["host"] === undefined) headers["host"] = new URL(req.url).host;
  const signed = Object.keys(headers)
    .map((k) => k.toLowerCase())
    .sort(compareCodeUnits);
  const canonical = huaweiCanonicalRequest(req.method, req.url, headers, signed, req.body);
  const signature = hmacHex(cred.secretKey, huaweiStringToSign(canonical, sdkDate));
  headers["Authorization"] =
    `${ALGORITHM} Access=${cred.accessKey}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
  return { ...req, headers };
}

/**
 * Parses `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b>, Signature=<hex>`; spaces after the
 * commas are optional. Header names come back lower-cased.
 *
 * @returns undefined for another scheme or when a part is missing.
 */
export function parseHuaweiAuthorization(
  h: string,
): { accessKey: string; signedHeaders: string[]; signature: string } | undefined {
  const fields = authorizationFields(h, "SDK-HMAC-SHA256");
  if (!fields) return undefined;
  const accessKey = fields["Access"];
  const signature = fields["Signature"];
  const signedHeaders = signedHeaderList(fields["SignedHeaders"]);
  if (!accessKey || !signature || signedHeaders.length === 0) return undefined;
  return { accessKey, signedHeaders, signature };
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), "utf8");
  const y = Buffer.from(b.toLowerCase(), "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies an AK/SK-signed request as the gateway would, for the emulator. The canonical request
 * is rebuilt from the `SignedHeaders` the client declared, in the declared order, over the body
 * actually received.
 *
 * @param req - `url` may be absolute or a path+query; `headers` in any letter case, arrays joined with ", ".
 * @param secretKey - the secret of the access key named in the Authorization header (see {@link parseHuaweiAuthorization}).
 * @returns undefined when valid, otherwise why not ("signature mismatch", "missing X-Sdk-Date", ...).
 */
export function verifyHuaweiSignature(
  req: {
    method: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
    body: string | undefined;
  },
  secretKey: string,
  now: Date = new Date(),
): string | undefined {
  const headers = headerMap();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const lk = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(", ") : v;
    headers[lk] = headers[lk] === undefined ? value : `${headers[lk]}, ${value}`;
  }
  const authorization = headers["authorization"];
  if (authorization === undefined) return "missing Authorization header";
  const auth = parseHuaweiAuthorization(authorization);
  if (!auth) {
    return "malformed Authorization header: expected SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>";
  }
  const rawDate = headers["x-sdk-date"];
  if (rawDate === undefined) return "missing X-Sdk-Date";
  const sdkDate = rawDate.trim();
  const t = parseSdkDate(sdkDate);
  if (t === undefined) return `malformed X-Sdk-Date ${JSON.stringify(sdkDate)}: expected YYYYMMDDTHHMMSSZ`;
  if (Math.abs(now.getTime() - t) > MAX_SKEW_MS) return "X-Sdk-Date skew over 15 minutes";
  for (const name of auth.signedHeaders) {
    if (headers[name] === undefined) return `signed header ${name} missing`;
  }
  // Without these two signed, a captured request could be replayed later or to another host.
  if (!auth.signedHeaders.includes("x-sdk-date")) return "X-Sdk-Date is not a signed header";
  if (!auth.signedHeaders.includes("host")) return "host is not a signed header";
  const declaredHash = headers["x-sdk-content-sha256"];
  if (
    declaredHash !== undefined &&
    declaredHash.trim() !== UNSIGNED_PAYLOAD &&
    declaredHash.trim().toLowerCase() !== sha256Hex(req.body ?? "")
  ) {
    return "X-Sdk-Content-Sha256 does not match the body";
  }
  const trimmed = headerMap();
  for (const [k, v] of Object.entries(headers)) trimmed[k] = v.trim();
  const padded = auth.signedHeaders.some((n) => headers[n] !== trimmed[n]);
  // Node signs values untrimmed, Python trimmed; HTTP servers usually deliver them trimmed.
  for (const candidate of padded ? [headers, trimmed] : [headers]) {
    const canonical = huaweiCanonicalRequest(req.method, req.url, candidate, auth.signedHeaders, req.body);
    if (safeEqualHex(hmacHex(secretKey, huaweiStringToSign(canonical, sdkDate)), auth.signature))
      return undefined;
  }
  return "signature mismatch";
}
