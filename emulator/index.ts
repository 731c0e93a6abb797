/**
 * Local emulator of the cloud APIs this package drives: Huawei Cloud IAM (tokens, projects),
 * SMS (server migration) and DCS (Redis data migration), and Alibaba Cloud MSE (migration tasks).
 * Start it in-process with {@link startEmulator} or from the shell with
 * `pulumi-migration-tasks-emulator`.
 */
export { startEmulator } from "./server";
export type { ConfigData, Emulator, EmulatorOptions, ForceStateCommand, SeedData } from "./server";
export { emulatorDefaults, vectorCredentials } from "./defaults";
export { alicloudEnv, emulatorEnv, emulatorUrl, envContributors, formatExports, huaweiEnv } from "./env";
export { alicloudDefaults } from "./alibaba/defaults";
export { MSE_DEFAULT_PAGE_SIZE, MSE_MAX_PAGE_SIZE, mseDemoIds } from "./alibaba/mse";
export type { EnvContributor } from "./env";
export { smsDefaultDurations, smsDemoIds } from "./huawei/sms";
export type { SmsDurations } from "./huawei/sms";
export { dcsDefaultDurations, dcsDemoIds } from "./huawei/dcs";
export type { DcsDurations } from "./huawei/dcs";
export type { FaultKind, FaultSpec, PendingFault } from "./core/faults";
export type { RequestLogEntry } from "./core/log";
export type { SeedName, ServiceModule } from "./core/types";
