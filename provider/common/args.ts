import type * as pulumi from "@pulumi/pulumi";

/**
 * `T` with every value, at every depth, accepting a Pulumi input. Not distributive over
 * unions, so an `Output<"running" | "paused">` is accepted where the union is.
 */
export type DeepInput<T> =
  pulumi.Input<DeepInputInner<NonNullable<T>>> | (undefined extends T ? undefined : never);

type DeepInputInner<T> = [T] extends [readonly (infer U)[]]
  ? DeepInput<U>[]
  : [T] extends [object]
    ? { [K in keyof T]: DeepInput<T[K]> }
    : T;

/** Resource arguments from a schema's input type. */
export type ArgsOf<T> = { [K in keyof T]: DeepInput<T[K]> };
