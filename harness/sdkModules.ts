/**
 * Loads the gRPC and protobuf modules that `@pulumi/pulumi` itself uses.
 *
 * `@grpc/grpc-js` and `google-protobuf` are dependencies of `@pulumi/pulumi`, not of this package.
 * Resolving them from the SDK's own location guarantees that the generated clients and messages
 * (`@pulumi/pulumi/proto/*`) and the credentials/Struct helpers come from the same module instances,
 * which matters because grpc-js checks credentials with `instanceof`.
 *
 * @packageDocumentation
 */
import { createRequire } from "module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as providerGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as resourceTypes from "@pulumi/pulumi/proto/resource_pb";
import type * as statusTypes from "@pulumi/pulumi/proto/status_pb";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));

/** The SDK's `@grpc/grpc-js`. */
export const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
/** `google.protobuf.Struct` and friends, as used by the SDK. */
export const structproto = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
/** `google.protobuf.Empty`, as used by the SDK. */
export const emptyproto = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
/** `pulumirpc` provider messages. */
export const provproto = sdkRequire("@pulumi/pulumi/proto/provider_pb") as typeof providerTypes;
/** `pulumirpc.ResourceProvider` client. */
export const provgrpc = sdkRequire("@pulumi/pulumi/proto/provider_grpc_pb") as typeof providerGrpcTypes;
/** `pulumirpc` resource monitor messages. */
export const resproto = sdkRequire("@pulumi/pulumi/proto/resource_pb") as typeof resourceTypes;
/** `google.rpc.Status`, which carries error details such as `ErrorResourceInitFailed`. */
export const statusproto = sdkRequire("@pulumi/pulumi/proto/status_pb") as typeof statusTypes;

/** Type of a `google.protobuf.Struct` message. */
export type Struct = structTypes.Struct;
/** Type of a gRPC service error as surfaced by the client. */
export type ServiceError = grpcTypes.ServiceError;
/** Types of the resource monitor requests the harness intercepts. */
export type RegisterResourceRequest = resourceTypes.RegisterResourceRequest;
/** See {@link RegisterResourceRequest}. */
export type ReadResourceRequest = resourceTypes.ReadResourceRequest;
/** See {@link RegisterResourceRequest}. */
export type RegisterResourceOutputsRequest = resourceTypes.RegisterResourceOutputsRequest;
/** The provider client type. */
export type ResourceProviderClient = providerGrpcTypes.ResourceProviderClient;

/**
 * Converts a JSON-like map to a Struct. `undefined` members are dropped first: `Struct.fromJavaScript`
 * throws "Unexpected struct type." on them, and the engine never holds undefined anyway.
 */
export function toStruct(map: Record<string, unknown>): Struct {
  const clean = JSON.parse(JSON.stringify(map)) as Record<string, structTypes.JavaScriptValue>;
  return structproto.Struct.fromJavaScript(clean);
}

/** Converts an optional Struct to a plain map (`{}` when absent). */
export function fromStruct(struct: Struct | undefined): Record<string, unknown> {
  return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}
