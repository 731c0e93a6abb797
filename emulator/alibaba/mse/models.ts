/**
 * The MSE migration-task backend: configuration records with no state (docs/alibaba-mse.md),
 * the target instances they point at, and the rendering of the documented answer shapes.
 */
import type {
  AddMigrationTaskRequest,
  MigrationTask,
  MigrationTaskListItem,
} from "../../../sdk/alibaba/mse/contract";
import { ApiError } from "../../core/types";
import { alicloudDefaults } from "../defaults";

/** An MSE instance tasks can migrate into. */
export interface MseInstance {
  /** `mse-cn-...` */
  instanceId: string;
  name: string;
  clusterType: "Nacos-Ans" | "ZooKeeper" | "Eureka";
  region: string;
}

/** A stored task; timestamps in ms. */
export interface MseTask {
  id: number;
  clusterType?: string;
  originInstanceAddress?: string;
  originInstanceName?: string;
  originInstanceNamespace?: string;
  targetInstanceId?: string;
  targetClusterName?: string;
  targetClusterUrl?: string;
  projectDesc?: string;
  syncType?: string;
  created: number;
  modified: number;
}

/** JSON form of the backend, for persistence and `dump`. */
export interface MseSnapshot {
  nextId: number;
  instances: MseInstance[];
  tasks: MseTask[];
}

/** The writable fields, wire name to record name. */
const FIELDS = {
  ClusterType: "clusterType",
  OriginInstanceAddress: "originInstanceAddress",
  OriginInstanceName: "originInstanceName",
  OriginInstanceNamespace: "originInstanceNamespace",
  TargetInstanceId: "targetInstanceId",
  TargetClusterName: "targetClusterName",
  TargetClusterUrl: "targetClusterUrl",
  ProjectDesc: "projectDesc",
  SyncType: "syncType",
} as const;

/** Writable fields of a request. */
export type TaskFields = Omit<AddMigrationTaskRequest, "RequestPars" | "AcceptLanguage">;

/** An MSE business error: the gateway's fields plus MSE's `Success`, `ErrorCode` and `HttpCode`. */
export function mseError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, code, message, {
    extra: {
      Success: false,
      ErrorCode: code,
      HttpCode: String(status),
      HttpStatusCode: status,
      DynamicMessage: message,
    },
  });
}

/** `400 InvalidParameter "Parameter error:%s"`. */
export const invalidParameter = (what: string) =>
  mseError(400, "InvalidParameter", `Parameter error:${what}`);
/** `404 NotFound "Not found:%s"`. */
export const notFound = (what: string) => mseError(404, "NotFound", `Not found:${what}`);

/** `2022-01-07T10:07:57.000+0000`, the service's time format. */
export function gmt(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** The backend of one emulator. */
export class MseBackend {
  nextId = 1;
  instances = new Map<string, MseInstance>();
  tasks = new Map<number, MseTask>();

  load(s: MseSnapshot): void {
    this.nextId = s.nextId;
    this.instances = new Map(s.instances.map((i) => [i.instanceId, { ...i }]));
    this.tasks = new Map(s.tasks.map((t) => [t.id, { ...t }]));
  }

  snapshot(): MseSnapshot {
    return {
      nextId: this.nextId,
      instances: [...this.instances.values()].map((i) => ({ ...i })),
      tasks: [...this.tasks.values()].map((t) => ({ ...t })),
    };
  }

  /**
   * Creates a task. Every parameter is optional, as in the SDK and the documents (a task may be
   * completed by later updates); a target instance that is named must exist.
   */
  add(p: TaskFields, now: number, id?: number): MseTask {
    this.checkTarget(p);
    const taskId = id ?? this.nextId;
    if (this.tasks.has(taskId)) throw invalidParameter(`task ${taskId} exists`);
    this.nextId = Math.max(this.nextId, taskId + 1);
    const t: MseTask = { id: taskId, created: now, modified: now };
    this.assign(t, p);
    this.tasks.set(taskId, t);
    return t;
  }

  /** Replaces the fields given; the others keep their values. */
  update(id: string | undefined, p: TaskFields, now: number): MseTask {
    const t = this.get(id);
    this.checkTarget(p);
    this.assign(t, p);
    t.modified = now;
    return t;
  }

  delete(id: string | undefined): void {
    this.tasks.delete(this.get(id).id);
  }

  get(id: string | undefined): MseTask {
    if (id === undefined || id === "") throw invalidParameter("Id is required");
    const t = /^\d+$/.test(id) ? this.tasks.get(Number(id)) : undefined;
    if (!t) throw notFound(id);
    return t;
  }

  /**
   * Tasks whose source name contains `name` (the console's search), newest first as the console
   * lists them: an older task sits on a later page once newer ones exist.
   */
  list(name: string | undefined): MseTask[] {
    return [...this.tasks.values()]
      .filter((t) => !name || (t.originInstanceName ?? "").includes(name))
      .sort((a, b) => b.id - a.id);
  }

  private checkTarget(p: TaskFields): void {
    if (
      p.TargetInstanceId !== undefined &&
      p.TargetInstanceId !== "" &&
      !this.instances.has(p.TargetInstanceId)
    ) {
      throw notFound(`TargetInstanceId ${p.TargetInstanceId}`);
    }
  }

  private assign(t: MseTask, p: TaskFields): void {
    for (const [wire, field] of Object.entries(FIELDS) as [
      keyof typeof FIELDS,
      (typeof FIELDS)[keyof typeof FIELDS],
    ][]) {
      const v = p[wire];
      if (v !== undefined) t[field] = v;
    }
  }

  /** The task as Add and Update answer it: `Id` a string. */
  render(t: MseTask): MigrationTask {
    return { Id: String(t.id), ...this.fields(t), GmtCreate: gmt(t.created), GmtModified: gmt(t.modified) };
  }

  /** The task as a ListMigrationTask item: `Id` a number. */
  renderListItem(t: MseTask): MigrationTaskListItem {
    return { Id: t.id, ...this.fields(t), GmtCreate: gmt(t.created), GmtModified: gmt(t.modified) };
  }

  private fields(t: MseTask) {
    // The service drops empty fields from its answers.
    const out: Record<string, string> = { UserId: alicloudDefaults.userId };
    for (const [wire, field] of Object.entries(FIELDS)) {
      const v = t[field as keyof MseTask];
      if (typeof v === "string" && v !== "") out[wire] = v;
    }
    return out;
  }
}
