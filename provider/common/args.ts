import type * as pulumi from "@pulumi/pulumi";

/** `T` with every value, at every depth, accepting a Pulumi input. */
export type DeepInput<T> = T extends (infer U)[]
  ? pulumi.Input<DeepInput<U>[]>
  : T extends object
    ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
    : pulumi.Input<T>;

/** Resource arguments from a schema's input type. */
export type ArgsOf<T> = { [K in keyof T]: DeepInput<T[K]> };
