/**
 * pulumi-migration-tasks: Pulumi dynamic resources for cloud migration tasks.
 *
 * - `huaweicloud.sms.MigrationTask`: Huawei Cloud SMS server migration.
 * - `alicloud.mse.MigrationTask`: Alibaba Cloud MSE registry migration (Nacos, ZooKeeper, Eureka).
 * - `huaweicloud.dcs.MigrationTask`: Huawei Cloud DCS Redis data migration (online or backup import).
 * - `gitops`: one YAML file per task, validated and reviewed offline, loaded by `gitops.loadMigrations`.
 */
export * as huaweicloud from "./provider/huaweicloud";
export * as alicloud from "./provider/alicloud";
export * as gitops from "./gitops";
export { CloudError } from "./sdk/core/errors";
export type { CloudErrorInit, CloudName } from "./sdk/core/errors";

import { startIfRunAsPlugin } from "./plugin/launch";
// The same package is the `migration-tasks` provider plugin (PulumiPlugin.yaml): run-plugin
// loads this file, which then serves the plugin. Any other importer gets the library only.
startIfRunAsPlugin(module);
