/**
 * CLI-free engine harness for Pulumi dynamic providers: drives the real
 * `@pulumi/pulumi/cmd/dynamic-provider` process the way `pulumi up` does.
 *
 * - {@link MiniEngine}: up/preview/refresh/destroy of a program with in-memory (or JSON) state.
 * - {@link ProviderProcess}: the provider process and its gRPC calls, with engine secret handling.
 * - {@link captureRegistrations}: what a program registers, including the serialized `__provider`.
 * - secrets helpers: wire-format secrets and "no plaintext in state" checks.
 *
 * @packageDocumentation
 */
export {
  MiniEngine,
  DeploymentError,
  deepEqual,
  isDynamicType,
  inputDiff,
  formatShortDiff,
  initErrorMessage,
  type InputDiff,
  type MiniEngineOptions,
  type UpOptions,
  type ResourceState,
  type StepOp,
  type Step,
  type Diagnostic,
  type Failure,
  type RunSummary,
  type EngineSnapshot,
} from "./engine";
export {
  ProviderProcess,
  ProviderError,
  type ProviderProcessOptions,
  type ProviderLogEntry,
  type ConfigureResult,
  type CheckFailure,
  type CheckResult,
  type DiffChanges,
  type DiffResult,
  type CreateResult,
  type ReadResult,
  type UpdateResult,
  type InitFailure,
} from "./providerProcess";
export {
  captureRegistrations,
  runProgram,
  makeUrn,
  namespacedKey,
  configureArgs,
  secretConfig,
  ROOT_STACK_TYPE,
  type ConfigValue,
  type Registration,
  type RegistrationResult,
  type RegistrationHandler,
  type CapturedRegistration,
  type CaptureOptions,
  type ProgramRunOptions,
  type ProgramRunResult,
  type PulumiProgram,
} from "./capture";
export {
  SPECIAL_SIG_KEY,
  SECRET_SIG,
  RESOURCE_REFERENCE_SIG,
  UNKNOWN,
  secret,
  isSecret,
  isUnknown,
  unwrapSecret,
  stripSecrets,
  stripSecretsFromMap,
  containsSecrets,
  annotateSecrets,
  applyAdditionalSecretOutputs,
  secretKeys,
  containsPlaintext,
  isPlainObject,
  type Secret,
  type PropertyMap,
} from "./secrets";
export { resourceInitError, type ResourceInitErrorDetails } from "./initFailure";
