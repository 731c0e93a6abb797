/**
 * Inputs and outputs of `huaweicloud.dcs.MigrationTask`: one zod schema for the inputs of both
 * kinds (online migration, backup-file import) and one field table that drives check, diff,
 * update and read.
 *
 * The passwords are top-level inputs here (`sourcePassword`, `targetPassword`) although users
 * write them inside `source` and `target`: the resource class lifts them out, so that each is a
 * property of its own that Pulumi can keep secret without making the whole endpoint secret.
 */
import { isIPv4 } from "node:net";
import { z } from "zod";
import { BackupFileSource, MigrationMethod, ResumeMode } from "../../../sdk/huawei/dcs/contract";
import type { CrossRule } from "../../common/check";
import type { FieldTable } from "../../common/fields";
import { Timeouts } from "../../common/timeouts";
import { HuaweiCredentialsInput } from "../credentials";

/** Lifecycle states a task can be declared in. */
export const DcsDeclaredState = z.enum(["running", "stopped"]);
export type DcsDeclaredState = z.infer<typeof DcsDeclaredState>;

/** `ip:port` of a Redis: an IPv4 address and a port 1 to 65535. */
export const RedisAddress = z.string().refine((v) => {
  const i = v.lastIndexOf(":");
  const port = Number(v.slice(i + 1));
  return i > 0 && isIPv4(v.slice(0, i)) && /^\d+$/.test(v.slice(i + 1)) && port >= 1 && port <= 65535;
}, "must be ip:port, such as 192.168.0.200:6379");

/** One Redis end: a DCS instance by id, or any Redis by address. */
export const EndpointInput = z
  .object({
    instanceId: z.string().min(1).max(64).optional(),
    address: RedisAddress.optional(),
  })
  .strict();
export type EndpointInput = z.infer<typeof EndpointInput>;

/** Where the migration ECS of an online migration is created. */
export const NetworkInput = z
  .object({
    vpcId: z.string().min(1).max(64),
    subnetId: z.string().min(1).max(64),
    securityGroupId: z.string().min(1).max(64),
  })
  .strict();

/** Backup files of a backup-file import: from an OBS bucket, or a backup record. */
export const BackupFilesInput = z
  .object({
    fileSource: BackupFileSource,
    bucketName: z.string().min(3).max(63).optional(),
    backupId: z.string().min(1).max(64).optional(),
    files: z
      .array(
        z
          .object({
            name: z.string().min(1).max(1024),
            sizeBytes: z.number().int().min(0).optional(),
            updatedAt: z
              .string()
              .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, "must be YYYY-MM-DD HH:MM:SS")
              .optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** The declared IP switch: exchange the source's and target's addresses, or keep/roll them back. */
export const IpSwitchInput = z
  .object({
    exchanged: z.boolean(),
    /** `exchanged_ip`: the addresses to switch. */
    ips: z.array(z.string().min(1)).min(1),
    /** `is_exchange_domain`: switch the domain names as well. */
    exchangeDomain: z.boolean().default(false),
  })
  .strict();
export type IpSwitchInput = z.infer<typeof IpSwitchInput>;

/** Inputs of `huaweicloud.dcs.MigrationTask`, as the provider receives them. */
export const DcsTaskInputs = z
  .object({
    kind: z.enum(["online", "backup"]),
    name: z
      .string()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "must start with a letter and hold only letters, digits, _ and -"),
    description: z.string().max(1024).optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, "must be a region id such as cn-north-4"),
    projectId: z.string().regex(/^[0-9a-f]{32}$/, "must be a 32-character hexadecimal project id"),
    network: NetworkInput.optional(),
    migrationMethod: MigrationMethod,
    resumeMode: ResumeMode.optional(),
    bandwidthLimitMb: z.number().int().min(1).max(10240).optional(),
    source: EndpointInput.optional(),
    target: EndpointInput,
    sourcePassword: z.string().min(1).max(256).optional(),
    targetPassword: z.string().min(1).max(256).optional(),
    backupFiles: BackupFilesInput.optional(),
    state: DcsDeclaredState.default("running"),
    ipSwitch: IpSwitchInput.optional(),
    adoptTaskId: z.string().min(1).max(64).optional(),
    timeouts: Timeouts.optional(),
    credentials: HuaweiCredentialsInput.optional(),
  })
  .strict();

/** Validated inputs. */
export type DcsTaskInputs = z.output<typeof DcsTaskInputs>;

/**
 * Fields whose change needs SetOnlineMigrationTask again (online tasks): the service takes the
 * migration settings and both ends only as a whole, and only while the task is not migrating.
 */
export const RECONFIGURE_FIELDS = [
  "migrationMethod",
  "bandwidthLimitMb",
  "source",
  "target",
  "sourcePassword",
  "targetPassword",
] as const;

/**
 * Fields a backup import cannot change: CreateMigrationTask is its only write call. Its target
 * password is used only while importing, so a new one is recorded, not applied.
 */
export const BACKUP_REPLACE_FIELDS = ["migrationMethod", "target", "backupFiles"] as const;

/** What changes each field, in one table. */
export const dcsFields: FieldTable<DcsTaskInputs> = {
  kind: { change: "replace", readBack: true },
  name: { change: "replace", readBack: true, doc: "no API renames a migration task" },
  description: { change: "replace", readBack: true },
  region: { change: "replace" },
  projectId: { change: "replace" },
  network: { change: "replace", readBack: true, doc: "the migration ECS's VPC, subnet and security group" },
  migrationMethod: {
    change: "update",
    readBack: true,
    doc: "online: stop, then SetOnlineMigrationTask; backup: replace",
  },
  resumeMode: { change: "update", readBack: true, doc: "PUT /v2/{project_id}/migration-task/{id}" },
  bandwidthLimitMb: { change: "update", readBack: true, doc: "online: stop, then SetOnlineMigrationTask" },
  source: { change: "update", readBack: true, doc: "online: stop, then SetOnlineMigrationTask" },
  target: {
    change: "update",
    readBack: true,
    doc: "online: stop, then SetOnlineMigrationTask; backup: replace",
  },
  sourcePassword: { change: "update", secret: true, doc: "sent only in SetOnlineMigrationTask" },
  targetPassword: {
    change: "update",
    secret: true,
    doc: "sent only in SetOnlineMigrationTask or CreateMigrationTask",
  },
  backupFiles: { change: "update", readBack: true, doc: "backup only; a change replaces the task" },
  state: { change: "update", doc: "declared lifecycle: stop, batch-restart or configure" },
  ipSwitch: { change: "update", doc: "declared IP switch: exchange-ip or rollback-ip" },
  adoptTaskId: { change: "local" },
  timeouts: { change: "local" },
  credentials: { change: "local", secret: true },
};

const exactlyOne = (e: EndpointInput | undefined): boolean =>
  e !== undefined && Number(e.instanceId !== undefined) + Number(e.address !== undefined) === 1;

/** Rules across fields, checked at preview with whatever is known. */
export const dcsRules: CrossRule<DcsTaskInputs>[] = [
  (v, known) => {
    if (!known("kind")) return [];
    const fail = (field: string, rule: string) => [{ path: [field], rule }];
    if (v.kind === "online") {
      return [
        ...(v.network === undefined ? fail("network", "is required for an online migration") : []),
        ...(v.source === undefined
          ? fail("source", "is required for an online migration")
          : known("source") && !exactlyOne(v.source)
            ? fail("source", "set exactly one of instanceId (a DCS instance) or address (ip:port)")
            : []),
        ...(known("target") && !exactlyOne(v.target)
          ? fail("target", "set exactly one of instanceId (a DCS instance) or address (ip:port)")
          : []),
        ...(v.backupFiles !== undefined ? fail("backupFiles", 'is only for kind "backup"') : []),
      ];
    }
    return [
      ...(v.backupFiles === undefined ? fail("backupFiles", 'is required for kind "backup"') : []),
      ...(v.source !== undefined
        ? fail("source", "a backup import has no live source; use backupFiles")
        : []),
      ...(v.sourcePassword !== undefined ? fail("source", "a backup import has no source password") : []),
      ...(known("target") && (v.target?.instanceId === undefined || v.target.address !== undefined)
        ? fail("target", "a backup import needs target.instanceId (a DCS instance) and no address")
        : []),
      ...(v.network !== undefined ? fail("network", 'is only for kind "online"') : []),
      ...(v.resumeMode !== undefined ? fail("resumeMode", 'is only for kind "online"') : []),
      ...(v.bandwidthLimitMb !== undefined ? fail("bandwidthLimitMb", 'is only for kind "online"') : []),
      ...(v.ipSwitch !== undefined ? fail("ipSwitch", 'is only for kind "online"') : []),
    ];
  },
  (v, known) => {
    if (!known("bandwidthLimitMb") || !known("migrationMethod")) return [];
    return v.migrationMethod === "incremental_migration"
      ? []
      : [{ path: ["bandwidthLimitMb"], rule: 'applies to migrationMethod "incremental_migration" only' }];
  },
  (v, known) => {
    if (!known("backupFiles") || !v.backupFiles) return [];
    const b = v.backupFiles;
    if (b.fileSource === "self_build_obs" && !b.bucketName)
      return [
        { path: ["backupFiles", "bucketName"], rule: 'is required when fileSource is "self_build_obs"' },
      ];
    if (b.fileSource === "backup_record" && !b.backupId)
      return [{ path: ["backupFiles", "backupId"], rule: 'is required when fileSource is "backup_record"' }];
    return [];
  },
];

/** Observed values the resource reports beside its inputs. */
export interface DcsTaskObserved {
  /** Cloud task id (for an online migration, also the migration ECS id). */
  taskId: string;
  /** The task `status` the cloud reports (RUNNING = waiting to be configured, FULLMIGRATING, ...). */
  status: string;
  /** Full-migration progress, 0 to 100. */
  progress: number;
  /** IP-switch sub-status (`task_status`), when a switch has run. */
  ipSwitchStatus?: string;
  /** Private address of the migration ECS, to allow in the Redis whitelists. */
  ecsAddress?: string;
  /** The cloud's error message when the task failed. */
  errorMessage?: string;
  createdAt?: string;
  updatedAt?: string;
  releasedAt?: string;
  /** Keys in the source and target, from the stats. */
  sourceKeys?: number;
  targetKeys?: number;
  /** True when a reconfiguration was recorded while the task was declared stopped. */
  pendingReconfigure?: boolean;
}

/** Names of outputs that are secret whatever the inputs. */
export const dcsSecretOutputs = ["sourcePassword", "targetPassword", "credentials"];
