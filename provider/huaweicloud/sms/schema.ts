/**
 * Inputs and outputs of `huaweicloud.sms.MigrationTask`: one zod schema for the inputs and one
 * field table that drives check, diff, update and read.
 */
import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import { MAX_SPEED_LIMIT_MBPS, TaskName } from "../../../sdk/huawei/sms/contract";
import type { CrossRule } from "../../common/check";
import type { FieldTable } from "../../common/fields";
import { isOneLine, ONE_LINE_RULE } from "../../common/text";
import { Timeouts } from "../../common/timeouts";
import { HuaweiCredentialsInput } from "../credentials";

/** Lifecycle states a task can be declared in. */
export const DeclaredState = z.enum(["ready", "running", "paused", "cutover"]);
export type DeclaredState = z.infer<typeof DeclaredState>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day HH:MM");

const PhysicalVolumeInput = z
  .object({
    name: z.string(),
    deviceUse: z.enum(["BOOT", "OS", "NORMAL"]).optional(),
    fileSystem: z.string().optional(),
    index: z.number().int().min(0).optional(),
    mountPoint: z.string().optional(),
    size: z.number().int().min(0).describe("bytes"),
    usedSize: z.number().int().min(0).optional(),
    uuid: z.string().optional(),
  })
  .strict();

const TargetDiskInput = z
  .object({
    diskId: z.string().min(1),
    name: z.string().min(1),
    deviceUse: z.enum(["BOOT", "OS", "NORMAL"]),
    size: z.number().int().min(1).describe("bytes"),
    usedSize: z.number().int().min(0).optional(),
    physicalVolumes: z.array(PhysicalVolumeInput).optional(),
  })
  .strict();

/** Where the migration lands: an existing ECS, or a template from which SMS creates one. */
export const TargetInput = z
  .object({
    vmId: z.string().min(1).max(64).optional(),
    vmTemplateId: z.string().min(1).max(64).optional(),
    name: TaskName.optional(),
    disks: z.array(TargetDiskInput).optional(),
  })
  .strict();

/** Trigger-keyed drills: each runs again only when its trigger value changes. */
export const DrillsInput = z
  .object({
    networkCheck: z.string().min(1).optional(),
    test: z.string().min(1).optional(),
    cloneTest: z.string().min(1).optional(),
    migrationTest: z.string().min(1).optional(),
    clear: z.string().min(1).optional(),
    skip: z.string().min(1).optional(),
  })
  .strict();
export type DrillsInput = z.infer<typeof DrillsInput>;

/** The action operation of each drill. */
export const drillOperations = {
  networkCheck: "network_check",
  test: "test",
  cloneTest: "clone_test",
  migrationTest: "migration_test",
  clear: "clear",
  skip: "skip",
} as const satisfies Record<keyof DrillsInput, string>;

/** Inputs of `huaweicloud.sms.MigrationTask`. */
export const SmsTaskInputs = z
  .object({
    name: TaskName,
    type: z.enum(["MIGRATE_FILE", "MIGRATE_BLOCK"]),
    osType: z.enum(["LINUX", "WINDOWS"]),
    sourceServerId: z.string().min(1).max(36),
    target: TargetInput,
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, "must be a region id such as cn-north-4"),
    projectId: z.string().regex(/^[0-9a-f]{32}$/, "must be a 32-character hexadecimal project id"),
    projectName: z.string().min(1).max(64).optional(),
    speedLimitMbps: z.number().int().min(0).max(MAX_SPEED_LIMIT_MBPS).optional(),
    speedLimits: z
      .array(
        z
          .object({
            start: hhmm,
            end: z
              .string()
              .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "must be a time of day HH:MM or 24:00"),
            // Optional, as in the SDK's model: a window without a speed sets no cap of its own.
            speedMbps: z.number().int().min(0).max(MAX_SPEED_LIMIT_MBPS).optional(),
            overSpeedThreshold: z.number().min(0).max(100).optional(),
          })
          .strict(),
      )
      .max(30)
      .optional(),
    configurations: z
      .array(z.object({ key: z.string().min(1).max(64), value: z.string().max(1024) }).strict())
      .max(50)
      .optional(),
    migrationIp: z.string().optional(),
    useIpv6: z.boolean().default(false),
    usePublicIp: z.boolean().default(true),
    startTargetServer: z.boolean().default(true),
    syncing: z.boolean().default(false),
    priority: z.number().int().min(0).max(65535).default(1),
    overSpeedThreshold: z.number().min(0).max(100).optional(),
    startNetworkCheck: z.boolean().optional(),
    isNeedConsistencyCheck: z.boolean().optional(),
    needMigrationTest: z.boolean().optional(),
    cloneVmTemplateId: z.string().min(1).optional(),
    enterpriseProjectId: z.string().min(1).optional(),
    state: DeclaredState.default("ready"),
    cutoverApproval: z.string().min(1).max(256).refine(isOneLine, ONE_LINE_RULE).optional(),
    drills: DrillsInput.optional(),
    drillTemplateId: z.string().max(255).optional(),
    switchHce: z.boolean().optional(),
    adoptTaskId: z.string().min(1).max(36).optional(),
    timeouts: Timeouts.optional(),
    credentials: HuaweiCredentialsInput.optional(),
  })
  .strict();

/** Validated inputs. */
export type SmsTaskInputs = z.output<typeof SmsTaskInputs>;

/** What changes each field, in one table. */
export const smsFields: FieldTable<SmsTaskInputs> = {
  name: { change: "update", readBack: true, doc: "task name (PUT /v3/tasks/{id})" },
  type: { change: "replace", readBack: true },
  osType: { change: "replace", readBack: true },
  sourceServerId: { change: "replace", readBack: true },
  target: { change: "replace", readBack: true },
  region: { change: "replace", readBack: true },
  projectId: { change: "replace", readBack: true },
  projectName: { change: "replace", readBack: true },
  speedLimitMbps: { change: "update", readBack: true, doc: "PUT /v3/tasks/{id}" },
  speedLimits: { change: "update", set: true, readBack: true, doc: "POST /v3/tasks/{id}/speed-limit" },
  configurations: {
    change: "update",
    set: true,
    readBack: true,
    doc: "POST /v3/tasks/{id}/configuration-setting",
  },
  migrationIp: { change: "update", readBack: true },
  useIpv6: { change: "update", readBack: true },
  usePublicIp: { change: "update", readBack: true },
  startTargetServer: { change: "replace", readBack: true },
  syncing: { change: "replace", readBack: true },
  priority: { change: "replace", readBack: true },
  overSpeedThreshold: { change: "replace" },
  startNetworkCheck: { change: "replace" },
  isNeedConsistencyCheck: { change: "replace" },
  needMigrationTest: { change: "replace", readBack: true },
  cloneVmTemplateId: { change: "replace" },
  enterpriseProjectId: { change: "update", readBack: true },
  state: { change: "update", doc: "declared lifecycle, converged through POST /v3/tasks/{id}/action" },
  cutoverApproval: {
    change: "local",
    doc: "who approved the cutover (a ticket or a name); the policy pack requires it for state cutover",
  },
  drills: { change: "update", doc: "trigger-keyed drills" },
  drillTemplateId: { change: "local" },
  switchHce: { change: "local" },
  adoptTaskId: { change: "local" },
  timeouts: { change: "local" },
  credentials: { change: "local", secret: true },
};

/** Rules across fields, checked at preview with whatever is known. */
export const smsRules: CrossRule<SmsTaskInputs>[] = [
  (v, known) => {
    if (!known("target") || !v.target) return [];
    const n = Number(v.target.vmId !== undefined) + Number(v.target.vmTemplateId !== undefined);
    return n === 1
      ? []
      : [{ path: ["target"], rule: "set exactly one of vmId (an existing ECS) or vmTemplateId" }];
  },
  (v, known) => {
    if (!known("migrationIp") || !v.migrationIp) return [];
    const v6 = known("useIpv6") ? v.useIpv6 === true : undefined;
    if (v6 === true && !isIPv6(v.migrationIp)) {
      return [{ path: ["migrationIp"], rule: "must be an IPv6 address when useIpv6 is true" }];
    }
    if (v6 === false && !isIPv4(v.migrationIp)) {
      return [{ path: ["migrationIp"], rule: "must be an IPv4 address unless useIpv6 is true" }];
    }
    return [];
  },
  (v, known) => {
    if (!known("speedLimits") || !v.speedLimits) return [];
    return v.speedLimits.flatMap((s, i) =>
      s.start < s.end
        ? []
        : [{ path: ["speedLimits", i], rule: `start ${s.start} must be before end ${s.end}` }],
    );
  },
  (v, known) =>
    // The SMS API switches only Linux targets to HCE; it refuses switch_hce on a Windows task.
    known("switchHce") && v.switchHce === true && known("osType") && v.osType !== "LINUX"
      ? [{ path: ["switchHce"], rule: 'applies to osType "LINUX" only' }]
      : [],
  (v, known) => {
    if (!known("configurations") || !v.configurations) return [];
    const seen = new Set<string>();
    return v.configurations.flatMap((c, i) => {
      if (seen.has(c.key)) return [{ path: ["configurations", i], rule: `duplicate key ${c.key}` }];
      seen.add(c.key);
      return [];
    });
  },
];

/** Observed values the resource reports beside its inputs. */
export interface SmsTaskObserved {
  /** Cloud task id. */
  taskId: string;
  /** The task `state` the cloud reports (READY, RUNNING, ...). */
  status: string;
  /** Overall progress, 0 to 100. */
  progress: number;
  subTasks: { name: string; progress: number; startedAt?: string; finishedAt?: string }[];
  migrateSpeedMbps?: number;
  remainingSeconds?: number;
  estimatedCompletionTime?: string;
  totalTimeSeconds?: number;
  sourceServerState?: string;
  migrationCycle?: string;
  connected?: boolean;
  targetVmId?: string;
  cloneServer?: { vmId?: string; name?: string; state?: string; error?: string };
  networkCheck?: Record<string, unknown>;
  errorDetails?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The task passphrase (secret). */
  passphrase?: string;
}

/** Names of outputs that are secret whatever the inputs. */
export const smsSecretOutputs = ["passphrase", "credentials"];
