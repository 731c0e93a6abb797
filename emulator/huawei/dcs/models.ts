/**
 * The DCS data-migration backend: Redis instances, self-built Redis sources, VPC networks, OBS
 * buckets, backup records, the jobs creating migration ECSs, and migration tasks following the
 * lifecycle of docs/huawei-dcs.md. Lifecycles are lazy, as in the SMS module: a task records the
 * phase it is in and when that phase started, and every access settles it to emulator time.
 *
 * Passwords are kept only as SHA-256 digests: enough to decide whether a configure call gave the
 * right one, and nothing a state dump or a persisted file could leak.
 */
import { createHash, randomUUID } from "crypto";
import { isIPv4 } from "net";
import type { z } from "zod";
import type {
  BackupFilesBody,
  CreateMigrationTaskBody,
  CreateOnlineMigrationTaskBody,
  DcsJob,
  DcsTaskStatus,
  IpSwitchStatus,
  MigrationLog,
  MigrationMethod,
  MigrationTask,
  MigrationTaskListItem,
  MigrationTaskStats,
  ResumeMode,
  SetOnlineMigrationTaskBody,
} from "../../../sdk/huawei/dcs/contract";
import { dcsErrors } from "./errors";

/** Rendered shapes (the contracts' response inputs). */
export type TaskView = z.input<typeof MigrationTask>;
export type TaskListView = z.input<typeof MigrationTaskListItem>;
export type StatsView = z.input<typeof MigrationTaskStats>;
export type LogView = z.input<typeof MigrationLog>;

/** Lifecycle durations, in emulator seconds. */
export interface DcsDurations {
  /** The job creating an online migration's ECS. */
  createEcs: number;
  /** Connecting to both Redis ends after configure or restart; a bad password fails here. */
  connect: number;
  /** Full migration (FULLMIGRATING for online, MIGRATING for backup import). */
  fullMigration: number;
  /** TERMINATING → TERMINATED. */
  terminate: number;
  /** EXCHANGING → EXCHANGE_SUCCESS and ROLLBACKING → ROLLBACK_SUCCESS. */
  ipSwitch: number;
  /** How long a deleted task keeps answering its detail call (with SUCCESS) before DCS.4133. */
  ghost: number;
}

/** Defaults: a full migration takes half a minute of emulator time. */
export const DEFAULT_DCS_DURATIONS: Readonly<DcsDurations> = {
  createEcs: 10,
  connect: 2,
  fullMigration: 30,
  terminate: 3,
  ipSwitch: 3,
  ghost: 60,
};

/** A DCS Redis instance. */
export interface RedisInstanceRecord {
  id: string;
  name: string;
  project_id: string;
  ip: string;
  port: number;
  status: "RUNNING" | "CREATING" | "ERROR";
  spec_code: string;
  subnet_id: string;
  engine_version: string;
  /** SHA-256 of the password; absent for a password-free instance. */
  password_sha256?: string;
  /** Keys held, for the stats' dbsize figures. */
  keys: number;
}

/** A self-built Redis reachable from the project's VPC. */
export interface SelfBuiltRedisRecord {
  /** `ip:port`. */
  address: string;
  password_sha256?: string;
  keys: number;
}

/** A VPC with its subnets and security groups, where migration ECSs can be created. */
export interface NetworkRecord {
  vpc_id: string;
  subnet_ids: string[];
  security_group_ids: string[];
  /** First three octets of the subnet; the migration ECS gets an address in it. */
  cidr_prefix: string;
}

/** An OBS bucket holding backup files. */
export interface BucketRecord {
  name: string;
  files: string[];
}

/** A backup record of an instance. */
export interface BackupRecord {
  id: string;
  instance_id: string;
}

/** The job creating an online migration's ECS. */
export interface JobRecord {
  id: string;
  project_id: string;
  task_id: string;
  startedAt: number;
  /** Why the job fails, decided at create (unknown network). */
  failReason?: string;
}

/** One side of a migration as configured. */
export interface EndpointRecord {
  id?: string;
  addrs?: string;
  password_sha256?: string;
  /** The database a backup import writes to (`target_instance.db`). */
  db?: string;
}

/** The timed activity of a task; `startedAt` is emulator epoch ms. */
export type DcsPhase =
  | { kind: "creating"; startedAt: number }
  /** Settled: the status is the task's `status`. */
  | { kind: "idle" }
  /** Connecting then migrating; `failure` is the error the connect step ends in, if any. */
  | { kind: "migrating"; startedAt: number; failure?: string }
  | { kind: "terminating"; startedAt: number };

/** A migration task. */
export interface DcsTaskRecord {
  id: string;
  project_id: string;
  name: string;
  description: string | null;
  type: "online_migration" | "backupfile_import";
  method: MigrationMethod | null;
  resume_mode: ResumeMode | null;
  bandwidth_limit_mb: string | null;
  network?: { vpc_id: string; subnet_id: string; security_group_id: string };
  ecs_ip: string | null;
  /** The status of an idle phase. */
  status: DcsTaskStatus;
  phase: DcsPhase;
  /** Full-migration percentage when the task was stopped or failed. */
  frozenProgress: number;
  error_message: string | null;
  source: EndpointRecord | null;
  target: EndpointRecord | null;
  backup_files: BackupFilesBody | null;
  ip_switch: { status: IpSwitchStatus; startedAt: number; ips: string[]; domain: boolean } | null;
  created_at: number;
  updated_at: number;
  released_at: number | null;
  /** Set by delete: the task left the list; its detail still answers until the ghost period ends. */
  deleted_at?: number;
  logs: { at: number; level: "INFO" | "ERROR"; code: string; message: string }[];
}

/** Everything the backend holds; also what persistence saves. */
export interface DcsSnapshot {
  instances: RedisInstanceRecord[];
  selfBuilt: SelfBuiltRedisRecord[];
  networks: NetworkRecord[];
  buckets: BucketRecord[];
  backups: BackupRecord[];
  jobs: JobRecord[];
  tasks: DcsTaskRecord[];
}

/** SHA-256 hex digest of a password. */
export function passwordDigest(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("hex");
}

const MIGRATING_STATUSES: ReadonlySet<DcsTaskStatus> = new Set([
  "FULLMIGRATING",
  "INCRMIGEATING",
  "MIGRATING",
]);
const RESTARTABLE: ReadonlySet<DcsTaskStatus> = new Set(["TERMINATED", "FAILED", "MIGRATION_FAILED"]);
const CONFIGURABLE: ReadonlySet<DcsTaskStatus> = new Set([
  "RUNNING",
  "TERMINATED",
  "FAILED",
  "MIGRATION_FAILED",
  "SUCCESS",
]);

const iso = (ms: number | null | undefined): string | null =>
  typeof ms === "number" ? new Date(ms).toISOString() : null;

/** `ip:port` with an IPv4 address and a port 1 to 65535. */
export function isAddress(v: string): boolean {
  const i = v.lastIndexOf(":");
  if (i <= 0) return false;
  const port = Number(v.slice(i + 1));
  return isIPv4(v.slice(0, i)) && Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** The DCS data-migration backend. */
export class DcsBackend {
  durations: DcsDurations = { ...DEFAULT_DCS_DURATIONS };
  instances = new Map<string, RedisInstanceRecord>();
  selfBuilt = new Map<string, SelfBuiltRedisRecord>();
  networks = new Map<string, NetworkRecord>();
  buckets = new Map<string, BucketRecord>();
  backups = new Map<string, BackupRecord>();
  jobs = new Map<string, JobRecord>();
  tasks = new Map<string, DcsTaskRecord>();

  /** Replaces all state. */
  load(s: DcsSnapshot): void {
    const copy = JSON.parse(JSON.stringify(s)) as DcsSnapshot;
    this.instances = new Map(copy.instances.map((x) => [x.id, x]));
    this.selfBuilt = new Map(copy.selfBuilt.map((x) => [x.address, x]));
    this.networks = new Map(copy.networks.map((x) => [x.vpc_id, x]));
    this.buckets = new Map(copy.buckets.map((x) => [x.name, x]));
    this.backups = new Map(copy.backups.map((x) => [x.id, x]));
    this.jobs = new Map(copy.jobs.map((x) => [x.id, x]));
    this.tasks = new Map(copy.tasks.map((x) => [x.id, x]));
  }

  /** A deep copy of all state. */
  snapshot(): DcsSnapshot {
    return JSON.parse(
      JSON.stringify({
        instances: [...this.instances.values()],
        selfBuilt: [...this.selfBuilt.values()],
        networks: [...this.networks.values()],
        buckets: [...this.buckets.values()],
        backups: [...this.backups.values()],
        jobs: [...this.jobs.values()],
        tasks: [...this.tasks.values()],
      }),
    ) as DcsSnapshot;
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------------------------

  /** Advances one task to `now`. */
  settle(t: DcsTaskRecord, now: number): void {
    const d = this.durations;
    for (;;) {
      const p = t.phase;
      if (p.kind === "creating") {
        const end = p.startedAt + d.createEcs * 1000;
        if (now < end) break;
        const job = [...this.jobs.values()].find((j) => j.task_id === t.id);
        if (job?.failReason) {
          t.status = "FAILED";
          t.error_message = job.failReason;
          this.log(t, end, "ERROR", "DCS.MIG.0002", `Failed to create the migration ECS: ${job.failReason}`);
        } else {
          t.status = "RUNNING";
          t.ecs_ip = this.ecsAddress(t);
          this.log(
            t,
            end,
            "INFO",
            "DCS.MIG.0001",
            "The migration ECS is created; the task is waiting to be configured",
          );
        }
        t.phase = { kind: "idle" };
        t.updated_at = end;
        continue;
      }
      if (p.kind === "migrating") {
        const connected = p.startedAt + d.connect * 1000;
        if (p.failure !== undefined) {
          if (now < connected) break;
          t.status = t.type === "online_migration" ? "MIGRATION_FAILED" : "FAILED";
          t.error_message = p.failure;
          t.frozenProgress = 0;
          t.phase = { kind: "idle" };
          t.updated_at = connected;
          this.log(t, connected, "ERROR", "DCS.MIG.0004", p.failure);
          continue;
        }
        const end = connected + d.fullMigration * 1000;
        if (now < end) break;
        const incremental = t.type === "online_migration" && t.method === "incremental_migration";
        t.status = incremental ? "INCRMIGEATING" : "SUCCESS";
        t.frozenProgress = 100;
        t.phase = { kind: "idle" };
        t.updated_at = end;
        this.log(
          t,
          end,
          "INFO",
          "DCS.MIG.0005",
          incremental ? "Full migration finished; incremental migration is running" : "Migration finished",
        );
        continue;
      }
      if (p.kind === "terminating") {
        const end = p.startedAt + d.terminate * 1000;
        if (now < end) break;
        t.status = "TERMINATED";
        t.phase = { kind: "idle" };
        t.updated_at = end;
        this.log(t, end, "INFO", "DCS.MIG.0007", "The migration task is stopped");
        continue;
      }
      break;
    }
    const sw = t.ip_switch;
    if (sw && (sw.status === "EXCHANGING" || sw.status === "ROLLBACKING")) {
      const end = sw.startedAt + d.ipSwitch * 1000;
      if (now >= end) {
        sw.status = sw.status === "EXCHANGING" ? "EXCHANGE_SUCCESS" : "ROLLBACK_SUCCESS";
        this.log(t, end, "INFO", "DCS.MIG.0010", `IP switch: ${sw.status}`);
      }
    }
    if (t.deleted_at !== undefined && now >= t.deleted_at + d.ghost * 1000) this.tasks.delete(t.id);
  }

  /** Settles every task. */
  settleAll(now: number): void {
    for (const t of [...this.tasks.values()]) this.settle(t, now);
  }

  /** The current status, phases included. */
  statusOf(t: DcsTaskRecord): DcsTaskStatus {
    switch (t.phase.kind) {
      case "creating":
        return "RUNNING";
      case "migrating":
        return t.type === "online_migration" ? "FULLMIGRATING" : "MIGRATING";
      case "terminating":
        return "TERMINATING";
      case "idle":
        return t.status;
    }
  }

  /** Full-migration percentage at `now`. */
  progressOf(t: DcsTaskRecord, now: number): number {
    const p = t.phase;
    if (p.kind !== "migrating") return t.frozenProgress;
    if (p.failure !== undefined) return 0;
    const start = p.startedAt + this.durations.connect * 1000;
    const total = Math.max(1, this.durations.fullMigration * 1000);
    return Math.max(0, Math.min(99, Math.floor(((now - start) / total) * 100)));
  }

  // -------------------------------------------------------------------------------------------
  // Lookups
  // -------------------------------------------------------------------------------------------

  /** A live task of the project; deleted and unknown tasks answer DCS.4133. */
  getTask(project: string, id: string, now: number): DcsTaskRecord {
    const t = this.tasks.get(id);
    if (t) this.settle(t, now);
    const live = this.tasks.get(id);
    if (!live || live.project_id !== project || live.deleted_at !== undefined)
      throw dcsErrors.taskNotFound(id);
    return live;
  }

  /** For the detail call only: a deleted task still answers it for a while (docs/huawei-dcs.md). */
  getTaskOrGhost(project: string, id: string, now: number): DcsTaskRecord {
    const t = this.tasks.get(id);
    if (t) this.settle(t, now);
    const found = this.tasks.get(id);
    if (!found || found.project_id !== project) throw dcsErrors.taskNotFound(id);
    return found;
  }

  getJob(project: string, id: string): JobRecord {
    const j = this.jobs.get(id);
    // [INF] no documented code for an unknown job; DCS answers its own not-found family.
    if (!j || j.project_id !== project) throw dcsErrors.taskNotFound(id);
    return j;
  }

  jobStatus(j: JobRecord, now: number): DcsJob["status"] {
    if (now < j.startedAt + this.durations.createEcs * 1000) return "RUNNING";
    return j.failReason ? "FAIL" : "SUCCESS";
  }

  /** Live tasks of a project, oldest first, with the name filter (a substring match [INF]). */
  listTasks(
    project: string,
    q: { offset?: number; limit?: number; name?: string },
    now: number,
  ): { count: number; tasks: DcsTaskRecord[] } {
    this.settleAll(now);
    const all = [...this.tasks.values()]
      .filter((t) => t.project_id === project && t.deleted_at === undefined)
      .filter((t) => q.name === undefined || q.name === "" || t.name.includes(q.name))
      .sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 10;
    return { count: all.length, tasks: all.slice(offset, offset + limit) };
  }

  // -------------------------------------------------------------------------------------------
  // Changes
  // -------------------------------------------------------------------------------------------

  /** CreateOnlineMigrationTask: starts the job creating the migration ECS. */
  createOnline(
    project: string,
    body: CreateOnlineMigrationTaskBody,
    now: number,
  ): { task: DcsTaskRecord; job: JobRecord } {
    const net = this.networks.get(body.vpc_id);
    let failReason: string | undefined;
    if (!net) failReason = `VPC ${body.vpc_id} does not exist`;
    else if (!net.subnet_ids.includes(body.subnet_id))
      failReason = `subnet ${body.subnet_id} does not belong to VPC ${body.vpc_id}`;
    else if (!net.security_group_ids.includes(body.security_group_id))
      failReason = `security group ${body.security_group_id} does not exist`;
    const task: DcsTaskRecord = {
      ...this.blankTask(project, body.name, body.description ?? null, "online_migration", now),
      network: { vpc_id: body.vpc_id, subnet_id: body.subnet_id, security_group_id: body.security_group_id },
      phase: { kind: "creating", startedAt: now },
    };
    const job: JobRecord = {
      id: randomUUID(),
      project_id: project,
      task_id: task.id,
      startedAt: now,
      failReason,
    };
    this.tasks.set(task.id, task);
    this.jobs.set(job.id, job);
    this.log(task, now, "INFO", "DCS.MIG.0000", "Creating the migration ECS");
    return { task, job };
  }

  /** CreateMigrationTask: a backup-file import, which starts at once. */
  createBackupImport(project: string, body: CreateMigrationTaskBody, now: number): DcsTaskRecord {
    checkImportParams(body);
    const target = this.instanceOf(project, body.target_instance.id);
    checkTargetEcho(body.target_instance, target);
    if (target.status !== "RUNNING") throw dcsErrors.instanceNotRunning(target.id);
    const files = body.backup_files;
    let failure: string | undefined;
    if (files?.file_source === "backup_record") {
      if (!files.backup_id || !this.backups.has(files.backup_id))
        failure = `backup record ${files.backup_id} does not exist`;
    } else if (files) {
      const bucket = files.bucket_name ? this.buckets.get(files.bucket_name) : undefined;
      if (!bucket) failure = `OBS bucket ${files.bucket_name} does not exist`;
      else {
        const missing = files.files.find((f) => !bucket.files.includes(f.file_name));
        if (missing) failure = `file ${missing.file_name} is not in OBS bucket ${bucket.name}`;
      }
    } else {
      failure = "no backup files were given";
    }
    if (!failure)
      failure = this.passwordFailure("target", target.password_sha256, body.target_instance.password);
    const task: DcsTaskRecord = {
      ...this.blankTask(project, body.task_name, body.description ?? null, "backupfile_import", now),
      method: body.migration_method,
      target: {
        id: target.id,
        password_sha256: body.target_instance.password
          ? passwordDigest(body.target_instance.password)
          : undefined,
        db: body.target_instance.db,
      },
      backup_files: files ?? null,
      phase: { kind: "migrating", startedAt: now, failure },
    };
    this.tasks.set(task.id, task);
    this.log(task, now, "INFO", "DCS.MIG.0003", "Importing backup files");
    return task;
  }

  /** SetOnlineMigrationTask: (re)configures and starts the migration. */
  configure(project: string, id: string, body: SetOnlineMigrationTaskBody, now: number): DcsTaskRecord {
    const t = this.getTask(project, id, now);
    if (t.type !== "online_migration")
      throw dcsErrors.invalidStatus("SetOnlineMigrationTask", "a backup import");
    if (t.phase.kind === "creating") throw dcsErrors.creating();
    const status = this.statusOf(t);
    if (!CONFIGURABLE.has(status)) throw dcsErrors.invalidStatus("SetOnlineMigrationTask", status);
    const source = this.endpoint(project, "source", body.source_instance);
    const target = this.endpoint(project, "target", body.target_instance);
    if (source.key === target.key) throw dcsErrors.sameEndpoints();
    t.method = body.migration_method;
    t.resume_mode = body.resume_mode;
    t.bandwidth_limit_mb = body.bandwidth_limit_mb ?? null;
    t.source = source.record;
    t.target = target.record;
    t.error_message = null;
    t.ip_switch = null;
    t.updated_at = now;
    t.frozenProgress = 0;
    t.phase = { kind: "migrating", startedAt: now, failure: source.failure ?? target.failure };
    this.log(t, now, "INFO", "DCS.MIG.0003", `Migration configured (${body.migration_method}); connecting`);
    return t;
  }

  /** StopMigrationTask (and the batch form): TERMINATING, then TERMINATED. */
  stop(project: string, id: string, now: number, sync = false): DcsTaskRecord {
    const t = this.getTask(project, id, now);
    const status = this.statusOf(t);
    if (!MIGRATING_STATUSES.has(status)) throw dcsErrors.invalidStatus("stop", status);
    t.frozenProgress = this.progressOf(t, now);
    t.updated_at = now;
    if (sync) {
      t.status = "TERMINATED";
      t.phase = { kind: "idle" };
      this.log(t, now, "INFO", "DCS.MIG.0007", "The migration task is stopped");
    } else {
      t.phase = { kind: "terminating", startedAt: now };
      this.log(t, now, "INFO", "DCS.MIG.0006", "Stopping the migration task");
    }
    return t;
  }

  /** BatchRestartOnlineMigrationTasks for one task: the stored configuration runs again. */
  restart(project: string, id: string, now: number): DcsTaskRecord {
    const t = this.getTask(project, id, now);
    const status = this.statusOf(t);
    if (t.type !== "online_migration") throw dcsErrors.invalidStatus("restart", "a backup import");
    if (!RESTARTABLE.has(status) || !t.method) throw dcsErrors.invalidStatus("restart", status);
    t.error_message = null;
    t.frozenProgress = 0;
    t.updated_at = now;
    // A bad password stays bad: a restart reconnects with the configured one.
    t.phase = { kind: "migrating", startedAt: now, failure: this.storedFailure(project, t) };
    this.log(t, now, "INFO", "DCS.MIG.0008", "The migration task is restarted");
    return t;
  }

  /** UpdateMigrationTask: the reconnection mode, in any status. */
  setResumeMode(project: string, id: string, mode: ResumeMode, now: number): void {
    const t = this.getTask(project, id, now);
    t.resume_mode = mode;
    t.updated_at = now;
  }

  /** ExchangeInstanceIp: online tasks whose full migration is done. */
  exchangeIp(project: string, id: string, ips: string[], domain: boolean, now: number): void {
    const t = this.getTask(project, id, now);
    const status = this.statusOf(t);
    const sw = t.ip_switch?.status;
    if (t.type !== "online_migration" || !(status === "INCRMIGEATING" || status === "SUCCESS"))
      throw dcsErrors.invalidStatus("exchange-ip", status);
    if (sw === "EXCHANGING" || sw === "ROLLBACKING" || sw === "EXCHANGE_SUCCESS")
      throw dcsErrors.invalidStatus("exchange-ip", `${status} with IP switch ${sw}`);
    t.ip_switch = { status: "EXCHANGING", startedAt: now, ips: [...ips], domain };
    t.updated_at = now;
    this.log(t, now, "INFO", "DCS.MIG.0009", "IP switch started");
  }

  /** RollbackExchangeInstanceIp: after an exchange that succeeded or failed. */
  rollbackIp(project: string, id: string, now: number): void {
    const t = this.getTask(project, id, now);
    const sw = t.ip_switch;
    if (
      !sw ||
      !(
        sw.status === "EXCHANGE_SUCCESS" ||
        sw.status === "EXCHANGE_FAILED" ||
        sw.status === "ROLLBACK_FAILED"
      )
    )
      throw dcsErrors.invalidStatus(
        "rollback-ip",
        `${this.statusOf(t)} with IP switch ${sw?.status ?? "never run"}`,
      );
    t.ip_switch = { ...sw, status: "ROLLBACKING", startedAt: now };
    t.updated_at = now;
    this.log(t, now, "INFO", "DCS.MIG.0011", "IP switch roll back started");
  }

  /** DeleteMigrationTask: every id must be a live task not migrating; then all leave the list. */
  deleteTasks(project: string, ids: string[], now: number): string[] {
    const tasks = ids.map((id) => this.getTask(project, id, now));
    for (const t of tasks) {
      const status = this.statusOf(t);
      if (MIGRATING_STATUSES.has(status) || status === "TERMINATING" || t.phase.kind === "creating")
        throw dcsErrors.invalidStatus("delete", status);
    }
    for (const t of tasks) {
      t.deleted_at = now;
      if (t.type === "online_migration") t.released_at = now;
      // What the detail call keeps answering for a deleted task (docs/huawei-dcs.md [TF]).
      t.status = "SUCCESS";
      t.phase = { kind: "idle" };
    }
    return ids;
  }

  /** Forces a status (control plane); migrating statuses restart their phase at `now`. */
  force(
    t: DcsTaskRecord,
    now: number,
    c: {
      status?: DcsTaskStatus;
      error_message?: string;
      ip_switch_status?: IpSwitchStatus;
      progress?: number;
    },
  ): void {
    if (c.status !== undefined) {
      if (c.status === "FULLMIGRATING" || c.status === "MIGRATING")
        t.phase = { kind: "migrating", startedAt: now };
      else if (c.status === "TERMINATING") t.phase = { kind: "terminating", startedAt: now };
      else {
        t.phase = { kind: "idle" };
        t.status = c.status;
      }
      t.error_message = c.error_message ?? (c.status.includes("FAIL") ? "forced failure" : null);
      if (c.progress !== undefined) t.frozenProgress = c.progress;
      t.updated_at = now;
      this.log(
        t,
        now,
        c.status.includes("FAIL") ? "ERROR" : "INFO",
        "DCS.MIG.0099",
        `status set to ${c.status}`,
      );
    }
    if (c.ip_switch_status !== undefined) {
      const prev = t.ip_switch;
      t.ip_switch = {
        ips: prev?.ips ?? [],
        domain: prev?.domain ?? false,
        startedAt: now,
        status: c.ip_switch_status,
      };
    }
  }

  // -------------------------------------------------------------------------------------------
  // Rendering
  // -------------------------------------------------------------------------------------------

  /** The task detail (ShowMigrationTask, StopMigrationTask). Passwords are never rendered. */
  renderTask(t: DcsTaskRecord): TaskView {
    const side = (e: EndpointRecord | null) => {
      if (!e) return null;
      const inst = e.id ? this.instances.get(e.id) : undefined;
      const addrs = inst ? `${inst.ip}:${inst.port}` : (e.addrs ?? null);
      const [ip, port] = addrs
        ? [addrs.slice(0, addrs.lastIndexOf(":")), addrs.slice(addrs.lastIndexOf(":") + 1)]
        : [null, null];
      return {
        id: e.id ?? null,
        name: inst?.name ?? null,
        addrs,
        ip,
        port,
        task_status: null,
        proxy_multi_db: false,
        db: e.db ?? null,
      };
    };
    const online = t.type === "online_migration";
    return {
      task_id: t.id,
      task_name: t.name,
      status: this.statusOf(t),
      description: t.description,
      migration_type: t.type,
      migration_method: t.method,
      ecs_tenant_private_ip: t.ecs_ip,
      backup_files: t.backup_files
        ? {
            file_source: t.backup_files.file_source ?? null,
            bucket_name: t.backup_files.bucket_name ?? null,
            files: t.backup_files.files.map((f) => ({
              file_name: f.file_name,
              size: f.size ?? null,
              update_at: f.update_at ?? null,
            })),
            backup_id: t.backup_files.backup_id ?? null,
          }
        : null,
      network_type: online ? "vpc" : null,
      source_instance: side(t.source),
      target_instance: side(t.target),
      created_at: iso(t.created_at),
      updated_at: iso(t.updated_at),
      released_at: iso(t.released_at),
      version: "6.0",
      resume_mode: t.resume_mode,
      supported_features: online ? ["support_ip_switch", "support_resume"] : [],
      tenant_vpc_id: t.network?.vpc_id ?? null,
      tenant_subnet_id: t.network?.subnet_id ?? null,
      tenant_security_group_id: t.network?.security_group_id ?? null,
      bandwidth_limit_mb: t.bandwidth_limit_mb,
      task_status: t.ip_switch?.status ?? null,
    };
  }

  /** A list item with exactly the keys of the ListMigrationTasks document's example. */
  renderListItem(t: DcsTaskRecord): TaskListView {
    const inst = (e: EndpointRecord | null) => (e?.id ? this.instances.get(e.id) : undefined);
    const src = inst(t.source);
    const tgt = inst(t.target);
    const addr = (i: RedisInstanceRecord | undefined, e: EndpointRecord | null) =>
      i ? `${i.ip}:${i.port}` : (e?.addrs ?? null);
    return {
      task_id: t.id,
      task_name: t.name,
      status: this.statusOf(t),
      migration_type: t.type,
      migration_method: t.method,
      ecs_tenant_private_ip: t.ecs_ip,
      data_source:
        t.type === "backupfile_import"
          ? (t.backup_files?.bucket_name ?? t.backup_files?.backup_id ?? null)
          : addr(src, t.source),
      source_instance_name: src?.name ?? null,
      source_instance_id: src?.id ?? null,
      target_instance_addrs: addr(tgt, t.target),
      target_instance_name: tgt?.name ?? null,
      target_instance_id: tgt?.id ?? null,
      created_at: iso(t.created_at),
      description: t.description,
      source_instance_status: src?.status ?? null,
      target_instance_status: tgt?.status ?? null,
      source_instance_subnet_id: src?.subnet_id ?? null,
      target_instance_subnet_id: tgt?.subnet_id ?? null,
      source_instance_spec_code: src?.spec_code ?? null,
      target_instance_spec_code: tgt?.spec_code ?? null,
      error_message: t.error_message,
      released_at: iso(t.released_at),
      version: "6.0",
      resume_mode: t.resume_mode,
      supported_features: t.type === "online_migration" ? ["support_ip_switch", "support_resume"] : [],
    };
  }

  /** ShowMigrationTaskStats: figures as strings, as the service sends them. */
  renderStats(t: DcsTaskRecord, now: number): StatsView {
    const progress = this.progressOf(t, now);
    const srcKeys = this.sourceKeys(t);
    const status = this.statusOf(t);
    return {
      full_migration_progress: String(progress),
      offset: String(Math.floor((srcKeys * progress) / 100) * 64),
      source_dbsize: String(srcKeys),
      target_dbsize: String(Math.floor((srcKeys * progress) / 100)),
      target_input_kbps: MIGRATING_STATUSES.has(status) ? "1024" : "0",
      target_ops: MIGRATING_STATUSES.has(status) ? "350" : "0",
      is_migrating: MIGRATING_STATUSES.has(status),
    };
  }

  /** The task's log, oldest first. */
  renderLogs(t: DcsTaskRecord, level?: string): LogView[] {
    return t.logs
      .filter((l) => level === undefined || level === "" || l.level === level)
      .map((l) => ({
        created_at: iso(l.at),
        log_level: l.level,
        message: l.message,
        log_code: l.code,
        keyword: [],
      }));
  }

  // -------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------

  private blankTask(
    project: string,
    name: string,
    description: string | null,
    type: DcsTaskRecord["type"],
    now: number,
  ): DcsTaskRecord {
    return {
      id: randomUUID(),
      project_id: project,
      name,
      description,
      type,
      method: null,
      resume_mode: null,
      bandwidth_limit_mb: null,
      ecs_ip: null,
      status: "RUNNING",
      phase: { kind: "idle" },
      frozenProgress: 0,
      error_message: null,
      source: null,
      target: null,
      backup_files: null,
      ip_switch: null,
      created_at: now,
      updated_at: now,
      released_at: null,
      logs: [],
    };
  }

  private log(t: DcsTaskRecord, at: number, level: "INFO" | "ERROR", code: string, message: string): void {
    t.logs.push({ at, level, code, message });
  }

  private ecsAddress(t: DcsTaskRecord): string {
    const prefix = (t.network && this.networks.get(t.network.vpc_id)?.cidr_prefix) ?? "192.168.0";
    const n = 10 + (parseInt(t.id.replace(/-/g, "").slice(0, 4), 16) % 200);
    return `${prefix}.${n}`;
  }

  private instanceOf(project: string, id: string): RedisInstanceRecord {
    const i = this.instances.get(id);
    if (!i || i.project_id !== project) throw dcsErrors.instanceNotFound(id);
    return i;
  }

  /** The error message a wrong or missing password ends the connect step with; never the password. */
  private passwordFailure(
    side: string,
    expected: string | undefined,
    given: string | undefined,
  ): string | undefined {
    if (expected === undefined) return undefined;
    if (given === undefined || given === "")
      return `Failed to connect to the ${side} Redis: NOAUTH Authentication required`;
    return passwordDigest(given) === expected
      ? undefined
      : `Failed to connect to the ${side} Redis: WRONGPASS invalid username-password pair`;
  }

  private endpoint(
    project: string,
    side: "source" | "target",
    e: { id?: string; addrs?: string; password?: string },
  ): { key: string; record: EndpointRecord; failure?: string } {
    const digest = e.password ? passwordDigest(e.password) : undefined;
    if (e.id !== undefined) {
      const inst = this.instanceOf(project, e.id);
      if (inst.status !== "RUNNING") throw dcsErrors.instanceNotRunning(inst.id);
      return {
        key: `${inst.ip}:${inst.port}`,
        record: { id: inst.id, password_sha256: digest },
        failure: this.passwordFailure(side, inst.password_sha256, e.password),
      };
    }
    const addrs = e.addrs ?? "";
    if (!isAddress(addrs)) throw dcsErrors.validation(`${side}_instance.addrs: must be ip:port`);
    const known = this.selfBuilt.get(addrs);
    const inst = [...this.instances.values()].find(
      (i) => `${i.ip}:${i.port}` === addrs && i.project_id === project,
    );
    return {
      key: addrs,
      record: { addrs, password_sha256: digest },
      failure: this.passwordFailure(side, known?.password_sha256 ?? inst?.password_sha256, e.password),
    };
  }

  private storedFailure(project: string, t: DcsTaskRecord): string | undefined {
    const check = (side: string, e: EndpointRecord | null): string | undefined => {
      if (!e) return undefined;
      const expected = e.id
        ? this.instances.get(e.id)?.password_sha256
        : (this.selfBuilt.get(e.addrs ?? "")?.password_sha256 ??
          [...this.instances.values()].find(
            (i) => `${i.ip}:${i.port}` === e.addrs && i.project_id === project,
          )?.password_sha256);
      if (expected === undefined || expected === e.password_sha256) return undefined;
      return `Failed to connect to the ${side} Redis: WRONGPASS invalid username-password pair`;
    };
    return check("source", t.source) ?? check("target", t.target);
  }

  private sourceKeys(t: DcsTaskRecord): number {
    if (t.source?.id) return this.instances.get(t.source.id)?.keys ?? 0;
    if (t.source?.addrs) return this.selfBuilt.get(t.source.addrs)?.keys ?? 10_000;
    return t.backup_files ? 50_000 : 0;
  }
}

/**
 * Parameters of a backup import that the emulator cannot honour are refused by name rather than
 * dropped: a live source (`source_instance`) and a network type belong to online migrations, and
 * multi-DB proxying is not emulated.
 */
function checkImportParams(body: CreateMigrationTaskBody): void {
  if (body.source_instance !== undefined)
    throw dcsErrors.validation(
      "source_instance: a live source on a backup import is not emulated (a backup import reads backup_files)",
    );
  if (body.network_type !== undefined)
    throw dcsErrors.validation("network_type: is for online migrations, not emulated on a backup import");
  if (body.target_instance.proxy_multi_db === true)
    throw dcsErrors.validation("target_instance.proxy_multi_db: multi-DB proxying is not emulated");
  if (body.target_instance.task_status !== undefined)
    throw dcsErrors.validation("target_instance.task_status: is reported by the service, not set");
  if (body.target_instance.db !== undefined && !/^\d+$/.test(body.target_instance.db))
    throw dcsErrors.validation('target_instance.db: must be a database number, e.g. "0"');
}

/** `name`, `ip`, `port` and `addrs` of the target, when given, must describe the instance `id` names. */
function checkTargetEcho(
  given: CreateMigrationTaskBody["target_instance"],
  inst: { id: string; name: string; ip: string; port: number },
): void {
  const actual: Record<string, string> = {
    name: inst.name,
    ip: inst.ip,
    port: String(inst.port),
    addrs: `${inst.ip}:${inst.port}`,
  };
  for (const k of ["name", "ip", "port", "addrs"] as const) {
    const v = given[k];
    if (v !== undefined && v !== actual[k])
      throw dcsErrors.validation(
        `target_instance.${k}: ${v} is not the ${k} of instance ${inst.id} (${actual[k]})`,
      );
  }
}
