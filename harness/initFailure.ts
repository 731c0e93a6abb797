/**
 * How a dynamic provider signals a partial failure ("created, but failed to initialize") on
 * `@pulumi/pulumi` 3.248.
 *
 * `cmd/dynamic-provider/index.js` wraps `create` and `update` (only those two) in
 * `grpcResponseFromError(e)`: when the thrown value has a truthy `e.id`, it packs a
 * `pulumirpc.ErrorResourceInitFailed { id: e.id, properties: Struct.fromJavaScript(e.properties ||
 * {}), reasons: e.reasons || [] }` into a `google.rpc.Status` sent in the `grpc-status-details-bin`
 * trailer, with code UNKNOWN and message `e.message`. The engine then keeps the resource in state
 * with that id and those outputs plus the reasons as init errors, fails the deployment, and on the
 * next `up` issues an update even without changes. What the CLI shows is the reasons, as Go's
 * multierror lists them (`1 error occurred: * <reason>`), never `e.message`; with no reasons it
 * shows only "resource init failed". Put what the user needs to know in the reasons. Without `id` (or with an empty one) it is a
 * plain error: nothing is recorded. The SDK has no `ResourceError`/`InputPropertiesError` class for
 * dynamic providers; any object with these fields works.
 *
 * Pitfall: unlike a successful result, `properties` do not get `__provider` added, and the engine
 * later runs Delete and refresh-Read from the stored outputs. A provider should therefore copy
 * `__provider` from the inputs it received into `properties`, or `pulumi destroy` of the
 * half-created resource fails with "code must be a string, not undefined". This helper does it.
 *
 * This module has no imports so that provider implementations can use it cheaply.
 *
 * @packageDocumentation
 */

/** What a partial failure reports. */
export interface ResourceInitErrorDetails {
  /** Id of the object that was created (must be a non-empty string). */
  id: string;
  /** Outputs to record for it (JSON-compatible; `undefined` members are dropped). */
  properties?: Record<string, unknown>;
  /**
   * Human-readable reasons, shown by the CLI (instead of the message) and kept as the resource's
   * init errors. Default: the message.
   */
  reasons?: string[];
}

/**
 * Builds the error a dynamic provider's `create`/`update` should throw to report a partial failure.
 *
 * @param message - the error's message (the gRPC status text); the engine does not show it, so
 *   it is also the single reason when `details.reasons` is not given
 * @param details - id, outputs and reasons
 * @param inputs - the inputs `create`/`update` received; their `__provider` is copied into the
 *   properties so that later Delete/Read calls can load the provider
 */
export function resourceInitError(
  message: string,
  details: ResourceInitErrorDetails,
  inputs?: Record<string, unknown>,
): Error & Required<ResourceInitErrorDetails> {
  if (typeof details.id !== "string" || details.id === "") {
    throw new Error("resourceInitError: id must be a non-empty string");
  }
  const properties = JSON.parse(JSON.stringify(details.properties ?? {})) as Record<string, unknown>;
  if (inputs && typeof inputs.__provider === "string" && properties.__provider === undefined) {
    properties.__provider = inputs.__provider;
  }
  return Object.assign(new Error(message), {
    id: details.id,
    properties,
    reasons: details.reasons ?? [message],
  });
}
