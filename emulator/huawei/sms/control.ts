/**
 * What the control plane accepts for SMS: seed data, forced states and lifecycle durations.
 * Everything is validated; a bad request names the field.
 */
import { randomUUID } from "crypto";
import { z } from "zod";
import {
  MigrationCycle,
  SourceState,
  TargetDisk,
  TaskName,
  TaskState,
  TaskType,
} from "../../../sdk/huawei/sms/contract";
import { emulatorDefaults } from "../../defaults";

const GiB = 1024 ** 3;
const Id = z.string().min(1).max(36);

/** A source server to add; everything but the name has a default. */
export const SeedSource = z
  .object({
    id: Id.default(() => randomUUID()),
    name: z.string().min(1).max(255),
    hostname: z.string().optional(),
    ip: z.string().default("10.0.9.10"),
    os_type: z.enum(["LINUX", "WINDOWS"]).default("LINUX"),
    os_version: z.string().optional(),
    agent_version: z.string().default("24.3.0"),
    connected: z.boolean().default(true),
    firmware: z.enum(["BIOS", "UEFI"]).default("BIOS"),
    cpu_quantity: z.number().int().min(1).default(2),
    memory: z.number().int().min(1).default(4096),
    /** Disks in bytes; a 40 GiB system disk when absent. */
    disks: z.array(TargetDisk).optional(),
  })
  .strict();

/** A target ECS server to add. */
export const SeedTarget = z
  .object({
    id: Id.default(() => randomUUID()),
    name: z.string().min(1),
    ip: z.string().default("192.168.30.10"),
    flavor: z.string().default("s6.large.2"),
    status: z.enum(["ACTIVE", "SHUTOFF"]).default("SHUTOFF"),
    region: z.string().default(emulatorDefaults.region),
    project_id: z.string().default(emulatorDefaults.projectId),
  })
  .strict();

/** A VM template to add. */
export const SeedTemplate = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .default(() => randomUUID()),
    name: z.string().min(1),
    flavor: z.string().default("s6.large.2"),
    region: z.string().default(emulatorDefaults.region),
    project_id: z.string().default(emulatorDefaults.projectId),
    vpc: z.string().default("vpc-emulator-migration"),
    subnet: z.string().default("subnet-emulator-192-168-20"),
    security_group: z.string().default("sg-emulator-migration"),
    target_server_name: z.string().default("sms-target"),
  })
  .strict();

/**
 * A task to add, created as `POST /v3/tasks` would (same checks) and then put in `state`.
 * Give `target_vm_id` or `vm_template_id`.
 */
export const SeedTask = z
  .object({
    id: Id.optional(),
    name: TaskName.default("MigrationTask"),
    type: TaskType.default("MIGRATE_BLOCK"),
    source_server_id: Id,
    target_vm_id: z.string().optional(),
    target_name: z.string().optional(),
    vm_template_id: z.string().optional(),
    state: TaskState.default("READY"),
    /** Replication progress in percent, for RUNNING/ABORT/MIGRATE_FAIL. */
    progress: z.number().min(0).max(100).optional(),
    error_json: z.string().optional(),
    syncing: z.boolean().optional(),
    is_need_consistency_check: z.boolean().optional(),
    need_migration_test: z.boolean().optional(),
    start_target_server: z.boolean().optional(),
    priority: z.number().int().min(0).max(2).optional(),
    speed_limit: z.number().int().min(0).optional(),
    region_name: z.string().default(emulatorDefaults.region),
    region_id: z.string().default(emulatorDefaults.region),
    project_name: z.string().default(emulatorDefaults.region),
    project_id: z.string().default(emulatorDefaults.projectId),
  })
  .strict();

/** Body of `POST /_emulator/seed` under `"sms"`. */
export const SmsSeed = z
  .object({
    source_servers: z.array(SeedSource).default([]),
    target_servers: z.array(SeedTarget).default([]),
    templates: z.array(SeedTemplate).default([]),
    tasks: z.array(SeedTask).default([]),
  })
  .strict();

/** `{"service":"sms","kind":"task",...}`: set a task's state, or delete it out of band. */
export const ForceTask = z
  .object({
    service: z.literal("sms"),
    kind: z.literal("task"),
    id: Id,
    state: TaskState.optional(),
    /** Remove the task at once, as if deleted outside this API. */
    delete: z.boolean().optional(),
    error_json: z.string().optional(),
    progress: z.number().min(0).max(100).optional(),
  })
  .strict();

/** `{"service":"sms","kind":"source",...}`: Agent connection and/or a forced state (null clears it). */
export const ForceSource = z
  .object({
    service: z.literal("sms"),
    kind: z.literal("source"),
    id: Id,
    connected: z.boolean().optional(),
    state: SourceState.nullable().optional(),
    migration_cycle: MigrationCycle.nullable().optional(),
  })
  .strict();

/** Body of `POST /_emulator/force-state` for SMS. */
export const SmsForceState = z.union([ForceTask, ForceSource]);

/** Body of `POST /_emulator/config` for SMS: lifecycle durations in emulator seconds. */
export const SmsConfig = z
  .object({
    durations: z
      .object({
        replication: z.number().min(0),
        abort: z.number().min(0),
        delete: z.number().min(0),
        clone: z.number().min(0),
        cutover: z.number().min(0),
        consistencyCheck: z.number().min(0),
        skip: z.number().min(0),
        migrationTest: z.number().min(0),
        clear: z.number().min(0),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

/** A 40 GiB system disk for seeded sources given without disks. */
export function defaultDisks(osType: "LINUX" | "WINDOWS"): z.infer<typeof TargetDisk>[] {
  const linux = osType === "LINUX";
  return [
    {
      name: linux ? "/dev/vda" : "Disk 0",
      device_use: "OS",
      disk_id: "0",
      size: 40 * GiB,
      used_size: 10 * GiB,
      physical_volumes: [
        {
          device_use: "OS",
          file_system: linux ? "xfs" : "NTFS",
          index: 0,
          mount_point: linux ? "/" : "C:\\",
          name: linux ? "/dev/vda1" : "C:",
          size: 40 * GiB,
          used_size: 10 * GiB,
          uuid: randomUUID(),
        },
      ],
    },
  ];
}
