/**
 * A `@pulumi/policy` policy pack for the migration tasks of this package, for
 * `pulumi preview --policy-pack node_modules/pulumi-migration-tasks/policy-pack`.
 *
 * Importing this module only defines the rules; {@link migrationTasksPolicyPack} is what starts
 * the policy server, so the rules can be reused in another pack or unit-tested in-process.
 *
 * @packageDocumentation
 */
import { PolicyPack, type PolicyPackConfig, type ResourceValidationPolicy } from "@pulumi/policy";
import { migrationTaskInlineCredentials } from "./credentials";
import { dcsBandwidthLimitBounds } from "./dcs";
import { smsBlockMigrationSpeedLimit, smsCutoverRequiresApproval, smsPublicIpMigration } from "./sms";

export { DCS_TASK_TYPE, MIGRATION_TASK_TYPES, MSE_TASK_TYPE, SMS_TASK_TYPE } from "./common";
export { MIGRATION_TASK_INLINE_CREDENTIALS, migrationTaskInlineCredentials } from "./credentials";
export {
  DCS_BANDWIDTH_DEFAULTS,
  DCS_BANDWIDTH_LIMIT_BOUNDS,
  dcsBandwidthBounds,
  dcsBandwidthLimitBounds,
  type DcsBandwidthBounds,
} from "./dcs";
export {
  SMS_BLOCK_MIGRATION_SPEED_LIMIT,
  SMS_CUTOVER_REQUIRES_APPROVAL,
  SMS_PUBLIC_IP_MIGRATION,
  smsBlockMigrationSpeedLimit,
  smsCutoverRequiresApproval,
  smsPublicIpMigration,
} from "./sms";

/** Default name of the pack, as `pulumi preview` reports it. */
export const DEFAULT_POLICY_PACK_NAME = "pulumi-migration-tasks";

/** Every rule of the pack, mandatory ones first. */
export const policies: ResourceValidationPolicy[] = [
  smsCutoverRequiresApproval,
  smsBlockMigrationSpeedLimit,
  dcsBandwidthLimitBounds,
  smsPublicIpMigration,
  migrationTaskInlineCredentials,
];

/**
 * Builds the policy pack and starts serving it: the `PolicyPack` constructor binds the Analyzer
 * gRPC server and prints its port for the Pulumi CLI, and reads the pack's version from
 * `package.json` in the working directory (the CLI runs packs from their own directory). Only
 * one pack may be served per process.
 *
 * @param name Name of the pack: letters, digits, `-`, `_` and `.`, at most 100 characters.
 * @param initialConfig Configuration the pack offers the CLI as its default, for example
 *   `{ "dcs-bandwidth-limit-bounds": { maxMb: 512 } }`; `--policy-pack-config` overrides it.
 * @returns The pack, already serving.
 */
export function migrationTasksPolicyPack(
  name: string = DEFAULT_POLICY_PACK_NAME,
  initialConfig?: PolicyPackConfig,
): PolicyPack {
  return new PolicyPack(
    name,
    {
      policies,
      description:
        "Guardrails for Huawei Cloud SMS and DCS and Alibaba Cloud MSE migration tasks: approved " +
        "cutovers, bounded migration bandwidth, private migration networks, no inline credentials.",
      displayName: "Migration task guardrails",
      tags: ["migration", "huaweicloud", "alicloud"],
    },
    initialConfig,
  );
}
