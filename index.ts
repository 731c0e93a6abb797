/**
 * pulumi-migration-tasks: Pulumi dynamic resources for cloud migration tasks.
 *
 * - `huaweicloud.sms.MigrationTask`: Huawei Cloud SMS server migration.
 */
export * as huaweicloud from "./provider/huaweicloud";
export { CloudError } from "./sdk/core/errors";
export type { CloudErrorInit, CloudName } from "./sdk/core/errors";
