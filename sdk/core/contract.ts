import type { z } from "zod";

/** HTTP methods the contracts use. */
export type Method = "GET" | "POST" | "PUT" | "DELETE";

/**
 * One operation of a REST API, shared by the client (which infers its types from it) and the
 * emulator (which validates requests with the same schemas).
 */
export interface RestOperation<
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  /** Operation name as the vendor's SDK spells it (`ShowTask`). */
  name: string;
  method: Method;
  /** Path template with `{param}` placeholders. */
  path: string;
  query: Q;
  body: B;
  response: R;
  /** Status code of success. */
  successStatus?: number;
}

/** Declares an operation; exists only for inference. */
export function defineOperation<
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
>(op: RestOperation<Q, B, R>): RestOperation<Q, B, R> {
  return op;
}

/** Input type of an operation's query. */
export type QueryOf<O> =
  O extends RestOperation<infer Q, infer _B, infer _R>
    ? Q extends z.ZodType
      ? z.input<Q>
      : undefined
    : never;
/** Input type of an operation's body. */
export type BodyOf<O> =
  O extends RestOperation<infer _Q, infer B, infer _R>
    ? B extends z.ZodType
      ? z.input<B>
      : undefined
    : never;
/** Parsed response type of an operation. */
export type ResponseOf<O> = O extends RestOperation<infer _Q, infer _B, infer R> ? z.output<R> : never;

/** Fills `{param}` placeholders, percent-encoding each value as one path segment. */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined || v === "") throw new Error(`path parameter ${k} is required for ${template}`);
    return encodeURIComponent(v);
  });
}

/**
 * Matches a concrete path against a template; returns the decoded parameters or undefined.
 * Used by the emulator's router.
 */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split("/");
  const p = path.split("/");
  if (t.length !== p.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const m = /^\{([a-z_]+)\}$/.exec(t[i]);
    if (m) {
      if (!p[i]) return undefined;
      out[m[1]] = decodeURIComponent(p[i]);
    } else if (t[i] !== p[i]) return undefined;
  }
  return out;
}
