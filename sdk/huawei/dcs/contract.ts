/**
 * Huawei Cloud DCS v2 data-migration contracts (docs/huawei-dcs.md), shared by
 * the client and the emulator. Every path is project-scoped (`/v2/{project_id}/...`); note the
 * singular/plural split the service really has: `migration-task/...` for one task and for
 * batch-stop, `migration-tasks` for list, delete and batch-restart.
 *
 * Request schemas strip unknown keys, as the service does. Read models make everything except the
 * identity and status optional and nullable: the SDK models declare every field optional, and the
 * documented examples carry explicit `null`s (`error_message: null`).
 */
import { z } from "zod";
import { defineOperation } from "../../core/contract";

/**
 * Task `status` (docs/huawei-dcs.md, [DOC] ShowMigrationTask 2025-07). `INCRMIGEATING` is the API's own
 * spelling of "incremental migration in progress" and must not be corrected; `RUNNING` means
 * "created, waiting to be configured", not "migrating". `DELETED` is not in the docs: Terraform
 * has seen a deleted task answer its detail call with it [TF].
 */
export const DcsTaskStatus = z.enum([
  "SUCCESS",
  "FAILED",
  "MIGRATING",
  "TERMINATED",
  "TERMINATING",
  "INCRMIGEATING",
  "FULLMIGRATING",
  "RUNNING",
  "MIGRATION_FAILED",
  "RELEASED",
  "DELETED",
]);
export type DcsTaskStatus = z.infer<typeof DcsTaskStatus>;

/**
 * Statuses at which Terraform's pollers stop waiting [TF `migrationTaskRefreshFunc`].
 * `INCRMIGEATING` is in the set because an incremental migration stays there until stopped.
 */
export const DCS_SETTLED_STATUSES: readonly DcsTaskStatus[] = [
  "SUCCESS",
  "FAILED",
  "TERMINATED",
  "INCRMIGEATING",
  "MIGRATION_FAILED",
  "RELEASED",
  "DELETED",
];

/**
 * IP-switch sub-status (top-level `task_status` of the task detail). Only the two terminal values
 * are evidenced [TF]; the transient and failure values are [INF] (emulator design choice).
 */
export const IpSwitchStatus = z.enum([
  "EXCHANGING",
  "EXCHANGE_SUCCESS",
  "EXCHANGE_FAILED",
  "ROLLBACKING",
  "ROLLBACK_SUCCESS",
  "ROLLBACK_FAILED",
]);
export type IpSwitchStatus = z.infer<typeof IpSwitchStatus>;

/**
 * Status of an asynchronous job, such as the one creating an online migration's ECS. The SDK
 * documents `status` as free text with no list; `SUCCESS` and `FAIL` are the values Terraform's
 * job poller waits for [TF], `INIT` and `RUNNING` are inferred [INF] (docs/huawei-dcs.md).
 */
export const DcsJobStatus = z.enum(["INIT", "RUNNING", "SUCCESS", "FAIL"]);
export type DcsJobStatus = z.infer<typeof DcsJobStatus>;

/** Migration kind (`migration_type`). */
export const MigrationType = z.enum(["backupfile_import", "online_migration"]);
export type MigrationType = z.infer<typeof MigrationType>;

/** Full or incremental migration (`migration_method`). */
export const MigrationMethod = z.enum(["full_amount_migration", "incremental_migration"]);
export type MigrationMethod = z.infer<typeof MigrationMethod>;

/** Reconnection after a network break (`resume_mode`). */
export const ResumeMode = z.enum(["auto", "manual"]);
export type ResumeMode = z.infer<typeof ResumeMode>;

/** Network between source and target (`network_type`), online migration only. */
export const NetworkType = z.enum(["vpc", "vpn"]);
export type NetworkType = z.infer<typeof NetworkType>;

/**
 * Where backup files come from. `self_build_obs` is in the SDK enum; `backup_record` is in the
 * docs' enum and Terraform's schema, not in the SDK model (docs/huawei-dcs.md marks the name [INF]).
 */
export const BackupFileSource = z.enum(["self_build_obs", "backup_record"]);
export type BackupFileSource = z.infer<typeof BackupFileSource>;

/** Log levels of ListMigrationTaskLogs [SDK MigrationLog]. */
export const MigrationLogLevel = z.enum(["INFO", "ERROR"]);
export type MigrationLogLevel = z.infer<typeof MigrationLogLevel>;

/** Result of one task in a batch stop or restart [SDK StopMigrationTaskResult]. */
export const BatchResultKind = z.enum(["success", "failed"]);

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

/** `CreateOnlineMigrationTaskBody`: creates the migration ECS that carries an online migration. */
export const CreateOnlineMigrationTaskBody = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  vpc_id: z.string().min(1),
  subnet_id: z.string().min(1),
  security_group_id: z.string().min(1),
});
export type CreateOnlineMigrationTaskBody = z.infer<typeof CreateOnlineMigrationTaskBody>;

/** Source or target of an online migration: a cloud instance by `id`, or a self-built Redis by `addrs`. */
export const OnlineMigrationEndpoint = z
  .object({
    id: z.string().min(1).optional(),
    /** `ip:port` of a self-built Redis. */
    addrs: z.string().min(1).optional(),
    password: z.string().optional(),
  })
  // [INF] Neither field is marked required, but a side with neither names no Redis at all.
  .refine(
    (v) => v.id !== undefined || v.addrs !== undefined,
    "either id (cloud instance) or addrs (ip:port) is required",
  );
export type OnlineMigrationEndpoint = z.infer<typeof OnlineMigrationEndpoint>;

/** `bandwidth_limit_mb` is a string on the wire (SDK `str`) holding 1 to 10240 MB/s. */
export const BandwidthLimitMb = z
  .string()
  .regex(/^[1-9]\d*$/, "must be a whole number of MB/s, as a string")
  // The SDK's range reads "1-10,241", then spells it out: "greater than 0 and less than 10,241";
  // the Terraform documents say 1-10240. Both agree on 10240 as the largest value.
  .refine((v) => Number(v) <= 10240, "must be at most 10240 MB/s");

/** `SetOnlineMigrationTaskBody`: configures (or reconfigures) an online migration. */
export const SetOnlineMigrationTaskBody = z.object({
  migration_method: MigrationMethod,
  resume_mode: ResumeMode,
  /** Incremental migration only, per the docs; not enforced because the service's behaviour for full migration is undocumented. */
  bandwidth_limit_mb: BandwidthLimitMb.optional(),
  source_instance: OnlineMigrationEndpoint,
  target_instance: OnlineMigrationEndpoint,
});
export type SetOnlineMigrationTaskBody = z.infer<typeof SetOnlineMigrationTaskBody>;

/** One backup file (`Files`). */
export const BackupFile = z.object({
  file_name: z.string().min(1),
  /** Size in bytes, as a string. */
  size: z.string().optional(),
  /** Last modification, `YYYY-MM-DD HH:MM:SS`. */
  update_at: z.string().optional(),
});
export type BackupFile = z.infer<typeof BackupFile>;

/** `BackupFilesBody` as sent on create. */
export const BackupFilesBody = z
  .object({
    file_source: BackupFileSource.optional(),
    bucket_name: z.string().optional(),
    files: z.array(BackupFile),
    backup_id: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    // [DOC] "backup_id: required when the source is a backup record"; "bucket_name: required when
    // the source is an OBS bucket".
    if (v.file_source === "backup_record" && !v.backup_id) {
      ctx.addIssue({
        code: "custom",
        path: ["backup_id"],
        message: "is required when file_source is backup_record",
      });
    }
    if (v.file_source === "self_build_obs" && !v.bucket_name) {
      ctx.addIssue({
        code: "custom",
        path: ["bucket_name"],
        message: "is required when file_source is self_build_obs",
      });
    }
  });
export type BackupFilesBody = z.infer<typeof BackupFilesBody>;

/** `CreateMigrationTaskBody`: a backup-file import task. */
export const CreateMigrationTaskBody = z.object({
  task_name: z.string().min(1),
  description: z.string().optional(),
  // The SDK enum still lists online_migration, but the docs say this API no longer creates online
  // migrations (CreateOnlineMigrationTask does), so only backupfile_import is accepted.
  migration_type: z.literal("backupfile_import"),
  migration_method: MigrationMethod,
  backup_files: BackupFilesBody.optional(),
  network_type: NetworkType.optional(),
  /**
   * The SDK's `SourceInstanceBody`, whole. A backup import has no live source; the emulator
   * refuses one as not emulated rather than ignore it (docs/huawei-dcs.md).
   */
  source_instance: z
    .object({
      addrs: z.string().min(1).optional(),
      password: z.string().optional(),
      task_status: z.string().optional(),
      id: z.string().optional(),
      ip: z.string().optional(),
      port: z.string().optional(),
      name: z.string().optional(),
      proxy_multi_db: z.boolean().optional(),
      db: z.string().optional(),
    })
    .optional(),
  /** The SDK's `TargetInstanceBody`, whole; `id` names the DCS instance the backup goes into. */
  target_instance: z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    password: z.string().optional(),
    task_status: z.string().optional(),
    ip: z.string().optional(),
    port: z.string().optional(),
    addrs: z.string().optional(),
    proxy_multi_db: z.boolean().optional(),
    /** The database the backup is imported into, e.g. `"0"`. */
    db: z.string().optional(),
  }),
});
export type CreateMigrationTaskBody = z.infer<typeof CreateMigrationTaskBody>;

/** Task ids of a batch stop or batch restart. */
export const BatchTasksBody = z.object({ migration_tasks: z.array(z.string().min(1)).min(1) });
export type BatchTasksBody = z.infer<typeof BatchTasksBody>;

/** Body of the batch delete, sent with DELETE. */
export const DeleteMigrationTaskBody = z.object({ task_id_list: z.array(z.string().min(1)).min(1) });
export type DeleteMigrationTaskBody = z.infer<typeof DeleteMigrationTaskBody>;

/**
 * Body of UpdateMigrationTask: the only updatable property is the reconnection mode, optional in
 * the SDK's model (an update without it changes nothing).
 */
export const UpdateMigrationTaskBody = z.object({ resume_mode: ResumeMode.optional() });
export type UpdateMigrationTaskBody = z.infer<typeof UpdateMigrationTaskBody>;

/** Body of ExchangeInstanceIp (the "IP switch"). */
export const ExchangeInstanceIpBody = z.object({
  exchanged_ip: z.array(z.string().min(1)),
  is_exchange_domain: z.boolean(),
});
export type ExchangeInstanceIpBody = z.infer<typeof ExchangeInstanceIpBody>;

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** ListMigrationTask query: `offset` from 0, `limit` 1 to 1000 (default 10), `name`. */
export const ListMigrationTaskQuery = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  name: z.string().optional(),
});

/** ListMigrationTaskLogs query. Bounds are undocumented; the list's are assumed [INF]. */
export const ListMigrationTaskLogsQuery = z.object({
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  log_level: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------
// Read models
// ---------------------------------------------------------------------------------------------

/**
 * Source or target instance in the task detail (SDK `SourceInstanceBody` / `TargetInstanceBody`).
 * `port` is a string in the SDK model; `task_status` here is an undocumented per-side status.
 */
export const TaskInstance = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  addrs: z.string().nullish(),
  password: z.string().nullish(),
  task_status: z.string().nullish(),
  ip: z.string().nullish(),
  port: z.string().nullish(),
  proxy_multi_db: z.boolean().nullish(),
  db: z.string().nullish(),
});
export type TaskInstance = z.infer<typeof TaskInstance>;

/** `backup_files` as read back; Terraform also reads a nested `backup_record.backup_id`. */
export const BackupFilesRead = z.object({
  file_source: BackupFileSource.nullish(),
  bucket_name: z.string().nullish(),
  files: z
    .array(BackupFile.extend({ size: z.string().nullish(), update_at: z.string().nullish() }))
    .nullish(),
  backup_id: z.string().nullish(),
  backup_record: z.object({ backup_id: z.string().nullish() }).nullish(),
});

/** Task detail, returned by ShowMigrationTask and StopMigrationTask (docs/huawei-dcs.md). */
export const MigrationTask = z.object({
  task_id: z.string(),
  task_name: z.string(),
  status: DcsTaskStatus,
  description: z.string().nullish(),
  migration_type: MigrationType.nullish(),
  migration_method: MigrationMethod.nullish(),
  ecs_tenant_private_ip: z.string().nullish(),
  backup_files: BackupFilesRead.nullish(),
  network_type: NetworkType.nullish(),
  source_instance: TaskInstance.nullish(),
  target_instance: TaskInstance.nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  released_at: z.string().nullish(),
  version: z.string().nullish(),
  resume_mode: ResumeMode.nullish(),
  supported_features: z.array(z.string()).nullish(),
  tenant_vpc_id: z.string().nullish(),
  tenant_subnet_id: z.string().nullish(),
  tenant_security_group_id: z.string().nullish(),
  bandwidth_limit_mb: z.string().nullish(),
  /**
   * IP-switch sub-status. Known values are typed by {@link IpSwitchStatus}; any other string is
   * accepted because the non-terminal values are inferred, and a read must not fail on them.
   */
  task_status: z.union([IpSwitchStatus, z.string()]).nullish(),
});
export type MigrationTask = z.infer<typeof MigrationTask>;

/** List item (`MigrationTaskList`); every field as in the ListMigrationTasks document. */
export const MigrationTaskListItem = z.object({
  task_id: z.string(),
  task_name: z.string(),
  status: DcsTaskStatus,
  migration_type: MigrationType.nullish(),
  migration_method: MigrationMethod.nullish(),
  ecs_tenant_private_ip: z.string().nullish(),
  /** `ip:port` of the source, or a bucket name. */
  data_source: z.string().nullish(),
  source_instance_name: z.string().nullish(),
  source_instance_id: z.string().nullish(),
  target_instance_addrs: z.string().nullish(),
  target_instance_name: z.string().nullish(),
  target_instance_id: z.string().nullish(),
  created_at: z.string().nullish(),
  description: z.string().nullish(),
  source_instance_status: z.string().nullish(),
  target_instance_status: z.string().nullish(),
  source_instance_subnet_id: z.string().nullish(),
  target_instance_subnet_id: z.string().nullish(),
  source_instance_spec_code: z.string().nullish(),
  target_instance_spec_code: z.string().nullish(),
  error_message: z.string().nullish(),
  released_at: z.string().nullish(),
  version: z.string().nullish(),
  resume_mode: ResumeMode.nullish(),
  supported_features: z.array(z.string()).nullish(),
});
export type MigrationTaskListItem = z.infer<typeof MigrationTaskListItem>;

/** Answer of CreateOnlineMigrationTask. */
export const CreateOnlineMigrationTaskResponse = z.object({
  /** The migration ECS id, which is also the task id. */
  instance_id: z.string(),
  /**
   * Job creating the ECS. The SDK's model has only `instance_id`, but Terraform reads `job_id`
   * from this answer and polls ShowJobInfo with it [TF], so the emulator sends it and the client
   * reads it when present (docs/huawei-dcs.md).
   */
  job_id: z.string().nullish(),
});
export type CreateOnlineMigrationTaskResponse = z.infer<typeof CreateOnlineMigrationTaskResponse>;

/** `{id, name, status}`, the answer of CreateMigrationTask and SetOnlineMigrationTask. */
export const TaskRef = z.object({
  id: z.string(),
  name: z.string().nullish(),
  status: DcsTaskStatus.nullish(),
});
export type TaskRef = z.infer<typeof TaskRef>;

/** Epoch milliseconds in a string, as the SDK documents the job times (`1684191545379`). */
const EpochMillisString = z.string().regex(/^\d+$/, "must be epoch milliseconds, as a string");

/**
 * ShowJobInfo answer. `job_type` is free text: the SDK lists only unrelated job kinds
 * (`masterStandbySwapJob`, `modifyClientIpTransJob`), and the name of the job creating a
 * migration ECS is not documented.
 */
export const DcsJob = z.object({
  job_id: z.string().nullish(),
  job_type: z.string().nullish(),
  status: DcsJobStatus,
  begin_time: EpochMillisString.nullish(),
  end_time: EpochMillisString.nullish(),
  fail_reason: z.string().nullish(),
});
export type DcsJob = z.infer<typeof DcsJob>;

/** One task's outcome in a batch stop or restart. */
export const BatchTaskResult = z.object({
  result: BatchResultKind,
  task_id: z.string(),
  error_code: z.string().nullish(),
  error_msg: z.string().nullish(),
});
export type BatchTaskResult = z.infer<typeof BatchTaskResult>;

/** Migration progress. Every figure is a string on the wire; only `is_migrating` is a boolean. */
export const MigrationTaskStats = z.object({
  full_migration_progress: z.string().nullish(),
  offset: z.string().nullish(),
  source_dbsize: z.string().nullish(),
  target_dbsize: z.string().nullish(),
  target_input_kbps: z.string().nullish(),
  target_ops: z.string().nullish(),
  is_migrating: z.boolean().nullish(),
});
export type MigrationTaskStats = z.infer<typeof MigrationTaskStats>;

/** One migration log line. */
export const MigrationLog = z.object({
  created_at: z.string().nullish(),
  // Known levels are typed; others are accepted so that a log read never fails on a new level.
  log_level: z.union([MigrationLogLevel, z.string()]).nullish(),
  message: z.string().nullish(),
  log_code: z.string().nullish(),
  keyword: z.array(z.string()).nullish(),
});
export type MigrationLog = z.infer<typeof MigrationLog>;

/** Operations documented as answering an empty body (or a bare string, 200 or 204). */
const Empty = z.union([z.object({}).loose(), z.string()]).optional();

/** Every DCS data-migration operation, named as the SDK names it. */
export const dcs = {
  createOnlineMigrationTask: defineOperation({
    name: "CreateOnlineMigrationTask",
    method: "POST",
    path: "/v2/{project_id}/migration/instance",
    query: undefined,
    body: CreateOnlineMigrationTaskBody,
    response: CreateOnlineMigrationTaskResponse,
  }),
  showJobInfo: defineOperation({
    name: "ShowJobInfo",
    method: "GET",
    path: "/v2/{project_id}/jobs/{job_id}",
    query: undefined,
    body: undefined,
    response: DcsJob,
  }),
  setOnlineMigrationTask: defineOperation({
    name: "SetOnlineMigrationTask",
    method: "POST",
    path: "/v2/{project_id}/migration/{task_id}/task",
    query: undefined,
    body: SetOnlineMigrationTaskBody,
    response: TaskRef,
  }),
  createMigrationTask: defineOperation({
    name: "CreateMigrationTask",
    method: "POST",
    path: "/v2/{project_id}/migration-task",
    query: undefined,
    body: CreateMigrationTaskBody,
    response: TaskRef,
  }),
  listMigrationTask: defineOperation({
    name: "ListMigrationTask",
    method: "GET",
    path: "/v2/{project_id}/migration-tasks",
    query: ListMigrationTaskQuery,
    body: undefined,
    response: z.object({ count: z.number().int(), migration_tasks: z.array(MigrationTaskListItem) }),
  }),
  showMigrationTask: defineOperation({
    name: "ShowMigrationTask",
    method: "GET",
    path: "/v2/{project_id}/migration-task/{task_id}",
    query: undefined,
    body: undefined,
    response: MigrationTask,
  }),
  stopMigrationTask: defineOperation({
    name: "StopMigrationTask",
    method: "POST",
    path: "/v2/{project_id}/migration-task/{task_id}/stop",
    query: undefined,
    body: undefined,
    response: MigrationTask,
  }),
  stopMigrationTaskSync: defineOperation({
    name: "StopMigrationTaskSync",
    method: "POST",
    path: "/v2/{project_id}/migration-task/{task_id}/sync-stop",
    query: undefined,
    body: undefined,
    response: Empty,
  }),
  batchStopMigrationTasks: defineOperation({
    name: "BatchStopMigrationTasks",
    method: "POST",
    path: "/v2/{project_id}/migration-task/batch-stop",
    query: undefined,
    body: BatchTasksBody,
    response: z.object({ migration_tasks: z.array(BatchTaskResult) }),
  }),
  batchRestartOnlineMigrationTasks: defineOperation({
    name: "BatchRestartOnlineMigrationTasks",
    method: "POST",
    path: "/v2/{project_id}/migration-tasks/batch-restart",
    query: undefined,
    body: BatchTasksBody,
    response: z.object({ migration_tasks: z.array(BatchTaskResult) }),
  }),
  deleteMigrationTask: defineOperation({
    name: "DeleteMigrationTask",
    method: "DELETE",
    path: "/v2/{project_id}/migration-tasks/delete",
    query: undefined,
    body: DeleteMigrationTaskBody,
    // Documented as echoing the list; an empty answer is tolerated so that a delete which took
    // effect is never reported as failed because of its answer's shape.
    response: z.object({ task_id_list: z.array(z.string()).nullish() }).optional(),
  }),
  updateMigrationTask: defineOperation({
    name: "UpdateMigrationTask",
    method: "PUT",
    path: "/v2/{project_id}/migration-task/{task_id}",
    query: undefined,
    body: UpdateMigrationTaskBody,
    response: Empty,
  }),
  exchangeInstanceIp: defineOperation({
    name: "ExchangeInstanceIp",
    method: "POST",
    path: "/v2/{project_id}/migration-task/{task_id}/exchange-ip",
    query: undefined,
    body: ExchangeInstanceIpBody,
    response: Empty,
  }),
  rollbackExchangeInstanceIp: defineOperation({
    name: "RollbackExchangeInstanceIp",
    method: "POST",
    path: "/v2/{project_id}/migration-task/{task_id}/rollback-ip",
    query: undefined,
    body: undefined,
    response: Empty,
  }),
  showMigrationTaskStats: defineOperation({
    name: "ShowMigrationTaskStats",
    method: "GET",
    path: "/v2/{project_id}/migration-task/{task_id}/stats",
    query: undefined,
    body: undefined,
    response: MigrationTaskStats,
  }),
  listMigrationTaskLogs: defineOperation({
    name: "ListMigrationTaskLogs",
    method: "GET",
    path: "/v2/{project_id}/migration-task/{task_id}/logs",
    query: ListMigrationTaskLogsQuery,
    body: undefined,
    response: z.object({ log_num: z.number().int().nullish(), migration_logs: z.array(MigrationLog) }),
  }),
} as const;
