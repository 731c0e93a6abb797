/**
 * Rules for `huaweicloud.sms.MigrationTask` (Huawei Cloud Server Migration Service).
 *
 * @packageDocumentation
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SMS_TASK_TYPE, forType, isNonBlankString, probe } from "./common";

/** Name of the rule that requires an approval record for an SMS cutover. */
export const SMS_CUTOVER_REQUIRES_APPROVAL = "sms-cutover-requires-approval";
/** Name of the rule that requires a bandwidth cap on block-level SMS migrations. */
export const SMS_BLOCK_MIGRATION_SPEED_LIMIT = "sms-block-migration-speed-limit";
/** Name of the rule that flags SMS migrations over the public internet. */
export const SMS_PUBLIC_IP_MIGRATION = "sms-public-ip-migration";

/**
 * `sms-cutover-requires-approval` (mandatory): a task declared `state: cutover` must name who
 * approved it in `cutoverApproval`. Cutover is the one irreversible step of a migration, so the
 * approval travels with the code that triggers it.
 */
export const smsCutoverRequiresApproval: ResourceValidationPolicy = {
  name: SMS_CUTOVER_REQUIRES_APPROVAL,
  displayName: "SMS cutover requires an approval",
  description: "An SMS migration task declared with state cutover must record who approved the cutover.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Set cutoverApproval to the change ticket or the name of the person who approved the cutover.",
  validateResource: forType(SMS_TASK_TYPE, (args, reportViolation) => {
    // Read state first: an unknown approval must not matter for a task that is not cut over.
    if (args.props.state !== "cutover") {
      args.notApplicable("The task is not declared with state cutover");
    }
    if (!isNonBlankString(args.props.cutoverApproval)) {
      reportViolation(
        'The task is declared with state "cutover" but has no cutoverApproval. Cutover launches the ' +
          "target server and stops the source server's replication, so it cannot be undone by " +
          "declaring another state; set cutoverApproval to the ticket or the person that approved it.",
      );
    }
  }),
};

/**
 * `sms-block-migration-speed-limit` (mandatory): a `MIGRATE_BLOCK` task must cap its bandwidth,
 * with `speedLimitMbps` above 0 (0 means unlimited) or a `speedLimits` schedule with a window
 * above 0 Mbit/s.
 */
export const smsBlockMigrationSpeedLimit: ResourceValidationPolicy = {
  name: SMS_BLOCK_MIGRATION_SPEED_LIMIT,
  displayName: "SMS block migration needs a speed limit",
  description: "A block-level SMS migration task (type MIGRATE_BLOCK) must limit its bandwidth.",
  enforcementLevel: "mandatory",
  severity: "medium",
  remediationSteps: "Set speedLimitMbps to a value above 0, or give a speedLimits schedule.",
  validateResource: forType(SMS_TASK_TYPE, (args, reportViolation) => {
    if (args.props.type !== "MIGRATE_BLOCK") {
      args.notApplicable("The task is not a block-level migration (type MIGRATE_BLOCK)");
    }
    // Either cap is enough, so a known one decides even while the other is unknown.
    const mbps = probe(args.props, "speedLimitMbps");
    if (mbps.known && typeof mbps.value === "number" && mbps.value > 0) {
      return;
    }
    const schedule = probe(args.props, "speedLimits");
    // A window of 0 Mbit/s is unlimited in that window: only a positive one caps anything.
    const capped = (w: unknown) =>
      typeof w === "object" && w !== null && typeof (w as { speedMbps?: unknown }).speedMbps === "number"
        ? (w as { speedMbps: number }).speedMbps > 0
        : false;
    if (schedule.known && Array.isArray(schedule.value) && schedule.value.some(capped)) {
      return;
    }
    if (!mbps.known) throw mbps.error;
    if (!schedule.known) throw schedule.error;
    reportViolation(
      "The task migrates block by block (type MIGRATE_BLOCK) without a bandwidth cap. Block migration " +
        "copies whole disks and, uncapped, saturates the source server's uplink and starves its " +
        "workload; set speedLimitMbps above 0 (0 means unlimited) or give a speedLimits schedule with a window above 0.",
    );
  }),
};

/**
 * `sms-public-ip-migration` (advisory): flags tasks that migrate over the public internet.
 * `usePublicIp` defaults to true in the API, so an absent value counts as public.
 */
export const smsPublicIpMigration: ResourceValidationPolicy = {
  name: SMS_PUBLIC_IP_MIGRATION,
  displayName: "SMS migration over the public internet",
  description: "An SMS migration task should migrate over a private network rather than the public internet.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps:
    "Connect the source to the target VPC over a private line or VPN, then set usePublicIp: false " +
    "and migrationIp to the target server's private address.",
  validateResource: forType(SMS_TASK_TYPE, (args, reportViolation) => {
    const usePublicIp: unknown = args.props.usePublicIp;
    if (usePublicIp === false) {
      return;
    }
    const why =
      usePublicIp === undefined || usePublicIp === null
        ? "usePublicIp is not set and the API defaults it to true"
        : "usePublicIp is true, the API's default when it is not set";
    reportViolation(
      `The task migrates over the public internet (${why}). Disk data then crosses the internet ` +
        "and the migration depends on the source's public bandwidth; if a private line or VPN " +
        "reaches the target VPC, set usePublicIp: false and migrationIp to the target server's private address.",
    );
  }),
};
