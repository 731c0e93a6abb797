/**
 * The SMS backend: source servers, target servers, templates and migration tasks, and the task
 * state machine of docs/huawei-sms.md. Lifecycles are lazy: each task records the phase it is
 * in and when that phase started, and every access first settles all tasks to the current
 * emulator time, so advancing the clock gives the same states on every run.
 */
import { createHash, randomBytes, randomUUID } from "crypto";
import type { z } from "zod";
import type {
  CloneServer,
  ConfigBody,
  MigrationCycle,
  NetworkCheckInfo,
  PostTask,
  PutTaskReq,
  SourceServer,
  SourceState,
  SpeedLimitItem,
  Task,
  TaskListItem,
  TaskOperation,
  TaskState,
  UpdateTaskStatusReq,
} from "../../../sdk/huawei/sms/contract";
import { DELETE_BLOCKING_SOURCE_STATES, TargetDisk } from "../../../sdk/huawei/sms/contract";
import { describeIssues } from "../../core/rest";
import { smsErrors } from "./errors";

type Disk = z.infer<typeof TargetDisk>;
type SpeedLimit = z.infer<typeof SpeedLimitItem>;
type Config = z.infer<typeof ConfigBody>;
type Cycle = z.infer<typeof MigrationCycle>;
type CloneServerView = z.infer<typeof CloneServer>;
type NetworkCheck = z.infer<typeof NetworkCheckInfo>;
/** Shape of a rendered task (the contract's response schema input). */
export type TaskView = z.input<typeof Task>;
export type TaskListView = z.input<typeof TaskListItem>;
export type SourceView = z.input<typeof SourceServer>;

/** Lifecycle durations, in emulator seconds. */
export interface Durations {
  /** Full replication (all replication sub-tasks), from the first start. */
  replication: number;
  /** ABORTING → ABORT. */
  abort: number;
  /** DELETING → gone. */
  delete: number;
  /** Clone (test / clone_test): PREPARING → CREATING → FINISHED. */
  clone: number;
  /** Source cutovering → finished. */
  cutover: number;
  /** Consistency check after replication (tasks with is_need_consistency_check). */
  consistencyCheck: number;
  /** SKIPPING → next state. */
  skip: number;
  /** Migration drill: premigready → premiging → premiged. */
  migrationTest: number;
  /** Snapshot clearing: clearing → cleared. */
  clear: number;
}

/** Defaults: a full replication takes a minute of emulator time. */
export const DEFAULT_DURATIONS: Readonly<Durations> = {
  replication: 60,
  abort: 3,
  delete: 3,
  clone: 10,
  cutover: 5,
  consistencyCheck: 5,
  skip: 2,
  migrationTest: 10,
  clear: 3,
};

/** A registered source server (what the Agent reported). */
export interface SourceServerRecord {
  id: string;
  name: string;
  hostname: string;
  ip: string;
  os_type: "LINUX" | "WINDOWS";
  os_version: string;
  agent_version: string;
  connected: boolean;
  firmware: "BIOS" | "UEFI";
  cpu_quantity: number;
  /** MB. */
  memory: number;
  add_date: number;
  /** Disks as the Agent reported them (`init_target_server.disks`), sizes in bytes. */
  disks: Disk[];
  /** Set by force-state; wins over the state derived from the task until cleared. */
  forced?: { state?: SourceState; migration_cycle?: Cycle };
  /** IPv6 address, when the source has one. */
  ipv6?: string;
  /** Enterprise project; `"0"` (the default project) when absent. */
  enterprise_project_id?: string;
}

/** An ECS server that can receive a migration. */
export interface TargetVmRecord {
  id: string;
  name: string;
  ip: string;
  flavor: string;
  status: "ACTIVE" | "SHUTOFF";
  region: string;
  project_id: string;
  /** Set when SMS created the server from a template for this task. */
  created_by_task?: string;
}

/** A VM template: SMS creates the target server from it. */
export interface TemplateRecord {
  id: string;
  name: string;
  region: string;
  project_id: string;
  flavor: string;
  vpc: string;
  subnet: string;
  security_group: string;
  target_server_name: string;
}

/** The timed activity a task is in; `startedAt` is emulator epoch ms. */
export type Phase =
  /** RUNNING: replication, `baseFrac` of it done before `startedAt`. */
  | { kind: "replicate"; startedAt: number; baseFrac: number }
  /** RUNNING: consistency check after replication (migration_cycle `checking`). */
  | { kind: "consistency"; startedAt: number }
  | { kind: "skipping"; startedAt: number }
  | { kind: "aborting"; startedAt: number }
  | { kind: "deleting"; startedAt: number }
  /** Source `cutovering`; the task keeps its state until done. */
  | { kind: "cutover"; startedAt: number };

/** Work beside the task's main state: clone, drill or snapshot clearing. */
export interface SideActivity {
  kind: "clone" | "migrationTest" | "clear";
  startedAt: number;
}

/** A sub-task; replication sub-tasks own the slice [from, to) of the replication. */
export interface SubTaskRecord {
  id: number;
  name: string;
  user_op: string;
  kind: "replicate" | "consistency" | "sync";
  from: number;
  to: number;
  start_date: number | null;
  end_date: number | null;
}

/** A migration task. */
export interface TaskRecord {
  id: string;
  name: string;
  type: "MIGRATE_FILE" | "MIGRATE_BLOCK";
  os_type: "LINUX" | "WINDOWS";
  state: TaskState;
  priority: number;
  speed_limit: number;
  over_speed_threshold: number | null;
  region_id: string;
  region_name: string;
  project_id: string;
  project_name: string;
  enterprise_project_id: string;
  start_target_server: boolean;
  migration_ip: string | null;
  vm_template_id: string | null;
  clonevm_template_id: string | null;
  use_public_ip: boolean;
  use_ipv6: boolean;
  syncing: boolean;
  exist_server: boolean;
  start_network_check: boolean;
  is_need_consistency_check: boolean;
  need_migration_test: boolean;
  image_disk_id: string | null;
  target_disk_ids: string | null;
  snapshot_ids: string | null;
  cutovered_snapshot_ids: string | null;
  /** A test, clone test or cutover asked to switch the target to Huawei Cloud EulerOS (`switch_hce`). */
  hce?: boolean;
  source_server_id: string;
  target: {
    /** SMS's own id of the target record. */
    id: string;
    /** ECS id; empty until created when the task uses a template. */
    vm_id: string;
    name: string;
    ip: string | null;
    disks: Disk[];
    /** ECS id SMS will give the server it creates from the template. */
    plannedVmId?: string;
    /** LVM volume groups and Btrfs file systems given on create, read back as given. */
    volume_groups?: Record<string, unknown>[];
    btrfs_list?: Record<string, unknown>[];
  };
  clone_server: CloneServerView | null;
  network_check_info: NetworkCheck | null;
  speed_limits: SpeedLimit[];
  configurations: Config[];
  passphrase: string;
  error_json: string;
  create_date: number;
  start_date: number | null;
  finish_date: number | null;
  phase: Phase | null;
  side: SideActivity | null;
  /** Replication progress (0..1) outside the replicate phase. */
  progressFrac: number;
  replicated: boolean;
  consistencyDone: boolean;
  cutover: boolean;
  tested: boolean;
  premiged: boolean;
  cleared: boolean;
  subTasks: SubTaskRecord[];
}

/** Sub-tasks before the data copy; the source reports `initialize` while they run. */
const PREPARE_SUBTASKS = new Set(["CREATE_CLOUD_SERVER", "SSL_CONFIG", "ATTACH_AGENT_IMAGE"]);

/** The first integer id of sub-tasks (the documented example's are in the 7000s). */
const FIRST_SUBTASK_ID = 7001;

function clone<T>(v: T): T {
  return structuredClone(v);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Full serialisable state of the module. */
export interface SmsSnapshot {
  sources: SourceServerRecord[];
  targets: TargetVmRecord[];
  templates: TemplateRecord[];
  tasks: TaskRecord[];
  nextSubTaskId: number;
  nextTemplateIp: number;
}

/** Filter of `GET /v3/tasks`. */
export interface TaskFilter {
  state?: string;
  name?: string;
  id?: string;
  source_server_id?: string;
  enterprise_project_id?: string;
  limit?: number;
  offset?: number;
}

/** Filter of `GET /v3/sources`. */
export interface SourceFilter {
  state?: string;
  name?: string;
  id?: string;
  ip?: string;
  ipv6?: string;
  migration_cycle?: string;
  connected?: boolean;
  enterprise_project_id?: string;
  is_consistency_result_exist?: boolean;
  vm_id?: string;
  limit?: number;
  offset?: number;
}

/** The SMS state and its operations. Every public method settles lifecycles to `now` first. */
export class SmsBackend {
  readonly sources = new Map<string, SourceServerRecord>();
  readonly targets = new Map<string, TargetVmRecord>();
  readonly templates = new Map<string, TemplateRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  durations: Durations = { ...DEFAULT_DURATIONS };
  private nextSubTaskId = FIRST_SUBTASK_ID;
  private nextTemplateIp = 10;

  /** Replaces all state. */
  load(data: {
    sources: SourceServerRecord[];
    targets: TargetVmRecord[];
    templates: TemplateRecord[];
    tasks?: TaskRecord[];
    nextSubTaskId?: number;
    nextTemplateIp?: number;
  }): void {
    this.sources.clear();
    this.targets.clear();
    this.templates.clear();
    this.tasks.clear();
    for (const s of data.sources) this.sources.set(s.id, clone(s));
    for (const t of data.targets) this.targets.set(t.id, clone(t));
    for (const t of data.templates) this.templates.set(t.id, clone(t));
    for (const t of data.tasks ?? []) this.tasks.set(t.id, clone(t));
    this.nextSubTaskId = data.nextSubTaskId ?? FIRST_SUBTASK_ID;
    this.nextTemplateIp = data.nextTemplateIp ?? 10;
  }

  snapshot(): SmsSnapshot {
    return clone({
      sources: [...this.sources.values()],
      targets: [...this.targets.values()],
      templates: [...this.templates.values()],
      tasks: [...this.tasks.values()],
      nextSubTaskId: this.nextSubTaskId,
      nextTemplateIp: this.nextTemplateIp,
    });
  }

  // ---------------------------------------------------------------- lifecycle engine

  private get replicationMs(): number {
    return this.durations.replication * 1000;
  }

  /** Replication progress 0..1 at `now`. */
  private fraction(task: TaskRecord, now: number): number {
    const p = task.phase;
    if (p?.kind !== "replicate") return task.progressFrac;
    const d = this.replicationMs;
    if (d <= 0) return 1;
    return Math.min(1, p.baseFrac + Math.max(0, now - p.startedAt) / d);
  }

  /** When the current replicate phase reached fraction `x`. */
  private timeAt(p: { startedAt: number; baseFrac: number }, x: number): number {
    return Math.round(p.startedAt + Math.max(0, x - p.baseFrac) * this.replicationMs);
  }

  /** Start and end dates of a replication sub-task at `now`, without storing them. */
  private subTaskDates(
    task: TaskRecord,
    st: SubTaskRecord,
    frac: number,
  ): { start: number | null; end: number | null } {
    let start = st.start_date;
    let end = st.end_date;
    const p = task.phase;
    if (p?.kind === "replicate") {
      if (start === null && frac >= st.from && frac > 0) start = this.timeAt(p, st.from);
      if (end === null && frac >= st.to) end = this.timeAt(p, st.to);
    }
    return { start, end };
  }

  /** Stores replication progress and sub-task dates reached by `t` (leaving the replicate phase). */
  private freezeReplication(task: TaskRecord, t: number): void {
    if (task.phase?.kind !== "replicate") return;
    const frac = this.fraction(task, t);
    for (const st of task.subTasks) {
      if (st.kind !== "replicate") continue;
      const d = this.subTaskDates(task, st, frac);
      st.start_date = d.start;
      st.end_date = d.end;
    }
    task.progressFrac = frac;
  }

  private phaseEnd(task: TaskRecord, p: Phase): number {
    const s = (n: number) => n * 1000;
    switch (p.kind) {
      case "replicate":
        return p.startedAt + Math.max(0, 1 - p.baseFrac) * this.replicationMs;
      case "consistency":
        return p.startedAt + s(this.durations.consistencyCheck);
      case "skipping":
        return p.startedAt + s(this.durations.skip);
      case "aborting":
        return p.startedAt + s(this.durations.abort);
      case "deleting":
        return p.startedAt + s(this.durations.delete);
      case "cutover":
        return p.startedAt + s(this.durations.cutover);
    }
  }

  private sideDuration(kind: SideActivity["kind"]): number {
    const d = this.durations;
    return (kind === "clone" ? d.clone : kind === "migrationTest" ? d.migrationTest : d.clear) * 1000;
  }

  /** Replication done: continuous sync, or success. */
  private finishReplication(task: TaskRecord, t: number): void {
    task.phase = null;
    task.replicated = true;
    task.progressFrac = 1;
    for (const st of task.subTasks) {
      if (st.kind === "consistency" && st.end_date === null) {
        st.start_date ??= t;
        st.end_date = t;
      }
    }
    if (task.syncing) {
      task.state = "SYNCING";
      for (const st of task.subTasks) {
        if (st.kind === "sync") {
          st.start_date ??= t;
          st.end_date ??= t;
        }
      }
    } else {
      task.state = "MIGRATE_SUCCESS";
      task.finish_date = t;
      this.powerOnTarget(task);
    }
  }

  private powerOnTarget(task: TaskRecord): void {
    const vm = this.targets.get(task.target.vm_id);
    if (vm && task.start_target_server) vm.status = "ACTIVE";
  }

  /** Brings one task to `now`. Returns true when the task is gone (deletion finished). */
  private settle(task: TaskRecord, now: number): boolean {
    // Each pass completes one phase at its exact end time, so chained phases line up.
    for (let guard = 0; guard < 16; guard++) {
      const p = task.phase;
      if (!p) break;
      const end = this.phaseEnd(task, p);
      if (end > now) break;
      switch (p.kind) {
        case "replicate":
          this.freezeReplication(task, end);
          task.replicated = true;
          task.progressFrac = 1;
          this.materializeTarget(task);
          if (task.is_need_consistency_check && !task.consistencyDone) {
            task.phase = { kind: "consistency", startedAt: end };
            for (const st of task.subTasks) if (st.kind === "consistency") st.start_date = end;
          } else {
            this.finishReplication(task, end);
          }
          break;
        case "consistency":
        case "skipping":
          task.consistencyDone = true;
          this.finishReplication(task, end);
          break;
        case "aborting":
          task.phase = null;
          task.state = "ABORT";
          break;
        case "deleting":
          return true;
        case "cutover":
          task.phase = null;
          task.state = "MIGRATE_SUCCESS";
          task.cutover = true;
          task.finish_date = end;
          this.powerOnTarget(task);
          break;
      }
    }
    this.materializeTarget(task, now);
    if (task.side && task.side.startedAt + this.sideDuration(task.side.kind) <= now) {
      if (task.side.kind === "clone") {
        if (task.clone_server) task.clone_server.clone_state = "FINISHED";
        task.tested = true;
      } else if (task.side.kind === "migrationTest") {
        task.premiged = true;
        task.tested = true;
      } else {
        task.cleared = true;
      }
      task.side = null;
    }
    return false;
  }

  /** Creates the ECS server of a template-based task once CREATE_CLOUD_SERVER has finished. */
  private materializeTarget(task: TaskRecord, now?: number): void {
    const planned = task.target.plannedVmId;
    if (!planned || task.target.vm_id !== "") return;
    const create = task.subTasks.find((s) => s.name === "CREATE_CLOUD_SERVER");
    const frac = now === undefined ? task.progressFrac : this.fraction(task, now);
    if (create && frac < create.to) return;
    const tpl = task.vm_template_id ? this.templates.get(task.vm_template_id) : undefined;
    const ip = `192.168.20.${this.nextTemplateIp++}`;
    const vm: TargetVmRecord = {
      id: planned,
      name: task.target.name || tpl?.target_server_name || `${task.name}-target`,
      ip,
      flavor: tpl?.flavor ?? "s6.large.2",
      status: "SHUTOFF",
      region: task.region_name,
      project_id: task.project_id,
      created_by_task: task.id,
    };
    this.targets.set(vm.id, vm);
    task.target.vm_id = vm.id;
    task.target.ip = ip;
    task.target.name ||= vm.name;
    task.migration_ip ??= ip;
  }

  /** Settles every task to `now`, removing those whose deletion finished. */
  settleAll(now: number): void {
    for (const [id, task] of this.tasks) if (this.settle(task, now)) this.tasks.delete(id);
  }

  // ---------------------------------------------------------------- derived views

  /** The task of a source server, if any (a source has at most one). */
  taskOfSource(sourceId: string): TaskRecord | undefined {
    for (const t of this.tasks.values()) if (t.source_server_id === sourceId) return t;
    return undefined;
  }

  /** Source `state` and `migration_cycle`, mirroring the task (docs/huawei-sms.md). */
  sourceStatus(
    src: SourceServerRecord | undefined,
    task: TaskRecord | undefined,
    now: number,
  ): { state: SourceState; cycle: Cycle } {
    const derived = this.derivedSourceStatus(src, task, now);
    return {
      state: src?.forced?.state ?? derived.state,
      cycle: src?.forced?.migration_cycle ?? derived.cycle,
    };
  }

  private derivedSourceStatus(
    src: SourceServerRecord | undefined,
    task: TaskRecord | undefined,
    now: number,
  ): { state: SourceState; cycle: Cycle } {
    if (!task) return { state: src?.connected === false ? "unavailable" : "waiting", cycle: "no_ready" };
    const beforeCutover: Cycle = task.tested ? "tested" : "ready_for_test";
    const copyCycle: Cycle = task.replicated && task.syncing ? "syncing" : "replicating";
    let state: SourceState;
    let cycle: Cycle;
    switch (task.state) {
      case "READY":
        state = "waiting";
        cycle = "setting";
        break;
      case "RUNNING":
        if (task.phase?.kind === "consistency") {
          state = "replicate";
          cycle = "checking";
        } else {
          const current = this.currentSubTask(task, this.fraction(task, now));
          state = current && PREPARE_SUBTASKS.has(current.name) ? "initialize" : "replicate";
          cycle = "replicating";
        }
        break;
      case "SKIPPING":
        state = "skipping";
        cycle = "checking";
        break;
      case "SYNCING":
        state = "syncing";
        cycle = "syncing";
        break;
      case "ABORTING":
      case "RESETING":
      case "SYNC_F_ROLLBACKING":
        state = "stopping";
        cycle = copyCycle;
        break;
      case "ABORT":
      case "SYNC_F_ROLLBACK_SUCCESS":
        state = "stopped";
        cycle = copyCycle;
        break;
      case "MIGRATE_SUCCESS":
      case "SYNC_SUCCESS":
        state = "finished";
        cycle = task.cutover ? "cutovered" : beforeCutover;
        break;
      case "MIGRATE_FAIL":
      case "SYNC_FAIL":
        state = "error";
        cycle = copyCycle;
        break;
      case "DELETING":
        state = "deleting";
        cycle = task.cutover ? "cutovered" : copyCycle;
        break;
    }
    if (task.phase?.kind === "cutover") {
      state = "cutovering";
      cycle = "cutovering";
    }
    if (task.side) {
      const elapsed = now - task.side.startedAt;
      const d = this.sideDuration(task.side.kind);
      if (task.side.kind === "clone") {
        state = "cloning";
        cycle = "testing";
      } else if (task.side.kind === "migrationTest") {
        state = elapsed < 0.2 * d ? "premigready" : "premiging";
        cycle = "testing";
      } else {
        state = "clearing";
      }
    } else if (task.state !== "DELETING") {
      if (task.cleared) state = "cleared";
      else if (task.premiged && state === "finished" && !task.cutover) state = "premiged";
    }
    return { state, cycle };
  }

  /** The replication sub-task running at fraction `frac`. */
  private currentSubTask(task: TaskRecord, frac: number): SubTaskRecord | undefined {
    const reps = task.subTasks.filter((s) => s.kind === "replicate");
    return reps.find((s) => frac >= s.from && frac < s.to) ?? reps[reps.length - 1];
  }

  private usedBytes(task: TaskRecord): number {
    return task.target.disks.reduce((n, d) => n + (d.used_size ?? d.size ?? 0), 0);
  }

  /** A task as `GET /v3/tasks/{id}` shows it. */
  renderTask(task: TaskRecord, now: number): TaskView {
    const src = this.sources.get(task.source_server_id);
    const status = this.sourceStatus(src, task, now);
    const frac = this.fraction(task, now);
    const running = task.phase?.kind === "replicate";
    const current = running ? this.currentSubTask(task, frac) : undefined;
    let speed = 0;
    if (current && current.name.startsWith("MIGRATE_") && this.replicationMs > 0) {
      // Speed consistent with the emulated duration: the used bytes over the copy sub-task's time.
      speed = (this.usedBytes(task) * 8) / 1e6 / (((current.to - current.from) * this.replicationMs) / 1000);
      if (task.speed_limit > 0) speed = Math.min(speed, task.speed_limit);
    }
    // A paused or failed task still has its remaining work; one never started has none to show.
    const remain =
      running || (!task.replicated && task.start_date !== null)
        ? Math.ceil(((1 - frac) * this.replicationMs) / 1000)
        : task.replicated
          ? 0
          : null;
    let cloneView: CloneServerView | null = task.clone_server ? { ...task.clone_server } : null;
    if (cloneView && task.side?.kind === "clone") {
      const elapsed = now - task.side.startedAt;
      cloneView = {
        ...cloneView,
        clone_state: elapsed < 0.3 * this.sideDuration("clone") ? "PREPARING" : "CREATING",
      };
    }
    const vm = this.targets.get(task.target.vm_id);
    const linux = task.os_type === "LINUX";
    const subProgress = current
      ? Math.floor(Math.min(1, Math.max(0, (frac - current.from) / (current.to - current.from || 1))) * 100)
      : 0;
    const view = {
      id: task.id,
      name: task.name,
      type: task.type,
      os_type: task.os_type,
      state: task.state,
      priority: task.priority,
      speed_limit: task.speed_limit,
      region_id: task.region_id,
      region_name: task.region_name,
      project_id: task.project_id,
      project_name: task.project_name,
      enterprise_project_id: task.enterprise_project_id,
      start_target_server: task.start_target_server,
      migration_ip: task.migration_ip,
      vm_template_id: task.vm_template_id,
      estimate_complete_time: running && remain !== null ? now + remain * 1000 : null,
      connected: src?.connected ?? false,
      create_date: task.create_date,
      start_date: task.start_date,
      finish_date: task.finish_date,
      migrate_speed: round2(speed),
      compress_rate: 0,
      error_json: task.error_json,
      total_time:
        task.start_date === null
          ? null
          : Math.max(0, Math.round(((task.finish_date ?? now) - task.start_date) / 1000)),
      float_ip: null,
      remain_seconds: remain,
      target_snapshot_id: null,
      use_public_ip: task.use_public_ip,
      use_ipv6: task.use_ipv6,
      syncing: task.syncing,
      exist_server: task.exist_server,
      need_migration_test: task.need_migration_test,
      source_server: src
        ? {
            id: src.id,
            ip: src.ip,
            name: src.name,
            os_type: src.os_type,
            os_version: src.os_version,
            oem_system: false,
            state: status.state,
            migration_cycle: status.cycle,
          }
        : { id: task.source_server_id },
      target_server: {
        id: task.target.id,
        vm_id: task.target.vm_id,
        name: task.target.name,
        ip: task.target.ip,
        os_type: task.os_type,
        // [INF] After a switch to HCE the target runs Huawei Cloud EulerOS 2.0.
        os_version: task.hce ? "HCE_2.0_64BIT" : (src?.os_version ?? null),
        // [INF] The Windows directory of the demo images.
        system_dir: linux ? null : "C:\\Windows",
        disks: task.target.disks.map((d, i) => ({
          ...clone(d),
          id: i + 1,
          disk_index: String(i),
          os_disk: i === 0,
          partition_style: src?.firmware === "UEFI" ? "GPT" : "MBR",
          relation_name: linux ? d.name : null,
          physical_volumes: (d.physical_volumes ?? []).map((p, j) => ({
            ...clone(p),
            id: j + 1,
            relation_name: linux ? (p.name ?? null) : null,
            free_size: Math.max(0, (p.size ?? 0) - (p.used_size ?? 0)),
          })),
        })),
        volume_groups: clone(task.target.volume_groups ?? []),
        btrfs_list: linux ? clone(task.target.btrfs_list ?? []) : null,
        image_disk_id: task.image_disk_id,
        cutovered_snapshot_ids: task.cutovered_snapshot_ids,
        flavor: vm?.flavor ?? null,
      },
      clone_server: cloneView,
      sub_tasks: task.subTasks.map((st) => ({
        ...this.renderSubTask(task, st, frac, now),
        migrate_speed: st === current ? round2(speed) : 0,
      })),
      // [INF format] "<sub-task>:<progress>" of the sub-task under way, empty when none is.
      subtask_info: current ? `${current.name}:${subProgress}` : "",
      network_check_info: task.network_check_info,
      // Resource usage the Agent reports while copying [INF: plausible fixed figures].
      total_cpu_usage: running ? 37.5 : 0,
      agent_cpu_usage: running ? 12.5 : 0,
      total_mem_usage: running ? 61.2 : 0,
      agent_mem_usage: running ? 3.4 : 0,
      total_disk_io: running ? 48.1 : 0,
      agent_disk_io: running ? 22.7 : 0,
    };
    return view;
  }

  private renderSubTask(task: TaskRecord, st: SubTaskRecord, frac: number, now: number) {
    let progress: number;
    let start = st.start_date;
    let end = st.end_date;
    if (st.kind === "replicate") {
      const span = st.to - st.from;
      progress =
        span <= 0
          ? frac >= st.to
            ? 100
            : 0
          : Math.floor(Math.min(1, Math.max(0, (frac - st.from) / span)) * 100);
      const d = this.subTaskDates(task, st, frac);
      start = d.start;
      end = d.end;
    } else if (st.kind === "consistency" && task.phase?.kind === "consistency") {
      const c = this.durations.consistencyCheck * 1000;
      progress = c <= 0 ? 100 : Math.floor(Math.min(1, (now - task.phase.startedAt) / c) * 100);
    } else {
      progress = end !== null ? 100 : 0;
    }
    return {
      id: st.id,
      name: st.name,
      progress,
      start_date: start,
      end_date: end,
      process_trace: null,
      user_op: st.user_op,
    };
  }

  /** A task as a `GET /v3/tasks` item shows it (with the list-only fields). */
  renderListItem(task: TaskRecord, now: number): TaskListView {
    return {
      ...this.renderTask(task, now),
      log_collect_status: "INIT",
      special_config: task.configurations.map((c) => ({ ...c })),
    };
  }

  /**
   * A source server as `GET /v3/sources/{id}` shows it, with every field of the SDK's model; the
   * list adds `is_consistency_result_exist`. Figures the Agent would measure (networks, sizes,
   * times) are derived from the registered data [INF].
   */
  renderSource(src: SourceServerRecord, now: number): SourceView {
    const task = this.taskOfSource(src.id);
    const status = this.sourceStatus(src, task, now);
    const linux = src.os_type === "LINUX";
    const total = src.disks.reduce((n, d) => n + (d.used_size ?? d.size ?? 0), 0);
    const frac = task ? this.fraction(task, now) : 0;
    // The last change the emulator knows of: the current phase, the start, the creation, the registration.
    const changed = task ? (task.phase?.startedAt ?? task.start_date ?? task.create_date) : src.add_date;
    const octets = src.ip.split(".");
    const mac = createHash("sha256").update(src.id).digest("hex").slice(0, 10).match(/../g) ?? [];
    const view = {
      id: src.id,
      ip: src.ip,
      name: src.name,
      hostname: src.hostname,
      enterprise_project_id: src.enterprise_project_id ?? "0",
      add_date: src.add_date,
      os_type: src.os_type,
      os_version: src.os_version,
      oem_system: false,
      state: status.state,
      connected: src.connected,
      firmware: src.firmware,
      init_target_server: {
        disks: src.disks.map((d) => ({
          ...clone(d),
          physical_volumes: (d.physical_volumes ?? []).map((p) => ({
            ...clone(p),
            // NTFS has no inodes: a Windows volume reports 0.
            inode_size: p.inode_size ?? (linux ? 256 : 0),
          })),
        })),
        volume_groups: [],
      },
      cpu_quantity: src.cpu_quantity,
      memory: src.memory,
      current_task: task ? this.renderCurrentTask(task, now) : null,
      disks: src.disks.map((d, i) => ({
        name: d.name,
        partition_style: src.firmware === "UEFI" ? "GPT" : "MBR",
        device_use: d.device_use,
        size: d.size,
        used_size: d.used_size,
        os_disk: i === 0,
        relation_name: d.name,
        inode_size: linux ? 256 : 0,
        physical_volumes: (d.physical_volumes ?? []).map((p) => ({
          ...p,
          inode_size: p.inode_size ?? (linux ? 256 : 0),
          inode_nums: linux ? Math.floor((p.size ?? 0) / 16384) : 0,
          size_per_cluster: linux ? 0 : 4096,
        })),
      })),
      volume_groups: [],
      btrfs_list: [],
      networks: [
        {
          name: linux ? "eth0" : "Ethernet0",
          ip: src.ip,
          ipv6: src.ipv6 ?? "",
          netmask: "255.255.255.0",
          gateway: octets.length === 4 ? [...octets.slice(0, 3), "1"].join(".") : "",
          mtu: 1500,
          mac: ["fa", ...mac].join(":"),
          id: `${src.id}-nic0`,
        },
      ],
      checks: [],
      migration_cycle: status.cycle,
      state_action_time: changed,
      replicatesize: Math.round(total * frac),
      totalsize: total,
      last_visit_time: src.add_date,
      stage_action_time: changed,
      agent_version: src.agent_version,
      has_tc: linux,
      start_type: "MANUAL",
    };
    return view;
  }

  /** Whether the source's task has a consistency-check result (ListServers' `is_consistency_result_exist`). */
  consistencyResultExists(sourceId: string): boolean {
    return this.taskOfSource(sourceId)?.consistencyDone ?? false;
  }

  /** The source's task as a source read shows it (`TaskByServerSource`). */
  private renderCurrentTask(task: TaskRecord, now: number) {
    const t = this.renderTask(task, now);
    return {
      id: t.id,
      name: t.name,
      type: t.type,
      state: t.state,
      start_date: t.start_date,
      speed_limit: t.speed_limit,
      migrate_speed: t.migrate_speed,
      start_target_server: t.start_target_server,
      vm_template_id: t.vm_template_id,
      region_id: t.region_id,
      project_name: t.project_name,
      project_id: t.project_id,
      target_server: { vm_id: task.target.vm_id, name: task.target.name },
      log_collect_status: "INIT",
      exist_server: task.exist_server,
      use_public_ip: task.use_public_ip,
      clone_server: t.clone_server,
      subtask_info: t.subtask_info,
    };
  }

  // ---------------------------------------------------------------- queries

  getTask(id: string, now: number): TaskRecord {
    this.settleAll(now);
    const t = this.tasks.get(id);
    if (!t) throw smsErrors.taskNotFound(id);
    return t;
  }

  listTasks(f: TaskFilter, now: number): { count: number; tasks: TaskRecord[] } {
    this.settleAll(now);
    const all = [...this.tasks.values()]
      .filter(
        (t) =>
          (f.state === undefined || t.state === f.state) &&
          (f.name === undefined || t.name.includes(f.name)) &&
          (f.id === undefined || t.id === f.id) &&
          (f.source_server_id === undefined || t.source_server_id === f.source_server_id) &&
          (f.enterprise_project_id === undefined ||
            f.enterprise_project_id === "all_granted_eps" ||
            t.enterprise_project_id === f.enterprise_project_id),
      )
      .sort((a, b) => b.create_date - a.create_date || a.id.localeCompare(b.id));
    const offset = f.offset ?? 0;
    const limit = f.limit ?? 100;
    return { count: all.length, tasks: all.slice(offset, offset + limit) };
  }

  getSource(id: string, now: number): SourceServerRecord {
    this.settleAll(now);
    const s = this.sources.get(id);
    if (!s) throw smsErrors.sourceNotFound(id);
    return s;
  }

  listSources(f: SourceFilter, now: number): { count: number; sources: SourceServerRecord[] } {
    this.settleAll(now);
    const all = [...this.sources.values()]
      .filter((s) => {
        const task = this.taskOfSource(s.id);
        const st = this.sourceStatus(s, task, now);
        return (
          (f.state === undefined || st.state === f.state) &&
          (f.name === undefined || s.name.includes(f.name)) &&
          (f.id === undefined || s.id === f.id) &&
          (f.ip === undefined || s.ip === f.ip) &&
          // The SDK: "IP is used first", so ipv6 filters only a query without ip.
          (f.ipv6 === undefined || f.ip !== undefined || s.ipv6 === f.ipv6) &&
          (f.migration_cycle === undefined || st.cycle === f.migration_cycle) &&
          (f.connected === undefined || s.connected === f.connected) &&
          (f.enterprise_project_id === undefined ||
            f.enterprise_project_id === "all_granted_eps" ||
            (s.enterprise_project_id ?? "0") === f.enterprise_project_id) &&
          (f.is_consistency_result_exist === undefined ||
            (task?.consistencyDone ?? false) === f.is_consistency_result_exist) &&
          (f.vm_id === undefined || (task?.clone_server?.vm_id ?? undefined) === f.vm_id)
        );
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const offset = f.offset ?? 0;
    const limit = f.limit ?? 100;
    return { count: all.length, sources: all.slice(offset, offset + limit) };
  }

  // ---------------------------------------------------------------- create / update / delete

  /** `POST /v3/tasks`. */
  createTask(body: PostTask, now: number, id: string = randomUUID()): TaskRecord {
    this.settleAll(now);
    const src = this.sources.get(body.source_server.id);
    if (!src) throw smsErrors.createSourceMissing(body.source_server.id);
    if (!src.connected) throw smsErrors.agentDisconnected(src.id);
    const existing = this.taskOfSource(src.id);
    if (existing) throw smsErrors.sourceHasTask(src.id, existing.id);
    if (body.os_type !== undefined && body.os_type !== src.os_type) {
      throw smsErrors.validation(`os_type: must be the source server's OS type ${src.os_type}`);
    }
    if (this.tasks.has(id)) throw smsErrors.validation(`id: a task with id ${id} already exists`);
    let target: TaskRecord["target"];
    const disks = body.target_server.disks?.length ? clone(body.target_server.disks) : clone(src.disks);
    if (body.vm_template_id) {
      const tpl = this.templates.get(body.vm_template_id);
      if (!tpl) throw smsErrors.templateNotFound(body.vm_template_id);
      target = {
        id: randomUUID(),
        vm_id: "",
        name: body.target_server.name,
        ip: null,
        disks,
        plannedVmId: randomUUID(),
      };
    } else {
      const vmId = body.target_server.vm_id;
      if (vmId === "") {
        throw smsErrors.validation(
          "target_server.vm_id: must name an existing server unless vm_template_id is given",
        );
      }
      const vm = this.targets.get(vmId);
      if (!vm) throw smsErrors.targetNotFound(vmId);
      for (const t of this.tasks.values())
        if (t.target.vm_id === vmId) throw smsErrors.targetInUse(vmId, t.id);
      target = { id: randomUUID(), vm_id: vm.id, name: body.target_server.name || vm.name, ip: vm.ip, disks };
    }
    if (body.target_server.volume_groups) target.volume_groups = clone(body.target_server.volume_groups);
    if (body.target_server.btrfs_list) target.btrfs_list = clone(body.target_server.btrfs_list);
    const task: TaskRecord = {
      id,
      name: body.name,
      type: body.type,
      os_type: src.os_type,
      state: "READY",
      priority: body.priority ?? 1,
      speed_limit: body.speed_limit ?? 0,
      over_speed_threshold: body.over_speed_threshold ?? null,
      region_id: body.region_id,
      region_name: body.region_name,
      project_id: body.project_id,
      project_name: body.project_name,
      enterprise_project_id: "0",
      start_target_server: body.start_target_server ?? true,
      migration_ip: body.migration_ip ?? target.ip,
      vm_template_id: body.vm_template_id ?? null,
      clonevm_template_id: body.clonevm_template_id ?? null,
      use_public_ip: body.use_public_ip ?? false,
      use_ipv6: body.use_ipv6 ?? false,
      syncing: body.syncing ?? false,
      exist_server: body.exist_server ?? !body.vm_template_id,
      start_network_check: body.start_network_check ?? false,
      is_need_consistency_check: body.is_need_consistency_check ?? false,
      need_migration_test: body.need_migration_test ?? false,
      image_disk_id: null,
      target_disk_ids: null,
      snapshot_ids: null,
      cutovered_snapshot_ids: null,
      source_server_id: src.id,
      target,
      clone_server: null,
      network_check_info: null,
      speed_limits: [],
      configurations: [],
      passphrase: randomBytes(12).toString("base64").replace(/[+/]/g, "x"),
      error_json: "",
      create_date: now,
      start_date: null,
      finish_date: null,
      phase: null,
      side: null,
      progressFrac: 0,
      replicated: false,
      consistencyDone: false,
      cutover: false,
      tested: false,
      premiged: false,
      cleared: false,
      subTasks: [],
    };
    this.tasks.set(task.id, task);
    if (body.start_network_check) task.network_check_info = networkCheck(task.id);
    if (body.auto_start) this.beginRun(task, now);
    return task;
  }

  /** `PUT /v3/tasks/{id}`: only PutTaskReq fields take effect; nulls leave a field unchanged. */
  updateTask(id: string, body: PutTaskReq, now: number): TaskRecord {
    const task = this.getTask(id, now);
    if (task.state === "DELETING") throw smsErrors.invalidState("update", task.state);
    const set = <K extends keyof TaskRecord>(k: K, v: TaskRecord[K] | null | undefined) => {
      if (v !== null && v !== undefined) task[k] = v;
    };
    set("name", body.name);
    set("type", body.type);
    set("region_id", body.region_id);
    set("region_name", body.region_name);
    set("exist_server", body.exist_server);
    set("migration_ip", body.migration_ip);
    set("use_ipv6", body.use_ipv6);
    set("use_public_ip", body.use_public_ip);
    set("speed_limit", body.speed_limit);
    set("project_name", body.project_name);
    set("project_id", body.project_id);
    set("enterprise_project_id", body.enterprise_project);
    set("image_disk_id", body.image_disk_id);
    set("vm_template_id", body.vm_template_id);
    set("target_disk_ids", body.target_disk_ids);
    set("snapshot_ids", body.snapshot_ids);
    set("cutovered_snapshot_ids", body.cutovered_snapshot_ids);
    const ts = body.target_server;
    if (ts) {
      // Empty strings are how the read model says "not set" (the documented example sends
      // `"vm_id": ""`), so they do not blank the target.
      if (typeof ts.vm_id === "string" && ts.vm_id !== "") task.target.vm_id = ts.vm_id;
      if (typeof ts.name === "string" && ts.name !== "") task.target.name = ts.name;
      if (Array.isArray(ts.disks)) {
        const parsed = TargetDisk.array().safeParse(ts.disks);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({
            ...i,
            path: ["target_server", "disks", ...i.path],
          }));
          throw smsErrors.validation(describeIssues(issues));
        }
        if (parsed.data.length > 0) task.target.disks = parsed.data;
      }
    }
    const cs = body.clone_server;
    if (cs) {
      // [DOC] changes to the clone server take effect only in these source states.
      const st = this.sourceStatus(this.sources.get(task.source_server_id), task, now).state;
      if (["syncing", "stopping", "stopped", "cutovering", "finished", "error"].includes(st)) {
        const c: CloneServerView = task.clone_server ?? { clone_state: "NOT_READY" };
        if (typeof cs.vm_id === "string" && cs.vm_id !== "") c.vm_id = cs.vm_id;
        if (typeof cs.name === "string" && cs.name !== "") c.name = cs.name;
        task.clone_server = c;
      }
    }
    return task;
  }

  /** `DELETE /v3/tasks/{id}`: → DELETING → gone. */
  deleteTask(id: string, now: number): void {
    const task = this.getTask(id, now);
    this.checkDeletable(task, now);
    this.startDeleting(task, now);
  }

  /** `POST /v3/tasks/delete`: all or nothing. */
  deleteTasks(ids: string[], now: number): void {
    const tasks = ids.map((id) => this.getTask(id, now));
    for (const t of tasks) this.checkDeletable(t, now);
    for (const t of tasks) this.startDeleting(t, now);
  }

  private checkDeletable(task: TaskRecord, now: number): void {
    const src = this.sources.get(task.source_server_id);
    const { state } = this.sourceStatus(src, task, now);
    // A task whose Agent is gone can always be deleted (docs/huawei-sms.md).
    if (DELETE_BLOCKING_SOURCE_STATES.has(state) && src?.connected !== false) throw smsErrors.cannotDelete();
  }

  private startDeleting(task: TaskRecord, now: number): void {
    this.freezeReplication(task, now);
    task.state = "DELETING";
    task.phase = { kind: "deleting", startedAt: now };
    task.side = null;
    const src = this.sources.get(task.source_server_id);
    if (src) delete src.forced;
  }

  // ---------------------------------------------------------------- actions

  /** `POST /v3/tasks/{id}/action`. */
  action(id: string, req: UpdateTaskStatusReq, now: number): void {
    const task = this.getTask(id, now);
    const src = this.sources.get(task.source_server_id);
    const op: TaskOperation = req.operation;
    // The optional fields are honoured or refused by name, never dropped.
    if (req.switch_hce !== undefined) {
      if (!["test", "clone_test", "cutover"].includes(op))
        throw smsErrors.validation("switch_hce: applies to test, clone_test and cutover only");
      if (req.switch_hce && task.os_type !== "LINUX")
        throw smsErrors.validation("switch_hce: only Linux migration tasks can switch to HCE");
    }
    if (req.is_need_consistency_check !== undefined && op !== "start" && op !== "restart")
      throw smsErrors.validation("is_need_consistency_check: applies to start and restart only");
    if (req.template_id !== undefined && op !== "test" && op !== "clone_test")
      throw smsErrors.validation("template_id: applies to test and clone_test only");
    const replicatedStates: TaskState[] = ["MIGRATE_SUCCESS", "SYNCING", "SYNC_SUCCESS"];
    const requireAgent = () => {
      if (!src?.connected) throw smsErrors.agentDisconnected(task.source_server_id);
    };
    const requireIdle = () => {
      if (
        !task.replicated ||
        !replicatedStates.includes(task.state) ||
        task.phase !== null ||
        task.side !== null ||
        task.cutover
      ) {
        throw smsErrors.invalidState(op, task.state);
      }
    };
    switch (op) {
      case "start":
        if (task.state === "READY") {
          requireAgent();
          this.beginRun(task, now);
        } else if (task.state === "ABORT") {
          requireAgent();
          this.resume(task, now);
        } else throw smsErrors.cannotResume();
        break;
      case "stop":
      case "error_for_overspeed": {
        const pausable: TaskState[] =
          op === "stop" ? ["RUNNING", "SYNCING", "READY"] : ["RUNNING", "SYNCING"];
        if (!pausable.includes(task.state) || task.phase?.kind === "cutover") throw smsErrors.cannotPause();
        this.freezeReplication(task, now);
        if (op === "error_for_overspeed") {
          task.error_json = JSON.stringify({
            error_code: "SMS.0000",
            error_msg: "The task was paused because the migration speed exceeded the threshold",
          });
        }
        task.state = "ABORTING";
        task.phase = { kind: "aborting", startedAt: now };
        break;
      }
      case "restart":
        if (task.state !== "MIGRATE_FAIL" && task.state !== "SYNC_FAIL") throw smsErrors.cannotRestart();
        requireAgent();
        this.beginRun(task, now);
        break;
      case "cutover":
        requireIdle();
        task.phase = { kind: "cutover", startedAt: now };
        break;
      case "test":
      case "clone_test": {
        requireIdle();
        if (op === "clone_test" && !req.template_id)
          throw smsErrors.validation("template_id: is required for clone_test");
        if (req.template_id && !this.templates.has(req.template_id))
          throw smsErrors.templateNotFound(req.template_id);
        task.clone_server = {
          vm_id: randomUUID(),
          name: `${task.target.name || task.name}-test`,
          clone_state: "PREPARING",
          clone_error: null,
          error_msg: null,
        };
        task.side = { kind: "clone", startedAt: now };
        break;
      }
      case "migration_test":
        requireIdle();
        task.side = { kind: "migrationTest", startedAt: now };
        break;
      case "skip":
        if (task.phase?.kind !== "consistency") throw smsErrors.invalidState(op, task.state);
        task.state = "SKIPPING";
        task.phase = { kind: "skipping", startedAt: now };
        break;
      case "clear": {
        const st = this.sourceStatus(src, task, now).state;
        if (task.side !== null || !["finished", "premiged", "clearfailed"].includes(st)) {
          throw smsErrors.invalidState(op, task.state);
        }
        task.side = { kind: "clear", startedAt: now };
        break;
      }
      case "network_check":
        if (task.state === "DELETING") throw smsErrors.invalidState(op, task.state);
        task.network_check_info = networkCheck(task.id);
        break;
    }
    if (req.switch_hce !== undefined) task.hce = req.switch_hce;
    if (req.is_need_consistency_check !== undefined)
      task.is_need_consistency_check = req.is_need_consistency_check;
    // An API action takes the source out of any state forced by the control plane.
    if (src) delete src.forced;
  }

  /** Starts replication from scratch (first start, or restart after a failure). */
  private beginRun(task: TaskRecord, now: number): void {
    task.subTasks = this.planSubTasks(task);
    task.progressFrac = 0;
    task.replicated = false;
    task.consistencyDone = false;
    task.error_json = "";
    task.start_date = now;
    task.finish_date = null;
    task.state = "RUNNING";
    task.phase = { kind: "replicate", startedAt: now, baseFrac: 0 };
    this.settle(task, now);
  }

  /** Resumes a paused task where it stopped. */
  private resume(task: TaskRecord, now: number): void {
    if (task.subTasks.length === 0) task.subTasks = this.planSubTasks(task);
    task.start_date ??= now;
    task.error_json = "";
    if (!task.replicated) {
      task.state = "RUNNING";
      task.phase = { kind: "replicate", startedAt: now, baseFrac: task.progressFrac };
    } else if (task.is_need_consistency_check && !task.consistencyDone) {
      task.state = "RUNNING";
      task.phase = { kind: "consistency", startedAt: now };
    } else {
      this.finishReplication(task, now);
    }
    this.settle(task, now);
  }

  /** Sub-tasks of a run, with each replication step's share of the replication time [INF]. */
  private planSubTasks(task: TaskRecord): SubTaskRecord[] {
    const os = task.os_type;
    const kind = task.type === "MIGRATE_FILE" ? "FILE" : "BLOCK";
    const steps: [string, number][] = [];
    if (task.target.plannedVmId) steps.push(["CREATE_CLOUD_SERVER", 10]);
    steps.push(
      ["SSL_CONFIG", 5],
      ["ATTACH_AGENT_IMAGE", 5],
      [`FORMAT_DISK_${os}`, 5],
      [`MIGRATE_${os}_${kind}`, 65],
      [`CONFIGURE_${os}_${kind}`, 5],
      ["DETACH_AGENT_IMAGE", 5],
    );
    const total = steps.reduce((n, [, w]) => n + w, 0);
    let acc = 0;
    const out: SubTaskRecord[] = steps.map(([name, w], i) => {
      const from = acc / total;
      acc += w;
      return {
        id: this.nextSubTaskId++,
        name,
        user_op: "REPLICATE",
        kind: "replicate",
        from,
        to: i === steps.length - 1 ? 1 : acc / total,
        start_date: null,
        end_date: null,
      };
    });
    if (task.is_need_consistency_check) {
      out.push({
        id: this.nextSubTaskId++,
        name: "CONSISTENCY_CHECK",
        user_op: "REPLICATE",
        kind: "consistency",
        from: 1,
        to: 1,
        start_date: null,
        end_date: null,
      });
    }
    if (task.syncing) {
      out.push({
        id: this.nextSubTaskId++,
        name: `SYNC_${os}_${kind}`,
        user_op: "SYNC",
        kind: "sync",
        from: 1,
        to: 1,
        start_date: null,
        end_date: null,
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- speed limits, configuration

  setSpeedLimits(id: string, items: SpeedLimit[], now: number): void {
    const task = this.getTask(id, now);
    items.forEach((it, i) => {
      if (it.start >= it.end) throw smsErrors.validation(`speed_limit[${i}]: start must be before end`);
    });
    task.speed_limits = items.map((it) => ({ ...it }));
  }

  setConfigurations(id: string, items: Config[], now: number): void {
    const task = this.getTask(id, now);
    for (const it of items) {
      const i = task.configurations.findIndex((c) => c.config_key === it.config_key);
      const entry = { ...it, config_status: it.config_status ?? "VALID" };
      if (i >= 0) task.configurations[i] = entry;
      else task.configurations.push(entry);
    }
  }

  // ---------------------------------------------------------------- control plane

  /**
   * Sets a task's state out of band, as if the cloud had moved it there. Timed states (RUNNING,
   * ABORTING, DELETING, SKIPPING) start their phase at `now`.
   */
  forceTaskState(
    task: TaskRecord,
    state: TaskState,
    now: number,
    opts: { error_json?: string; progress?: number } = {},
  ): void {
    this.settle(task, now);
    this.freezeReplication(task, now);
    task.phase = null;
    task.side = null;
    // A forced state starts clean: not cut over, tested, drilled or cleared.
    task.cutover = false;
    task.tested = false;
    task.premiged = false;
    task.cleared = false;
    if (opts.progress !== undefined) task.progressFrac = Math.min(1, Math.max(0, opts.progress / 100));
    const ensurePlan = () => {
      if (task.subTasks.length === 0) task.subTasks = this.planSubTasks(task);
      task.start_date ??= now;
    };
    const markReplicated = () => {
      ensurePlan();
      task.replicated = true;
      task.consistencyDone = true;
      task.progressFrac = 1;
      for (const st of task.subTasks) {
        if (st.kind === "replicate") {
          st.start_date ??= now;
          st.end_date ??= now;
        }
      }
      this.materializeTarget(task);
    };
    task.state = state;
    switch (state) {
      case "READY":
        task.subTasks = [];
        task.replicated = false;
        task.progressFrac = 0;
        task.start_date = null;
        task.finish_date = null;
        break;
      case "RUNNING":
        ensurePlan();
        if (task.progressFrac >= 1) task.progressFrac = 0;
        task.replicated = false;
        task.consistencyDone = false;
        task.phase = { kind: "replicate", startedAt: now, baseFrac: task.progressFrac };
        break;
      case "SYNCING":
      case "MIGRATE_SUCCESS":
      case "SYNC_SUCCESS":
        markReplicated();
        if (state === "SYNCING") task.syncing = true;
        if (state !== "SYNCING") task.finish_date ??= now;
        break;
      case "SKIPPING":
        markReplicated();
        task.phase = { kind: "skipping", startedAt: now };
        break;
      case "MIGRATE_FAIL":
      case "SYNC_FAIL":
        ensurePlan();
        task.error_json =
          opts.error_json ??
          JSON.stringify({
            error_code: "SMS.2007",
            error_msg: "Background exception (failure injected by the emulator)",
          });
        break;
      case "ABORTING":
        ensurePlan();
        task.phase = { kind: "aborting", startedAt: now };
        break;
      case "DELETING":
        task.phase = { kind: "deleting", startedAt: now };
        break;
      case "ABORT":
      case "RESETING":
      case "SYNC_F_ROLLBACKING":
      case "SYNC_F_ROLLBACK_SUCCESS":
        ensurePlan();
        break;
    }
    // Sub-tasks the forced progress has reached get dates, as if they ran up to now.
    if (task.phase?.kind !== "replicate") {
      for (const st of task.subTasks) {
        if (st.kind !== "replicate") continue;
        if (task.progressFrac > st.from) st.start_date ??= now;
        if (task.progressFrac >= st.to) st.end_date ??= now;
      }
    }
    if (opts.error_json !== undefined) task.error_json = opts.error_json;
  }

  /** Removes a task at once, as if deleted outside this API. */
  removeTask(id: string): void {
    if (!this.tasks.delete(id)) throw smsErrors.taskNotFound(id);
  }
}

/** Network check figures, deterministic per task [INF]. */
function networkCheck(taskId: string): NetworkCheck {
  const h = createHash("sha256").update(taskId).digest();
  return {
    domain_connectivity: true,
    destination_connectivity: true,
    network_delay: round2(5 + (h[0] % 40) + h[1] / 256),
    network_jitter: round2((h[2] % 50) / 10),
    migration_speed: round2(80 + (h[3] % 800) + h[4] / 256),
    loss_percentage: 0,
    cpu_usage: round2(10 + (h[5] % 50) + h[6] / 256),
    mem_usage: round2(20 + (h[7] % 60) + h[8] / 256),
    evaluation_result: "The network is suitable for migration",
  };
}
