/**
 * What the control plane accepts for DCS: seed data, forced states and lifecycle durations.
 * Everything is validated; a bad request names the field.
 */
import { randomUUID } from "crypto";
import { z } from "zod";
import {
  DcsTaskStatus,
  IpSwitchStatus,
  MigrationMethod,
  MigrationType,
  ResumeMode,
} from "../../../sdk/huawei/dcs/contract";
import { emulatorDefaults } from "../../defaults";

const Address = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/, "must be ip:port");

/** A DCS Redis instance to add. `password` is stored as a digest only. */
export const SeedInstance = z
  .object({
    id: z
      .string()
      .min(1)
      .default(() => randomUUID()),
    name: z.string().min(1),
    project_id: z.string().default(emulatorDefaults.projectId),
    ip: z.string().default("192.168.0.160"),
    port: z.number().int().min(1).max(65535).default(6379),
    status: z.enum(["RUNNING", "CREATING", "ERROR"]).default("RUNNING"),
    spec_code: z.string().default("redis.ha.xu1.large.r2.4"),
    subnet_id: z.string().default("subnet-emulator"),
    engine_version: z.string().default("6.0"),
    password: z.string().optional(),
    keys: z.number().int().min(0).default(1000),
  })
  .strict();

/** A self-built Redis to add. */
export const SeedSelfBuilt = z
  .object({ address: Address, password: z.string().optional(), keys: z.number().int().min(0).default(1000) })
  .strict();

/** A VPC to add. */
export const SeedNetwork = z
  .object({
    vpc_id: z.string().min(1),
    subnet_ids: z.array(z.string().min(1)).min(1),
    security_group_ids: z.array(z.string().min(1)).min(1),
    cidr_prefix: z
      .string()
      .regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/)
      .default("192.168.1"),
  })
  .strict();

/**
 * A task to add in a given status, with every list field settable, so that a test can reproduce
 * a documented example (the ListMigrationTasks document's) in any project.
 */
export const SeedTask = z
  .object({
    id: z
      .string()
      .min(1)
      .default(() => randomUUID()),
    project_id: z.string().default(emulatorDefaults.projectId),
    name: z.string().min(1),
    description: z.string().nullable().default(null),
    type: MigrationType.default("online_migration"),
    method: MigrationMethod.nullable().default("incremental_migration"),
    resume_mode: ResumeMode.nullable().default("auto"),
    status: DcsTaskStatus.default("TERMINATED"),
    source_instance_id: z.string().optional(),
    source_address: Address.optional(),
    target_instance_id: z.string().optional(),
    target_address: Address.optional(),
    ecs_ip: z.string().nullable().default(null),
    created_at: z.string().datetime().optional(),
    error_message: z.string().nullable().default(null),
  })
  .strict();

/** Body of `POST /_emulator/seed` under `"dcs"`. */
export const DcsSeed = z
  .object({
    instances: z.array(SeedInstance).default([]),
    self_built: z.array(SeedSelfBuilt).default([]),
    networks: z.array(SeedNetwork).default([]),
    buckets: z
      .array(z.object({ name: z.string().min(1), files: z.array(z.string().min(1)) }).strict())
      .default([]),
    backups: z
      .array(z.object({ id: z.string().min(1), instance_id: z.string().min(1) }).strict())
      .default([]),
    tasks: z.array(SeedTask).default([]),
  })
  .strict();

/**
 * `{"service":"dcs","kind":"task",...}`: set a task's status (a failure with its message, a stop
 * done outside Pulumi), its IP-switch sub-status, or remove it out of band.
 */
export const DcsForceState = z
  .object({
    service: z.literal("dcs"),
    kind: z.literal("task"),
    id: z.string().min(1),
    status: DcsTaskStatus.optional(),
    error_message: z.string().optional(),
    ip_switch_status: IpSwitchStatus.optional(),
    progress: z.number().int().min(0).max(100).optional(),
    /** Remove the task at once, as if deleted outside this API (no ghost detail). */
    delete: z.boolean().optional(),
  })
  .strict();

/** Body of `POST /_emulator/config` under `"dcs"`: lifecycle durations in emulator seconds. */
export const DcsConfig = z
  .object({
    durations: z
      .object({
        createEcs: z.number().min(0),
        connect: z.number().min(0),
        fullMigration: z.number().min(0),
        terminate: z.number().min(0),
        ipSwitch: z.number().min(0),
        ghost: z.number().min(0),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
