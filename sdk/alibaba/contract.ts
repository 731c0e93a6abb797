/**
 * Contracts of Alibaba Cloud RPC-style (POP) operations: `POST /` with `Action` and `Version`,
 * parameters in the query (or a form body) and a JSON answer. Shared by the client, which infers
 * its types from them, and the emulator, which validates requests and answers with the same schemas.
 */
import { z } from "zod";

/** One RPC operation. */
export interface RpcOperation<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** The `Action` parameter, as the vendor's SDK spells it (`AddMigrationTask`). */
  name: string;
  /** The `Version` parameter (`2019-05-31`). */
  version: string;
  /** Business parameters, before flattening; the emulator parses the decoded query with it. */
  params: P;
  /** The JSON body of a successful answer. */
  response: R;
}

/** Declares an operation; exists only for inference. */
export function defineRpcOperation<P extends z.ZodType, R extends z.ZodType>(
  op: RpcOperation<P, R>,
): RpcOperation<P, R> {
  return op;
}

/** Input type of an operation's parameters. */
export type RpcParamsOf<O> = O extends RpcOperation<infer P, infer _R> ? z.input<P> : never;
/** Parsed response type of an operation. */
export type RpcResponseOf<O> = O extends RpcOperation<infer _P, infer R> ? z.output<R> : never;

/**
 * The POP gateway's error body (signature, authentication, throttling, unknown action), HTTP
 * 4xx/5xx (docs/alibaba-mse.md). Loose: RAM denials add `AccessDeniedDetail`, others add more.
 */
export const PopErrorBody = z
  .object({
    RequestId: z.string(),
    HostId: z.string().optional(),
    Code: z.string(),
    Message: z.string(),
    Recommend: z.string().optional(),
    AccessDeniedDetail: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type PopErrorBody = z.infer<typeof PopErrorBody>;
