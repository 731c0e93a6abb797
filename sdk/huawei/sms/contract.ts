/**
 * Huawei Cloud SMS v3 contracts (docs/huawei-sms.md), shared by the client and
 * the emulator. Request schemas strip unknown keys, as the service does: the documented PUT
 * example sends a whole task read model and only the PutTaskReq fields take effect.
 */
import { z } from "zod";
import { defineOperation } from "../../core/contract";

/** Task `state` values (docs/huawei-sms.md). */
export const TaskState = z.enum([
  "READY",
  "RUNNING",
  "SYNCING",
  "MIGRATE_SUCCESS",
  "SYNC_SUCCESS",
  "MIGRATE_FAIL",
  "SYNC_FAIL",
  "ABORTING",
  "ABORT",
  "SKIPPING",
  "DELETING",
  "RESETING",
  "SYNC_F_ROLLBACKING",
  "SYNC_F_ROLLBACK_SUCCESS",
]);
export type TaskState = z.infer<typeof TaskState>;

/** Source server `state` values. */
export const SourceState = z.enum([
  "unavailable",
  "waiting",
  "initialize",
  "replicate",
  "syncing",
  "stopping",
  "stopped",
  "skipping",
  "deleting",
  "clearing",
  "cleared",
  "clearfailed",
  "premigready",
  "premiging",
  "premiged",
  "premigfailed",
  "cloning",
  "cutovering",
  "finished",
  "error",
]);
export type SourceState = z.infer<typeof SourceState>;

/** Source states in which the service refuses DeleteTask (SMS.2015, docs/huawei-sms.md). */
export const DELETE_BLOCKING_SOURCE_STATES: ReadonlySet<SourceState> = new Set<SourceState>([
  "initialize",
  "stopping",
  "deleting",
  "cloning",
  "replicate",
  "syncing",
  "cutovering",
  "skipping",
  "clearing",
  "premiging",
]);

/** Source server `migration_cycle` values. */
export const MigrationCycle = z.enum([
  "no_ready",
  "ready_for_test",
  "testing",
  "tested",
  "cutovering",
  "cutovered",
  "checking",
  "setting",
  "replicating",
  "syncing",
]);

export const TaskType = z.enum(["MIGRATE_FILE", "MIGRATE_BLOCK"]);
export const OsType = z.enum(["WINDOWS", "LINUX"]);

/** Operations of `POST /v3/tasks/{task_id}/action`. */
export const TaskOperation = z.enum([
  "start",
  "stop",
  "test",
  "cutover",
  "clone_test",
  "restart",
  "network_check",
  "skip",
  "clear",
  "migration_test",
  "error_for_overspeed",
]);
export type TaskOperation = z.infer<typeof TaskOperation>;

const PhysicalVolume = z.object({
  device_use: z.string().nullish(),
  file_system: z.string().nullish(),
  index: z.number().int().nullish(),
  mount_point: z.string().nullish(),
  name: z.string().nullish(),
  size: z.number().nullish(),
  inode_size: z.number().nullish(),
  used_size: z.number().nullish(),
  uuid: z.string().nullish(),
});

export const TargetDisk = z.object({
  device_use: z.string().nullish(),
  disk_id: z.string().nullish(),
  name: z.string().nullish(),
  physical_volumes: z.array(PhysicalVolume).nullish(),
  size: z.number().nullish(),
  used_size: z.number().nullish(),
});

/**
 * Largest migration speed limit, in Mbit/s, of a task and of a speed-limit window: the newest
 * UpdateTask document and the SDK's `SpeedLimitlJson` both say 0 to 1000 (an older, 2024 edition
 * said 10000; docs/huawei-sms.md says how the editions were ordered).
 */
export const MAX_SPEED_LIMIT_MBPS = 1000;

/** A target disk as the task read model reports it (`TargetDisk` of ShowTask): the create shape plus the service's own ids. */
export const TargetDiskRead = TargetDisk.extend({
  id: z.number().int().nullish(),
  disk_index: z.string().nullish(),
  os_disk: z.boolean().nullish(),
  /** `MBR` or `GPT`. */
  partition_style: z.string().nullish(),
  /** Linux: the target ECS disk the source disk maps to. */
  relation_name: z.string().nullish(),
  physical_volumes: z
    .array(
      PhysicalVolume.extend({
        id: z.number().int().nullish(),
        relation_name: z.string().nullish(),
        free_size: z.number().nullish(),
      }),
    )
    .nullish(),
});

/** LVM volume groups and Btrfs file systems, as the SDK models them; the provider does not read inside them. */
const VolumeGroups = z.array(z.record(z.string(), z.unknown()));

/** Task name as documented for PutTaskReq: 1 to 64 letters, digits, `_` or `-`. */
export const TaskName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}_-]+$/u, "must be 1 to 64 letters, digits, '_' or '-'");

/** `PostTask`, the create body (docs/huawei-sms.md). */
export const PostTask = z.object({
  name: TaskName,
  type: TaskType,
  os_type: OsType.optional(),
  source_server: z.object({ id: z.string().min(1).max(36) }),
  target_server: z.object({
    name: z.string(),
    vm_id: z.string(),
    disks: z.array(TargetDisk).optional(),
    volume_groups: z.array(z.record(z.string(), z.unknown())).optional(),
    btrfs_list: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
  region_name: z.string().min(1),
  region_id: z.string().min(1),
  project_name: z.string().min(1),
  project_id: z.string().min(1),
  start_target_server: z.boolean().optional(),
  auto_start: z.boolean().optional(),
  migration_ip: z.string().optional(),
  priority: z.number().int().min(0).max(65535).optional(),
  vm_template_id: z.string().optional(),
  clonevm_template_id: z.string().optional(),
  use_public_ip: z.boolean().optional(),
  use_ipv6: z.boolean().optional(),
  syncing: z.boolean().optional(),
  exist_server: z.boolean().optional(),
  start_network_check: z.boolean().optional(),
  speed_limit: z.number().int().min(0).max(MAX_SPEED_LIMIT_MBPS).optional(),
  over_speed_threshold: z.number().min(0).optional(),
  is_need_consistency_check: z.boolean().optional(),
  need_migration_test: z.boolean().optional(),
});
export type PostTask = z.infer<typeof PostTask>;

/** `PutTaskReq`, the update body (docs/huawei-sms.md); every field optional, nulls tolerated. */
export const PutTaskReq = z.object({
  name: TaskName.nullish(),
  type: TaskType.nullish(),
  region_id: z.string().nullish(),
  region_name: z.string().nullish(),
  exist_server: z.boolean().nullish(),
  migration_ip: z.string().nullish(),
  use_ipv6: z.boolean().nullish(),
  use_public_ip: z.boolean().nullish(),
  speed_limit: z.number().int().min(0).max(MAX_SPEED_LIMIT_MBPS).nullish(),
  project_name: z.string().nullish(),
  project_id: z.string().nullish(),
  enterprise_project: z.string().nullish(),
  image_disk_id: z.string().nullish(),
  vm_template_id: z.string().nullish(),
  target_disk_ids: z.string().nullish(),
  snapshot_ids: z.string().nullish(),
  cutovered_snapshot_ids: z.string().nullish(),
  target_server: z.record(z.string(), z.unknown()).nullish(),
  clone_server: z.record(z.string(), z.unknown()).nullish(),
});
export type PutTaskReq = z.infer<typeof PutTaskReq>;

/** `UpdateTaskStatusReq`, the action body (docs/huawei-sms.md). */
export const UpdateTaskStatusReq = z.object({
  operation: TaskOperation,
  template_id: z.string().max(255).optional(),
  switch_hce: z.boolean().optional(),
  is_need_consistency_check: z.boolean().optional(),
});
export type UpdateTaskStatusReq = z.infer<typeof UpdateTaskStatusReq>;

export const SubTask = z.object({
  id: z.number().int(),
  name: z.string(),
  progress: z.number(),
  start_date: z.number().nullish(),
  end_date: z.number().nullish(),
  process_trace: z.string().nullish(),
  user_op: z.string().nullish(),
  /** Mbit/s of this sub-task (ShowTask's `SubTask`). */
  migrate_speed: z.number().nullish(),
});

export const CloneServer = z.object({
  vm_id: z.string().nullish(),
  name: z.string().nullish(),
  clone_error: z.string().nullish(),
  clone_state: z.enum(["NOT_READY", "READY", "PREPARING", "CREATING", "ERROR", "FINISHED"]).nullish(),
  error_msg: z.string().nullish(),
});

export const NetworkCheckInfo = z.object({
  domain_connectivity: z.boolean().nullish(),
  destination_connectivity: z.boolean().nullish(),
  network_delay: z.number().nullish(),
  network_jitter: z.number().nullish(),
  migration_speed: z.number().nullish(),
  loss_percentage: z.number().nullish(),
  cpu_usage: z.number().nullish(),
  mem_usage: z.number().nullish(),
  evaluation_result: z.string().nullish(),
});

/**
 * The task read model (`ShowTaskResponse`). `use_public_ip`, `use_ipv6`, `syncing` and
 * `exist_server` are not in the SDK's ShowTaskResponse but are read from the detail by Terraform's
 * resource (`syncing` is in the list model): the emulator answers them, and the provider treats
 * their absence as "unchanged" (docs/huawei-sms.md).
 */
export const Task = z.object({
  id: z.string(),
  name: z.string(),
  type: TaskType,
  os_type: OsType.nullish(),
  state: TaskState,
  priority: z.number().int().nullish(),
  speed_limit: z.number().nullish(),
  region_id: z.string().nullish(),
  region_name: z.string().nullish(),
  project_id: z.string().nullish(),
  project_name: z.string().nullish(),
  enterprise_project_id: z.string().nullish(),
  start_target_server: z.boolean().nullish(),
  migration_ip: z.string().nullish(),
  vm_template_id: z.string().nullish(),
  estimate_complete_time: z.number().nullish(),
  connected: z.boolean().nullish(),
  create_date: z.number().nullish(),
  start_date: z.number().nullish(),
  finish_date: z.number().nullish(),
  migrate_speed: z.number().nullish(),
  compress_rate: z.number().nullish(),
  error_json: z.string().nullish(),
  total_time: z.number().nullish(),
  float_ip: z.string().nullish(),
  remain_seconds: z.number().nullish(),
  target_snapshot_id: z.string().nullish(),
  use_public_ip: z.boolean().nullish(),
  use_ipv6: z.boolean().nullish(),
  syncing: z.boolean().nullish(),
  exist_server: z.boolean().nullish(),
  need_migration_test: z.boolean().nullish(),
  /** Resource usage the Agent reports: CPU and memory in percent, disk I/O in Mbit/s. */
  total_cpu_usage: z.number().nullish(),
  agent_cpu_usage: z.number().nullish(),
  total_mem_usage: z.number().nullish(),
  agent_mem_usage: z.number().nullish(),
  total_disk_io: z.number().nullish(),
  agent_disk_io: z.number().nullish(),
  /** The current sub-task and its progress. */
  subtask_info: z.string().nullish(),
  source_server: z
    .object({
      id: z.string(),
      ip: z.string().nullish(),
      name: z.string().nullish(),
      os_type: z.string().nullish(),
      os_version: z.string().nullish(),
      oem_system: z.boolean().nullish(),
      state: SourceState.nullish(),
      migration_cycle: MigrationCycle.nullish(),
    })
    .nullish(),
  target_server: z
    .object({
      id: z.string().nullish(),
      vm_id: z.string().nullish(),
      name: z.string().nullish(),
      ip: z.string().nullish(),
      os_type: z.string().nullish(),
      os_version: z.string().nullish(),
      /** Windows: the system directory. */
      system_dir: z.string().nullish(),
      disks: z.array(TargetDiskRead).nullish(),
      volume_groups: VolumeGroups.nullish(),
      /** Linux: the source's Btrfs file systems, `[]` when there is none. */
      btrfs_list: z.array(z.unknown()).nullish(),
      /** The disk of the migration Agent's image attached to the target. */
      image_disk_id: z.string().nullish(),
      /** Snapshots to roll the target back to after a cutover. */
      cutovered_snapshot_ids: z.string().nullish(),
    })
    .nullish(),
  clone_server: CloneServer.nullish(),
  sub_tasks: z.array(SubTask).nullish(),
  network_check_info: NetworkCheckInfo.nullish(),
});
export type Task = z.infer<typeof Task>;

/** A list item (`TasksResponseBody`): the read model plus list-only fields. */
export const TaskListItem = Task.extend({
  log_collect_status: z.enum(["INIT", "UPLOADING", "UPLOAD_FAIL", "UPLOADED"]).nullish(),
  special_config: z.array(z.record(z.string(), z.unknown())).nullish(),
});
export type TaskListItem = z.infer<typeof TaskListItem>;

export const ListTasksQuery = z.object({
  state: z
    .enum([
      "READY",
      "RUNNING",
      "SYNCING",
      "MIGRATE_SUCCESS",
      "MIGRATE_FAIL",
      "ABORTING",
      "ABORT",
      "DELETING",
      "SYNC_F_ROLLBACKING",
      "SYNC_F_ROLLBACK_SUCCESS",
    ])
    .optional(),
  name: z.string().optional(),
  id: z.string().min(1).max(36).optional(),
  source_server_id: z.string().min(1).max(36).optional(),
  limit: z.coerce.number().int().min(0).max(200).optional(),
  offset: z.coerce.number().int().min(0).max(65535).optional(),
  enterprise_project_id: z.string().optional(),
});

/**
 * One speed-limit window (`SpeedLimitlJson`). `speed` is optional in the SDK's model; what a
 * window without one does is undocumented, and the emulator stores it as given.
 */
export const SpeedLimitItem = z.object({
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM"),
  end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, "must be HH:MM"),
  speed: z.number().int().min(0).max(MAX_SPEED_LIMIT_MBPS).optional(),
  over_speed_threshold: z.number().min(0).max(100).optional(),
});
export type SpeedLimitItem = z.infer<typeof SpeedLimitItem>;

export const ConfigBody = z.object({
  config_key: z.string().min(1),
  config_value: z.string(),
  config_status: z.string().optional(),
});
export type ConfigBody = z.infer<typeof ConfigBody>;

/**
 * Source server read model: every field of ShowServer (`ShowServerResponse`) and of a ListServers
 * item (`SourceServersResponseBody`, which adds `is_consistency_result_exist`). Nested lists the
 * provider does not read (disks, networks, checks, volume groups, Btrfs) are kept as records.
 */
export const SourceServer = z.object({
  id: z.string(),
  ip: z.string().nullish(),
  name: z.string().nullish(),
  hostname: z.string().nullish(),
  enterprise_project_id: z.string().nullish(),
  /** Epoch ms the source was registered. */
  add_date: z.number().nullish(),
  os_type: z.string().nullish(),
  os_version: z.string().nullish(),
  /** Windows: an OEM edition. */
  oem_system: z.boolean().nullish(),
  state: SourceState.nullish(),
  connected: z.boolean().nullish(),
  /** `BIOS` or `UEFI`. */
  firmware: z.string().nullish(),
  init_target_server: z
    .object({ disks: z.array(TargetDisk).nullish(), volume_groups: VolumeGroups.nullish() })
    .nullish(),
  cpu_quantity: z.number().int().nullish(),
  /** MB. */
  memory: z.number().nullish(),
  current_task: z.object({ id: z.string().nullish(), name: z.string().nullish() }).loose().nullish(),
  disks: z.array(z.record(z.string(), z.unknown())).nullish(),
  volume_groups: VolumeGroups.nullish(),
  btrfs_list: z.array(z.unknown()).nullish(),
  networks: z.array(z.record(z.string(), z.unknown())).nullish(),
  checks: z.array(z.record(z.string(), z.unknown())).nullish(),
  migration_cycle: MigrationCycle.nullish(),
  /** Epoch ms of the last change of `state`. */
  state_action_time: z.number().nullish(),
  /** Bytes replicated so far. */
  replicatesize: z.number().nullish(),
  /** Bytes to replicate in all. */
  totalsize: z.number().nullish(),
  /** Epoch ms of the Agent's last change of connection. */
  last_visit_time: z.number().nullish(),
  /** Epoch ms of the last change of `migration_cycle`. */
  stage_action_time: z.number().nullish(),
  agent_version: z.string().nullish(),
  /** Linux: the tc component is installed (speed limiting). */
  has_tc: z.boolean().nullish(),
  /** `MANUAL`, `AUTO` or empty. */
  start_type: z.string().nullish(),
  /** List items only: a consistency-check result exists. */
  is_consistency_result_exist: z.boolean().nullish(),
});
export type SourceServer = z.infer<typeof SourceServer>;

const Empty = z.union([z.object({}).loose(), z.string()]).optional();
const Id = z.object({ id: z.string() });

/** Every SMS operation the package uses. */
export const sms = {
  createTask: defineOperation({
    name: "CreateTask",
    method: "POST",
    path: "/v3/tasks",
    query: undefined,
    body: PostTask,
    response: Id,
  }),
  listTasks: defineOperation({
    name: "ListTasks",
    method: "GET",
    path: "/v3/tasks",
    query: ListTasksQuery,
    body: undefined,
    response: z.object({ count: z.number().int(), tasks: z.array(TaskListItem) }),
  }),
  showTask: defineOperation({
    name: "ShowTask",
    method: "GET",
    path: "/v3/tasks/{task_id}",
    query: undefined,
    body: undefined,
    response: Task,
  }),
  updateTask: defineOperation({
    name: "UpdateTask",
    method: "PUT",
    path: "/v3/tasks/{task_id}",
    query: undefined,
    body: PutTaskReq,
    response: z.union([Id, z.object({}).loose()]).optional(),
  }),
  updateTaskStatus: defineOperation({
    name: "UpdateTaskStatus",
    method: "POST",
    path: "/v3/tasks/{task_id}/action",
    query: undefined,
    body: UpdateTaskStatusReq,
    response: Empty,
  }),
  deleteTask: defineOperation({
    name: "DeleteTask",
    method: "DELETE",
    path: "/v3/tasks/{task_id}",
    query: undefined,
    body: undefined,
    response: Empty,
  }),
  showSpeedLimits: defineOperation({
    name: "ShowsSpeedLimits",
    method: "GET",
    path: "/v3/tasks/{task_id}/speed-limit",
    query: undefined,
    body: undefined,
    response: z.object({ speed_limit: z.array(SpeedLimitItem) }),
  }),
  updateSpeed: defineOperation({
    name: "UpdateSpeed",
    method: "POST",
    path: "/v3/tasks/{task_id}/speed-limit",
    query: undefined,
    body: z.object({ speed_limit: z.array(SpeedLimitItem).max(30) }),
    response: Empty,
  }),
  showConfigSetting: defineOperation({
    name: "ShowConfigSetting",
    method: "GET",
    path: "/v3/tasks/{task_id}/configuration-setting",
    query: z.object({ config_key: z.string().optional() }),
    body: undefined,
    response: z.object({
      task_id: z.string().nullish(),
      migrate_type: z.string().nullish(),
      configurations: z.array(ConfigBody),
    }),
  }),
  uploadSpecialConfigurationSetting: defineOperation({
    name: "UploadSpecialConfigurationSetting",
    method: "POST",
    path: "/v3/tasks/{task_id}/configuration-setting",
    query: undefined,
    body: z.object({ configurations: z.array(ConfigBody).max(50) }),
    response: Empty,
  }),
  showPassphrase: defineOperation({
    name: "ShowPassphrase",
    method: "GET",
    path: "/v3/tasks/{task_id}/passphrase",
    query: undefined,
    body: undefined,
    response: z.object({ task_id: z.string().nullish(), passphrase: z.string() }),
  }),
  showServer: defineOperation({
    name: "ShowServer",
    method: "GET",
    path: "/v3/sources/{source_id}",
    query: undefined,
    body: undefined,
    response: SourceServer,
  }),
  listServers: defineOperation({
    name: "ListServers",
    method: "GET",
    path: "/v3/sources",
    query: z.object({
      state: SourceState.optional(),
      name: z.string().optional(),
      id: z.string().optional(),
      ip: z.string().optional(),
      /** Matched against the source's IPv6 addresses (the SDK: "IP is used first"). */
      ipv6: z.string().optional(),
      /** Migration project id: the emulator has no migration projects and refuses it by name. */
      migproject: z.string().optional(),
      migration_cycle: MigrationCycle.optional(),
      // A query string carries "true" or "false"; z.coerce.boolean() would read "false" as true.
      connected: z.enum(["true", "false"]).optional(),
      enterprise_project_id: z.string().optional(),
      is_consistency_result_exist: z.enum(["true", "false"]).optional(),
      /** The platform's clone server id (`clone_server.vm_id` of the source's task). */
      vm_id: z.string().optional(),
      limit: z.coerce.number().int().min(0).max(200).optional(),
      offset: z.coerce.number().int().min(0).optional(),
    }),
    body: undefined,
    response: z.object({ count: z.number().int(), source_servers: z.array(SourceServer) }),
  }),
} as const;
