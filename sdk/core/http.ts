import * as http from "node:http";
import * as https from "node:https";
import type { Socket } from "node:net";
import axios from "axios";
import { CloudError } from "./errors";
import type { CloudName } from "./errors";

/** A request as it goes on the wire: the signer and the sender both work on this shape. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** Absolute URL, query string included. */
  url: string;
  /** Header names as they will be sent. */
  headers: Record<string, string>;
  /** Exact body bytes as text; undefined sends no body. */
  body?: string;
}

/** A response with its body as text, parsed by the caller. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the sender needs to describe a failure in the project's error type. */
export interface CallSite {
  cloud: CloudName;
  service: string;
  operation: string;
}

/**
 * Sends one HTTP request. `timeoutMs` bounds the wait for the whole answer (the read timeout),
 * `connectTimeoutMs` the TCP connect alone. Injectable so that tests can drop or delay calls.
 */
export type HttpSender = (
  req: HttpRequest,
  timeoutMs: number,
  connectTimeoutMs?: number,
) => Promise<HttpResponse>;

const RETRYABLE_NET = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ERR_BAD_RESPONSE",
  "ECONNECTTIMEOUT",
]);

/** Connect timeouts need a socket hook; one pair of agents per timeout value, kept for reuse. */
const agents = new Map<number, { http: http.Agent; https: https.Agent }>();

function withConnectTimeout(socket: Socket, ms: number): void {
  if (!socket.connecting) return;
  const timer = setTimeout(() => {
    const e = new Error(`no TCP connection within the connect timeout of ${ms} ms`) as Error & {
      code: string;
    };
    e.code = "ECONNECTTIMEOUT";
    socket.destroy(e);
  }, ms);
  socket.once("connect", () => clearTimeout(timer));
  socket.once("close", () => clearTimeout(timer));
}

function agentsFor(ms: number): { http: http.Agent; https: https.Agent } {
  let a = agents.get(ms);
  if (!a) {
    class HttpAgent extends http.Agent {
      override createConnection(...args: Parameters<http.Agent["createConnection"]>) {
        const s = super.createConnection(...args) as Socket;
        withConnectTimeout(s, ms);
        return s;
      }
    }
    class HttpsAgent extends https.Agent {
      override createConnection(...args: Parameters<https.Agent["createConnection"]>) {
        const s = super.createConnection(...args) as Socket;
        withConnectTimeout(s, ms);
        return s;
      }
    }
    a = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
    agents.set(ms, a);
  }
  return a;
}

/** The default sender, on axios: status is never thrown, bodies stay text. */
export const axiosSender: HttpSender = async (req, timeoutMs, connectTimeoutMs) => {
  const agent = connectTimeoutMs === undefined ? undefined : agentsFor(connectTimeoutMs);
  const res = await axios.request<string>({
    httpAgent: agent?.http,
    httpsAgent: agent?.https,
    method: req.method,
    url: req.url,
    headers: req.headers,
    data: req.body,
    timeout: timeoutMs,
    responseType: "text",
    transformResponse: [(d: unknown) => d],
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    if (v !== undefined && v !== null) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return { status: res.status, headers, body: typeof res.data === "string" ? res.data : "" };
};

/**
 * Sends and turns transport failures (reset, refused, timeout) into a retryable CloudError.
 * HTTP error statuses are returned, not thrown: each cloud parses its own envelope.
 */
export async function send(
  site: CallSite,
  req: HttpRequest,
  timeoutMs: number,
  sender: HttpSender = axiosSender,
  connectTimeoutMs?: number,
): Promise<HttpResponse> {
  try {
    return await sender(req, timeoutMs, connectTimeoutMs);
  } catch (e) {
    const code = (e as { code?: string }).code ?? "ENETWORK";
    const raw = (e as Error).message ?? String(e);
    // axios says "timeout of 500ms exceeded"; say which timeout it was.
    const msg =
      code === "ECONNABORTED" || code === "ETIMEDOUT"
        ? `no answer within the read timeout of ${timeoutMs} ms (${raw})`
        : raw;
    throw new CloudError({
      ...site,
      code,
      detail: `${req.method} ${new URL(req.url).pathname}: ${msg}`,
      retryable: RETRYABLE_NET.has(code) || code === "ENETWORK",
    });
  }
}

/** RFC 3986 unreserved-only percent encoding shared by the Huawei and Alibaba signers. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

const HEX2 = /^[0-9A-Fa-f]{2}$/;

/**
 * Percent-decoding that never throws: a `%` not followed by two hex digits stays literal and
 * invalid UTF-8 becomes U+FFFD, as Python's `unquote` does. The signature verifiers see
 * arbitrary wire input, and `decodeURIComponent` would throw on it.
 */
export function decodeLenient(s: string, plusIsSpace: boolean): string {
  if (!s.includes("%") && !(plusIsSpace && s.includes("+"))) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i];
    if (c === "%" && HEX2.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (c === "+" && plusIsSpace) {
      bytes.push(0x20);
      i += 1;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i) ?? 0);
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** A response body as JSON when it parses, else the text itself; undefined when empty. */
export function parseBody(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * The `key=value` fields of an `Authorization: <scheme> k=v, k=v` header, names and values
 * trimmed; undefined for another scheme or a malformed field.
 */
export function authorizationFields(header: string, scheme: string): Record<string, string> | undefined {
  const h = header.trim();
  if (!h.startsWith(scheme) || !/\s/.test(h.charAt(scheme.length))) return undefined;
  const fields: Record<string, string> = {};
  for (const part of h.slice(scheme.length).trim().split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) return undefined;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return fields;
}

/** A `SignedHeaders` value as lower-case names. */
export function signedHeaderList(value: string | undefined): string[] {
  return (value ?? "")
    .split(";")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "");
}

/**
 * Path and raw query of a URL as it goes on the wire. Absolute URLs go through WHATWG `URL`,
 * exactly as axios does before sending, so dot segments are resolved the same way on both
 * sides. A bare path+query (what a server receives) is taken verbatim.
 */
export function splitUrl(url: string): { path: string; query: string } {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) {
    const u = new URL(url);
    return { path: u.pathname, query: u.search.slice(1) };
  }
  const noFragment = url.split("#", 1)[0];
  const q = noFragment.indexOf("?");
  return q < 0
    ? { path: noFragment, query: "" }
    : { path: noFragment.slice(0, q), query: noFragment.slice(q + 1) };
}
