/**
 * Routing and validation for REST services described by `RestOperation` contracts: the same zod
 * objects the client uses decide which handler runs, validate its query and body, and check its
 * response, so client and emulator cannot drift apart silently.
 */
import type { z } from "zod";
import type { RestOperation } from "../../sdk/core/contract";
import { matchPath } from "../../sdk/core/contract";
import type { ApiError, CallContext, Dialect, EmulatorRequest, Reply, RouteMatch } from "./types";

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a REST handler receives: path parameters plus the validated query and body. */
export interface RestInput<Q, B> {
  params: Record<string, string>;
  query: Parsed<Q>;
  body: Parsed<B>;
  call: CallContext;
}

/** What a REST handler returns; `body` must satisfy the contract's response schema. */
export interface RestResult<T> {
  status?: number;
  headers?: Record<string, string>;
  body: T;
}

/** The handler type a contract calls for; use with `satisfies` to type handlers defined apart. */
export type HandlerOf<O> =
  O extends RestOperation<infer Q, infer B, infer R>
    ? (input: RestInput<Q, B>) => RestResult<z.input<R>> | Promise<RestResult<z.input<R>>>
    : never;

/** A handler's input before its types are recovered from the contract. */
interface ErasedInput {
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  call: CallContext;
}

/** A contract bound to its handler. */
export interface RestRoute {
  readonly op: RestOperation;
  readonly anonymous: boolean;
  readonly mutates: boolean;
  run(input: ErasedInput): RestResult<unknown> | Promise<RestResult<unknown>>;
}

/**
 * Binds a contract to its handler, keeping the handler's types inferred from the contract.
 *
 * @param opts.anonymous - the call needs no credentials.
 * @param opts.mutates - whether success changes state (default: every method but GET).
 */
export function restRoute<
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
>(
  op: RestOperation<Q, B, R>,
  handler: (input: RestInput<Q, B>) => RestResult<z.input<R>> | Promise<RestResult<z.input<R>>>,
  opts: { anonymous?: boolean; mutates?: boolean } = {},
): RestRoute {
  return {
    op,
    anonymous: opts.anonymous ?? false,
    mutates: opts.mutates ?? op.method !== "GET",
    // The input was validated with this very contract, so the narrowing below is sound.
    run: (input) => handler(input as unknown as RestInput<Q, B>),
  };
}

/** How a REST service reports validation failures and its own bugs. */
export interface RestServiceOptions {
  service: string;
  dialect: Dialect;
  /** Error for a query or body that does not satisfy the contract; `message` names the field. */
  validationError(message: string): ApiError;
  /** Error for a handler whose response breaks the contract (an emulator bug). */
  internalError(message: string): ApiError;
  /** Checks run on requests that carry a body schema, before parsing (e.g. Content-Type). */
  checkBodyRequest?(req: EmulatorRequest): ApiError | undefined;
}

/**
 * Parses control-plane data (a seed, a forced state, a config) or throws an Error naming every
 * problem, prefixed with what was parsed when `what` is given.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, what?: string): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) {
    const problems = describeIssues(r.error.issues);
    throw new Error(what === undefined ? problems : `invalid ${what}: ${problems}`);
  }
  return r.data;
}

/** `a.b[0].c: message` for each issue. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const path = i.path
        .map((p, n) => (typeof p === "number" ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
        .join("");
      return `${path || "(body)"}: ${i.message}`;
    })
    .join("; ");
}

/** Query string to a plain object; the first value of a repeated key wins. */
function queryObject(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of q) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * Builds the resolver of a REST service: the first route whose method and path template match
 * serves the request.
 */
export function restResolver(
  opts: RestServiceOptions,
  routes: readonly RestRoute[],
): (req: EmulatorRequest) => RouteMatch | undefined {
  return (req) => {
    for (const route of routes) {
      if (route.op.method !== req.method) continue;
      const params = matchPathSafe(route.op.path, req.path);
      if (!params) continue;
      return {
        service: opts.service,
        operation: route.op.name,
        dialect: opts.dialect,
        anonymous: route.anonymous,
        mutates: route.mutates,
        invoke: (call) => invokeRoute(opts, route, params, call),
      };
    }
    return undefined;
  };
}

function matchPathSafe(template: string, path: string): Record<string, string> | undefined {
  try {
    return matchPath(template, path);
  } catch {
    // A malformed percent-escape in a path parameter: no route, as a gateway would answer.
    return undefined;
  }
}

async function invokeRoute(
  opts: RestServiceOptions,
  route: RestRoute,
  params: Record<string, string>,
  call: CallContext,
): Promise<Reply> {
  const { req } = call;
  let query: unknown = undefined;
  if (route.op.query) {
    const r = route.op.query.safeParse(queryObject(req.query));
    if (!r.success) throw opts.validationError(describeIssues(r.error.issues));
    query = r.data;
  }
  let body: unknown = undefined;
  if (route.op.body) {
    const pre = opts.checkBodyRequest?.(req);
    if (pre) throw pre;
    let json: unknown;
    const text = req.body ?? "";
    try {
      json = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      throw opts.validationError("(body): is not valid JSON");
    }
    const r = route.op.body.safeParse(json);
    if (!r.success) throw opts.validationError(describeIssues(r.error.issues));
    body = r.data;
  }
  const result = await route.run({ params, query, body, call });
  const checked = route.op.response.safeParse(result.body);
  if (!checked.success) {
    throw opts.internalError(
      `emulator bug: ${route.op.name} response does not match its contract: ${describeIssues(checked.error.issues)}`,
    );
  }
  return {
    status: result.status ?? route.op.successStatus ?? 200,
    headers: result.headers,
    json: result.body,
  };
}
