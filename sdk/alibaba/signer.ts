/**
 * Alibaba Cloud POP request signing, for the client and for the emulator's verifier:
 * ACS3-HMAC-SHA256 (signature v3, the default of the current official SDKs) and the RPC
 * signature v1 (HMAC-SHA1) that `@alicloud/pop-core`, Terraform and older tools use
 * (docs/signing.md).
 *
 * Where the reference text and the official packages differ in a detail, this file does what the
 * packages do, since their requests are what the gateway accepts: query keys are sorted by their
 * raw (unencoded) text in both versions, and v3 puts query keys into the canonical query unencoded.
 * Both only matter for keys outside `A-Z a-z 0-9 - _ . ~`, which no POP API uses.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from "crypto";
import type { HttpRequest } from "../core/http";
import { authorizationFields, decodeLenient, percentEncode, signedHeaderList, splitUrl } from "../core/http";

/** An access key pair, with the STS token when the pair is temporary. */
export interface AlicloudCredential {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Per-call values of a signature. Both default to fresh ones; tests fix them. */
export interface SignOptions {
  /** Signature nonce; `crypto.randomUUID()` when absent. The gateway refuses a nonce seen twice. */
  nonce?: string;
  /** Signing time; now when absent. */
  date?: Date;
}

/** Why the gateway would refuse a request, in its own code vocabulary (docs/alibaba-mse.md). */
export interface SignatureFailure {
  /** POP error code, for example `SignatureDoesNotMatch`, `IncompleteSignature`, `InvalidTimeStamp.Expired`. */
  code: string;
  message: string;
  /** The string to sign the server computed, set on a mismatch (the gateway echoes it for v1). */
  stringToSign?: string;
}

/** The request shape the verifiers take: what an HTTP server hands over. */
export interface ReceivedRequest {
  method: string;
  /** Absolute URL or path+query as received. */
  url: string;
  /** Header names in any letter case; repeated headers as arrays. */
  headers: Record<string, string | string[] | undefined>;
  /** Exact body text; undefined for none. */
  body?: string;
}

/** Scheme name of signature v3, also the first line of its string to sign. */
export const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";
/** Hex SHA-256 of the empty body, the `x-acs-content-sha256` of every RPC call in the SDK. */
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** Clock difference the gateway tolerates, in both versions (docs/signing.md). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

function sha256Hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

/** Code-unit order, which is what the official packages' `Array.prototype.sort()` uses. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `YYYY-MM-DDThh:mm:ssZ` in UTC, the format of `Timestamp` (v1) and `x-acs-date` (v3). */
export function formatAlicloudTimestamp(d: Date): string {
  return d.toISOString().slice(0, 19) + "Z";
}

/** Parses {@link formatAlicloudTimestamp}'s format; undefined for anything else, including impossible dates. */
export function parseAlicloudTimestamp(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s)) return undefined;
  const t = Date.parse(s);
  // Date.parse accepts 2024-02-31 in some engines by rolling over; a round trip rejects it.
  return Number.isNaN(t) || formatAlicloudTimestamp(new Date(t)) !== s ? undefined : t;
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function flattenInto(target: Map<string, string>, value: unknown, key: string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => flattenInto(target, item, key === "" ? String(i + 1) : `${key}.${i + 1}`));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flattenInto(target, v, key === "" ? k : `${key}.${k}`);
  } else {
    target.set(key, String(value));
  }
}

/**
 * Flattens API parameters the way `@alicloud/openapi-util`'s `query()` does: arrays become
 * `Key.1`, `Key.2` (1-based), objects `Key.Sub`, to any depth (`Key.1.Sub.2`); null and undefined
 * are dropped (an array keeps the positions of the others); scalars become strings.
 */
export function flattenParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out = new Map<string, string>();
  flattenInto(out, params, "");
  // fromEntries defines `__proto__` as a plain key instead of calling the prototype setter.
  return Object.fromEntries(out);
}

/**
 * Decoded `key=value` pairs of a query string or an `application/x-www-form-urlencoded` body,
 * in wire order. `+` is a space: Node's `querystring` and `URLSearchParams` write a literal plus
 * as `%2B`, so no official client puts a bare `+` on the wire meaning a plus.
 */
export function decodeParamPairs(raw: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([decodeLenient(k, true), decodeLenient(v, true)]);
  }
  return pairs;
}

/**
 * {@link decodeParamPairs} as a map, for the emulator: RPC parameters may come in the query
 * (openapi-client), in a form body (pop-core), or both. A repeated key keeps its last value.
 */
export function decodeParams(raw: string): Record<string, string> {
  return Object.fromEntries(new Map(decodeParamPairs(raw)));
}

/** A query string as the client sends it: every key and value RFC 3986-encoded, in the given order. */
export function encodeParams(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join("&");
}

// ---------------------------------------------------------------------------------------------
// ACS3-HMAC-SHA256 (signature v3)
// ---------------------------------------------------------------------------------------------

/** Lower-cased names to their values, values trimmed; repeated names (any case) keep every value. */
function headerValues(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const lk = k.toLowerCase();
    const list = out.get(lk) ?? [];
    for (const item of Array.isArray(v) ? v : [v]) list.push(item.trim());
    out.set(lk, list);
  }
  return out;
}

/** The headers the official signer signs: every `x-acs-*`, `host` and `content-type`, sorted. */
export function acs3SignedHeaderNames(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string[] {
  return [...headerValues(headers).keys()]
    .filter((k) => k.startsWith("x-acs-") || k === "host" || k === "content-type")
    .sort(compareCodeUnits);
}

/** Step 1 of 4(b): the SDK replaces only the first `+`, `*` and `%7E` (JS `String.replace`). */
function acs3CanonicalUri(path: string): string {
  return path.replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
}

/** Step 2 of 4(b): keys sorted and left as they are, values encoded; a key without a value gives `key=`. */
function acs3CanonicalQuery(rawQuery: string): string {
  return decodeParamPairs(rawQuery)
    .sort((a, b) => compareCodeUnits(a[0], b[0]) || compareCodeUnits(a[1], b[1]))
    .map(([k, v]) => `${k}=${percentEncode(v)}`)
    .join("&");
}

/**
 * The v3 canonical request (4(b) steps 1 to 5): method, canonical URI, canonical query, one
 * `name:value` line per signed header (repeated values trimmed, sorted, comma-joined), the signed
 * header list, and the payload hash (the `x-acs-content-sha256` header, else the body's SHA-256).
 *
 * @param req - `url` absolute or path+query; only its path and query are used.
 * @param signedHeaders - names to sign in `SignedHeaders` order; {@link acs3SignedHeaderNames} when absent.
 * @throws Error when a signed header is not in the request.
 */
export function acs3CanonicalRequest(
  req: {
    method: string;
    url: string;
    headers: Readonly<Record<string, string | string[] | undefined>>;
    body?: string;
  },
  signedHeaders?: readonly string[],
): string {
  const values = headerValues(req.headers);
  const names = (signedHeaders ?? acs3SignedHeaderNames(req.headers)).map((n) => n.toLowerCase());
  const lines = names.map((n) => {
    const v = values.get(n);
    if (v === undefined) throw new Error(`signed header ${n} is not in the request`);
    return `${n}:${[...v].sort(compareCodeUnits).join(",")}\n`;
  });
  const { path, query } = splitUrl(req.url);
  const payloadHash = values.get("x-acs-content-sha256")?.[0] ?? sha256Hex(req.body ?? "");
  return [
    req.method.toUpperCase(),
    acs3CanonicalUri(path),
    acs3CanonicalQuery(query),
    lines.join(""),
    names.join(";"),
    payloadHash,
  ].join("\n");
}

/** `ACS3-HMAC-SHA256\n<hex sha256 of the canonical request>`. */
export function acs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

/** Lower-case hex HMAC-SHA256 of the string to sign, keyed by the bare secret. */
export function acs3Signature(stringToSign: string, accessKeySecret: string): string {
  return createHmac("sha256", accessKeySecret).update(stringToSign, "utf8").digest("hex");
}

/** Headers the v3 signer owns: a request signed before (a retry) must get fresh ones. */
const ACS3_SIGNER_HEADERS = new Set([
  "authorization",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
  "x-acs-accesskey-id",
  "x-acs-security-token",
]);

/**
 * Signs a request with ACS3-HMAC-SHA256 as `@alicloud/openapi-client`'s `doRequest` does. The
 * caller sets `x-acs-action` and `x-acs-version`; the signer adds `host` (from the URL, port
 * included) unless present, and always replaces `x-acs-date`, `x-acs-signature-nonce`,
 * `x-acs-content-sha256`, the STS headers and `Authorization` with fresh values.
 *
 * @returns a signed copy; `req` is not modified.
 */
export function signAcs3(req: HttpRequest, cred: AlicloudCredential, opts: SignOptions = {}): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!ACS3_SIGNER_HEADERS.has(k.toLowerCase())) headers[k] = v;
  }
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "host")) headers["host"] = new URL(req.url).host;
  headers["x-acs-date"] = formatAlicloudTimestamp(opts.date ?? new Date());
  headers["x-acs-signature-nonce"] = opts.nonce ?? randomUUID();
  headers["x-acs-content-sha256"] = sha256Hex(req.body ?? "");
  if (cred.securityToken) {
    headers["x-acs-accesskey-id"] = cred.accessKeyId;
    headers["x-acs-security-token"] = cred.securityToken;
  }
  const signed = acs3SignedHeaderNames(headers);
  const canonical = acs3CanonicalRequest({ ...req, headers }, signed);
  const signature = acs3Signature(acs3StringToSign(canonical), cred.accessKeySecret);
  headers["Authorization"] =
    `${ACS3_ALGORITHM} Credential=${cred.accessKeyId},SignedHeaders=${signed.join(";")},Signature=${signature}`;
  return { ...req, headers };
}

/** The parts of a v3 `Authorization` header. */
export interface Acs3Authorization {
  accessKeyId: string;
  /** Lower-cased, in the declared order. */
  signedHeaders: string[];
  signature: string;
}

/**
 * Parses `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<a;b>,Signature=<hex>`; spaces around
 * the commas are tolerated.
 *
 * @returns undefined for another scheme or when a part is missing.
 */
export function parseAcs3Authorization(h: string): Acs3Authorization | undefined {
  const fields = authorizationFields(h, "ACS3-HMAC-SHA256");
  if (!fields) return undefined;
  const accessKeyId = fields["Credential"];
  const signature = fields["Signature"];
  const signedHeaders = signedHeaderList(fields["SignedHeaders"]);
  if (!accessKeyId || !signature || signedHeaders.length === 0) return undefined;
  return { accessKeyId, signedHeaders, signature };
}

/** Headers without which a v3 request could be replayed, redirected or reinterpreted. */
const ACS3_MUST_SIGN = [
  "host",
  "x-acs-action",
  "x-acs-version",
  "x-acs-date",
  "x-acs-signature-nonce",
  "x-acs-content-sha256",
];

/**
 * Verifies a v3-signed request as the gateway would, for the emulator: the canonical request is
 * rebuilt from the `SignedHeaders` the client declared, over the body actually received. Nonce
 * replay and whether the access key and STS token are valid are the caller's to check.
 *
 * @param secret - the secret of the access key named in `Authorization` ({@link parseAcs3Authorization}).
 * @param now - the server's clock, for the 15-minute skew check.
 * @returns undefined when valid, otherwise the POP error the gateway would answer.
 */
export function verifyAcs3(
  req: ReceivedRequest,
  secret: string,
  now: Date = new Date(),
): SignatureFailure | undefined {
  const values = headerValues(req.headers);
  const one = (name: string): string | undefined => values.get(name)?.join(", ");
  const authorization = one("authorization");
  if (authorization === undefined)
    return { code: "IncompleteSignature", message: "Authorization header is missing." };
  const auth = parseAcs3Authorization(authorization);
  if (!auth) {
    return {
      code: "IncompleteSignature",
      message:
        "The request signature does not conform to Aliyun standards: expected " +
        "ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>.",
    };
  }
  for (const name of auth.signedHeaders) {
    if (!values.has(name))
      return { code: "IncompleteSignature", message: `Signed header ${name} is not in the request.` };
  }
  const mustSign = values.has("x-acs-security-token")
    ? [...ACS3_MUST_SIGN, "x-acs-security-token"]
    : ACS3_MUST_SIGN;
  for (const name of mustSign) {
    if (!auth.signedHeaders.includes(name)) {
      return { code: "IncompleteSignature", message: `Header ${name} must be present and signed.` };
    }
  }
  const date = one("x-acs-date") ?? "";
  const t = parseAlicloudTimestamp(date);
  if (t === undefined) {
    return {
      code: "InvalidTimeStamp.Format",
      message: `Specified x-acs-date ${JSON.stringify(date)} is not valid: expected YYYY-MM-DDThh:mm:ssZ.`,
    };
  }
  if (Math.abs(now.getTime() - t) > MAX_CLOCK_SKEW_MS) {
    return { code: "InvalidTimeStamp.Expired", message: "Specified time stamp or date value is expired." };
  }
  if ((one("x-acs-content-sha256") ?? "").toLowerCase() !== sha256Hex(req.body ?? "")) {
    return {
      code: "SignatureDoesNotMatch",
      message: "The x-acs-content-sha256 header does not match the request body.",
    };
  }
  const headers: Record<string, string[]> = Object.fromEntries(values);
  const stringToSign = acs3StringToSign(acs3CanonicalRequest({ ...req, headers }, auth.signedHeaders));
  if (safeEqual(acs3Signature(stringToSign, secret), auth.signature.toLowerCase())) return undefined;
  return {
    code: "SignatureDoesNotMatch",
    message: "Specified signature is not matched with our calculation.",
    stringToSign,
  };
}

// ---------------------------------------------------------------------------------------------
// RPC signature v1 (HMAC-SHA1)
// ---------------------------------------------------------------------------------------------

/**
 * 4(a) steps 2 and 3: every parameter but `Signature`, sorted by key, key and value encoded,
 * joined with `&`.
 */
export function rpcV1CanonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort(compareCodeUnits)
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join("&");
}

/** `METHOD&%2F&enc(canonical query)`. */
export function rpcV1StringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method.toUpperCase()}&${percentEncode("/")}&${percentEncode(rpcV1CanonicalQuery(params))}`;
}

/**
 * Base64 HMAC-SHA1 of the string to sign keyed by `secret + "&"`, over flat parameters (see
 * {@link flattenParams}); a `Signature` among them is ignored.
 */
export function rpcV1Signature(
  method: string,
  params: Readonly<Record<string, string>>,
  secret: string,
): string {
  return createHmac("sha1", `${secret}&`).update(rpcV1StringToSign(method, params), "utf8").digest("base64");
}

/** Parameters the v1 signer owns: a request signed before (a retry) must get fresh ones. */
const RPC_V1_SIGNER_PARAMS = [
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "Timestamp",
  "AccessKeyId",
  "SecurityToken",
];

/**
 * Adds the v1 common parameters and the signature to flat API parameters, as
 * `@alicloud/openapi-client`'s `doRPCRequest` does: `Format` (`json` unless given), `Timestamp`,
 * `SignatureNonce`, `SignatureMethod`, `SignatureVersion`, `AccessKeyId`, `SecurityToken` with an
 * STS credential, and `Signature`.
 *
 * @param method - the HTTP method the request will be sent with; it is part of the signature.
 * @param params - must hold `Action` and `Version`.
 * @returns a new map; send every entry, `Signature` included, in the query or a form body.
 * @throws Error when `Action` or `Version` is missing.
 */
export function signRpcV1(
  method: string,
  params: Readonly<Record<string, string>>,
  cred: AlicloudCredential,
  opts: SignOptions & { format?: string } = {},
): Record<string, string> {
  if (!params.Action || !params.Version)
    throw new Error("RPC v1 signing needs the Action and Version parameters");
  const out: Record<string, string> = Object.fromEntries(
    Object.entries(params).filter(([k]) => !RPC_V1_SIGNER_PARAMS.includes(k)),
  );
  out.Format = opts.format ?? params.Format ?? "json";
  out.Timestamp = formatAlicloudTimestamp(opts.date ?? new Date());
  out.SignatureNonce = opts.nonce ?? randomUUID();
  if (cred.securityToken) out.SecurityToken = cred.securityToken;
  out.SignatureMethod = "HMAC-SHA1";
  out.SignatureVersion = "1.0";
  out.AccessKeyId = cred.accessKeyId;
  out.Signature = rpcV1Signature(method, out, cred.accessKeySecret);
  return out;
}

const RPC_V1_REQUIRED = [
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "Timestamp",
];

/**
 * Verifies a v1-signed call as the gateway would, for the emulator. Nonce replay and whether the
 * access key and STS token are valid are the caller's to check.
 *
 * @param method - the HTTP method the request arrived with.
 * @param params - decoded parameters of the query and the form body together ({@link decodeParams}).
 * @param secret - the secret of `params.AccessKeyId`.
 * @param now - the server's clock, for the 15-minute skew check.
 * @returns undefined when valid, otherwise the POP error the gateway would answer.
 */
export function verifyRpcV1(
  method: string,
  params: Readonly<Record<string, string>>,
  secret: string,
  now: Date = new Date(),
): SignatureFailure | undefined {
  for (const name of RPC_V1_REQUIRED) {
    if (params[name] === undefined || params[name] === "") {
      return {
        code: "MissingParameter",
        message: `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
      };
    }
  }
  if (params.SignatureMethod !== "HMAC-SHA1") {
    return { code: "InvalidParameter", message: 'The specified parameter "SignatureMethod" is not valid.' };
  }
  if (params.SignatureVersion !== "1.0") {
    return { code: "InvalidParameter", message: 'The specified parameter "SignatureVersion" is not valid.' };
  }
  const t = parseAlicloudTimestamp(params.Timestamp);
  if (t === undefined) {
    return {
      code: "InvalidTimeStamp.Format",
      message: "Specified time stamp or date value is not well formatted.",
    };
  }
  if (Math.abs(now.getTime() - t) > MAX_CLOCK_SKEW_MS) {
    return { code: "InvalidTimeStamp.Expired", message: "Specified time stamp or date value is expired." };
  }
  const stringToSign = rpcV1StringToSign(method, params);
  const expected = createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
  if (safeEqual(expected, params.Signature)) return undefined;
  return {
    code: "SignatureDoesNotMatch",
    message: `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    stringToSign,
  };
}
