import * as pulumi from "@pulumi/pulumi";

/** What a resource class hands to `pulumi.dynamic.Resource`. */
export interface TaskRegistration {
  props: Record<string, unknown>;
  opts: pulumi.CustomResourceOptions;
}

/**
 * The properties and options a MigrationTask registers: every output declared (undefined until
 * the provider sets it, so that it exists on the resource), the inputs, resource-level
 * `credentials` always wrapped as a secret, and the resource's secret outputs (with
 * `credentials`) added to the caller's `additionalSecretOutputs`.
 */
export function taskRegistration(
  outputs: readonly string[],
  inputs: Record<string, unknown>,
  secretOutputs: readonly string[],
  opts: pulumi.CustomResourceOptions | undefined,
): TaskRegistration {
  return {
    props: {
      ...Object.fromEntries(outputs.map((o) => [o, undefined])),
      ...inputs,
      credentials: inputs.credentials === undefined ? undefined : pulumi.secret(inputs.credentials),
    },
    opts: {
      ...opts,
      additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs, "credentials"],
    },
  };
}
