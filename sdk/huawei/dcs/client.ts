/** Typed client of Huawei Cloud DCS v2 data migration, built on the shared contracts. */
import { CloudError } from "../../core/errors";
import { paginate } from "../../core/paginate";
import { isThrottling } from "../../core/limiter";
import { lostCreateError } from "../../core/lost-create";
import { retryDelay } from "../../core/retry";
import type { HuaweiClient } from "../client";
import { isHuaweiNotFound } from "../client";
import { MissingCredentialsError } from "../credentials";
import type {
  BatchTaskResult,
  CreateMigrationTaskBody,
  CreateOnlineMigrationTaskBody,
  DcsJob,
  DcsTaskStatus,
  ExchangeInstanceIpBody,
  MigrationLog,
  MigrationTask,
  MigrationTaskListItem,
  MigrationTaskStats,
  ResumeMode,
  SetOnlineMigrationTaskBody,
  TaskRef,
} from "./contract";
import { dcs } from "./contract";

/** Filters of {@link DcsClient.listTasks}. */
export interface ListDcsTasksFilter {
  /** Task name, passed to the service's `name` filter; the service may match loosely. */
  name?: string;
}

/** Filters of {@link DcsClient.listLogs}. */
export interface ListDcsLogsFilter {
  /** `INFO` or `ERROR` [SDK]; passed through unchecked. */
  log_level?: string;
}

/** Result of {@link DcsClient.createOnlineTask}. */
export interface CreateOnlineTaskResult {
  /** Task id (the migration ECS id, which the service uses as the task id). */
  id: string;
  /**
   * Job creating the migration ECS, to poll with {@link DcsClient.showJob}. Absent when the
   * service omits it (the SDK model does not declare it) or when the task was recovered by name;
   * then wait on the task's own status instead (`RUNNING` = created, waiting for configuration).
   */
  jobId?: string;
  /** True when the create answer was lost and the task was found by name instead. */
  recovered: boolean;
}

/** Result of {@link DcsClient.createBackupImportTask}. */
export interface CreateBackupImportTaskResult {
  id: string;
  /** Status in the create answer; absent when recovered. */
  status?: DcsTaskStatus | null;
  /** True when the create answer was lost and the task was found by name instead. */
  recovered: boolean;
}

/** Options of the create methods. */
export interface DcsCreateOptions {
  /** Receives one line per retry or recovery; never receives credentials. */
  log?: (msg: string) => void;
}

/**
 * Statuses after which a task may already be deleted while its detail call still answers.
 * Terraform re-checks the list for `SUCCESS` only; `RELEASED` is added because Terraform has
 * seen it (docs/huawei-dcs.md) on deleted tasks too, and the other settled statuses because a delete is
 * possible from them and nothing documents what the detail call then reports [INF].
 */
const MAYBE_DELETED: ReadonlySet<DcsTaskStatus> = new Set<DcsTaskStatus>([
  "SUCCESS",
  "FAILED",
  "TERMINATED",
  "MIGRATION_FAILED",
  "RELEASED",
]);

/** The DCS data-migration operations the provider and the tests use. */
export class DcsClient {
  /** Project id filling `{project_id}` in every path. */
  readonly projectId: string;

  /**
   * @param http - A {@link HuaweiClient} for service `dcs`.
   * @throws MissingCredentialsError when no project id is configured: every DCS path carries it.
   */
  constructor(readonly http: HuaweiClient) {
    if (http.service !== "dcs") {
      throw new Error(`DcsClient needs a HuaweiClient for service "dcs", got "${http.service}"`);
    }
    const projectId = http.projectId;
    if (!projectId) {
      throw new MissingCredentialsError(
        "Huawei Cloud project id not found; DCS API paths are project-scoped (/v2/{project_id}/...). " +
          "Set it in one of these places (first found wins):\n" +
          "  1. resource argument projectId\n  2. stack config huaweicloud:projectId\n" +
          "  3. environment HW_PROJECT_ID\n  4. environment OS_PROJECT_ID\n" +
          "  5. environment HUAWEICLOUD_SDK_PROJECT_ID\n  6. profile file ~/.huaweicloud/credentials project_id",
      );
    }
    this.projectId = projectId;
  }

  // -------------------------------------------------------------------------------------------
  // Create
  // -------------------------------------------------------------------------------------------

  /**
   * Creates an online migration task (its migration ECS). The answer carries the task id and the
   * id of the job creating the ECS. Never retried blindly: see {@link DcsClient.createWithRecovery}.
   */
  async createOnlineTask(
    body: CreateOnlineMigrationTaskBody,
    opts: DcsCreateOptions = {},
  ): Promise<CreateOnlineTaskResult> {
    return this.createWithRecovery<CreateOnlineTaskResult>(
      "CreateOnlineMigrationTask",
      body.name,
      async () => {
        const res = await this.http.call(dcs.createOnlineMigrationTask, {
          path: this.path(),
          body,
          noRetry: true,
        });
        return { id: res.instance_id, jobId: res.job_id ?? undefined, recovered: false };
      },
      (t) => t.task_name === body.name,
      (t) => ({ id: t.task_id, recovered: true }),
      opts,
    );
  }

  /** Creates a backup-file import task. Never retried blindly: see {@link DcsClient.createWithRecovery}. */
  async createBackupImportTask(
    body: CreateMigrationTaskBody,
    opts: DcsCreateOptions = {},
  ): Promise<CreateBackupImportTaskResult> {
    const targetId = body.target_instance.id;
    return this.createWithRecovery<CreateBackupImportTaskResult>(
      "CreateMigrationTask",
      body.task_name,
      async () => {
        const res = await this.http.call(dcs.createMigrationTask, { path: this.path(), body, noRetry: true });
        return { id: res.id, status: res.status, recovered: false };
      },
      (t) =>
        t.task_name === body.task_name &&
        (t.target_instance_id ?? targetId) === targetId &&
        (t.migration_type ?? "backupfile_import") === "backupfile_import",
      (t) => ({ id: t.task_id, status: t.status, recovered: true }),
      opts,
    );
  }

  /**
   * Runs a create without the transport's blind retries. When the answer is lost (connection
   * dropped, 5xx) the task may exist already, so the list is searched by name before creating
   * again. Throttling (429, APIGW.0308) means the gateway refused the call before it took effect,
   * so that is retried directly.
   *
   * Task names are not documented as unique, and Pulumi's default replacement creates the new
   * task while the old one (often with the same name) still exists. So the ids already carrying
   * the name are noted before the first attempt, and only a task that appeared since counts as
   * ours.
   */
  private async createWithRecovery<R>(
    operation: string,
    name: string,
    create: () => Promise<R>,
    matches: (t: MigrationTaskListItem) => boolean,
    recovered: (t: MigrationTaskListItem) => R,
    opts: DcsCreateOptions,
  ): Promise<R> {
    const before = new Set<string>();
    for await (const t of this.listTasks({ name })) if (t.task_name === name) before.add(t.task_id);

    const retry = this.http.retryOptions();
    const clock = this.http.clock;
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await create();
      } catch (e) {
        if (!CloudError.isInstance(e) || !e.retryable) throw e;
        let failure = e;
        if (!isThrottling(e) && e.code !== "ECONNREFUSED" && e.code !== "ECONNECTTIMEOUT") {
          const fresh: MigrationTaskListItem[] = [];
          try {
            for await (const t of this.listTasks({ name }))
              if (matches(t) && !before.has(t.task_id)) fresh.push(t);
          } catch (lookupError) {
            throw lostCreateError(e, attempt, dcs.listMigrationTask.name, lookupError);
          }
          if (fresh.length > 1) {
            throw new Error(
              `${operation} of DCS migration task ${JSON.stringify(name)} lost its answer, and ${fresh.length} new tasks ` +
                `with that name appeared since (${fresh.map((t) => t.task_id).join(", ")}); cannot tell which is ours. ` +
                `Delete the extra ones and retry.`,
              { cause: e },
            );
          }
          if (fresh.length === 1) {
            opts.log?.(`${operation} of task ${name} lost its answer; found it as ${fresh[0].task_id}`);
            return recovered(fresh[0]);
          }
          failure = lostCreateError(e, attempt, dcs.listMigrationTask.name);
        }
        const delay = retryDelay(e, attempt, clock.now() - started, clock.now(), retry);
        if (delay === undefined)
          throw attempt > 1 || failure !== e ? CloudError.withAttempts(failure, attempt) : e;
        opts.log?.(`retrying ${operation} in ${delay} ms after ${e.code ?? e.httpStatus}`);
        await clock.sleep(delay);
      }
    }
  }

  /** Status of an asynchronous job (the online create's ECS job). */
  showJob(jobId: string): Promise<DcsJob> {
    return this.http.call(dcs.showJobInfo, { path: this.path({ job_id: jobId }) });
  }

  /**
   * Configures an online migration task (method, reconnection mode, bandwidth, both Redis ends).
   * Sent once, never retried here: a configure whose answer was lost may have taken effect, and
   * sent again it is refused (DCS.4026), so callers re-read the task before deciding to resend.
   */
  configureOnlineTask(id: string, body: SetOnlineMigrationTaskBody): Promise<TaskRef> {
    return this.http.call(dcs.setOnlineMigrationTask, {
      path: this.path({ task_id: id }),
      body,
      noRetry: true,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Read
  // -------------------------------------------------------------------------------------------

  /** Every task matching the filter, fetched page by page as the caller iterates. */
  listTasks(
    filter: ListDcsTasksFilter = {},
    pageSize = 100,
  ): AsyncGenerator<MigrationTaskListItem, void, undefined> {
    return paginate(async (offset, limit) => {
      const res = await this.http.call(dcs.listMigrationTask, {
        path: this.path(),
        query: { ...filter, offset, limit },
      });
      const items = res.migration_tasks;
      // The docs call `count` "number of migration tasks" without saying whether it is the total or
      // this page's size. It is used as a total only when it exceeds the page, which no page size
      // can; otherwise paging stops at the first short page, which is right either way.
      return { items, total: res.count > items.length ? res.count : undefined };
    }, pageSize);
  }

  /** The task with exactly this name, if the list has one (the first, if several). */
  async findTaskByName(name: string): Promise<MigrationTaskListItem | undefined> {
    for await (const t of this.listTasks({ name })) if (t.task_name === name) return t;
    return undefined;
  }

  /** True when the task appears in the list. `name` narrows the scan; the id decides. */
  async isListed(id: string, name?: string): Promise<boolean> {
    for await (const t of this.listTasks(name === undefined ? {} : { name }))
      if (t.task_id === id) return true;
    return false;
  }

  /** The task detail. Throws DCS.4133 (HTTP 400) for an unknown id; see {@link DcsClient.findTask}. */
  showTask(id: string): Promise<MigrationTask> {
    return this.http.call(dcs.showMigrationTask, { path: this.path({ task_id: id }) });
  }

  /**
   * The task, or undefined when it is gone. DCS's not-found table: `DCS.4133` with HTTP 400 → gone
   * (a 404 is the gateway's, an error); detail status `DELETED` → gone; a settled status the detail call keeps reporting
   * after a delete (`SUCCESS`, `RELEASED`, ...) → gone unless the list still has the task, since the
   * list is the authoritative signal (Terraform's read does the same for `SUCCESS`).
   */
  async findTask(id: string): Promise<MigrationTask | undefined> {
    let task: MigrationTask;
    try {
      task = await this.showTask(id);
    } catch (e) {
      if (isHuaweiNotFound(e, "dcs")) return undefined;
      throw e;
    }
    if (task.status === "DELETED") return undefined;
    if (MAYBE_DELETED.has(task.status) && !(await this.isListed(id, task.task_name))) return undefined;
    return task;
  }

  /** Migration progress figures (strings, as the service sends them). */
  stats(id: string): Promise<MigrationTaskStats> {
    return this.http.call(dcs.showMigrationTaskStats, { path: this.path({ task_id: id }) });
  }

  /** The task's migration log, page by page as the caller iterates. */
  listLogs(
    id: string,
    filter: ListDcsLogsFilter = {},
    pageSize = 100,
  ): AsyncGenerator<MigrationLog, void, undefined> {
    return paginate(async (offset, limit) => {
      const res = await this.http.call(dcs.listMigrationTaskLogs, {
        path: this.path({ task_id: id }),
        query: { ...filter, offset, limit },
      });
      const items = res.migration_logs;
      const total = res.log_num ?? undefined;
      return { items, total: total !== undefined && total > items.length ? total : undefined };
    }, pageSize);
  }

  // -------------------------------------------------------------------------------------------
  // Change
  // -------------------------------------------------------------------------------------------

  /**
   * Stops a task; answers the task detail. The stop is done only once the status is `TERMINATED`.
   * Sent once, like {@link DcsClient.configureOnlineTask}: a second stop is refused.
   */
  stopTask(id: string): Promise<MigrationTask> {
    return this.http.call(dcs.stopMigrationTask, { path: this.path({ task_id: id }), noRetry: true });
  }

  /** Stops a task synchronously (`sync-stop`). */
  async stopTaskSync(id: string): Promise<void> {
    await this.http.call(dcs.stopMigrationTaskSync, { path: this.path({ task_id: id }) });
  }

  /**
   * Stops several tasks. Per-task failures come back as `result: "failed"` entries with the
   * service's code and message; they are returned, not thrown.
   */
  async batchStopTasks(ids: string[]): Promise<BatchTaskResult[]> {
    const res = await this.http.call(dcs.batchStopMigrationTasks, {
      path: this.path(),
      body: { migration_tasks: ids },
    });
    return res.migration_tasks;
  }

  /**
   * Restarts several online migration tasks (sent once, like {@link DcsClient.stopTask}); per-task
   * failures are returned, not thrown.
   */
  async batchRestartTasks(ids: string[]): Promise<BatchTaskResult[]> {
    const res = await this.http.call(dcs.batchRestartOnlineMigrationTasks, {
      path: this.path(),
      body: { migration_tasks: ids },
      noRetry: true,
    });
    return res.migration_tasks;
  }

  /** Sets the reconnection mode, the only property UpdateMigrationTask changes. */
  async updateResumeMode(id: string, resumeMode: ResumeMode): Promise<void> {
    await this.http.call(dcs.updateMigrationTask, {
      path: this.path({ task_id: id }),
      body: { resume_mode: resumeMode },
    });
  }

  /** Starts the IP switch (sent once); poll the detail's `task_status` for `EXCHANGE_SUCCESS`. */
  async exchangeIp(id: string, body: ExchangeInstanceIpBody): Promise<void> {
    await this.http.call(dcs.exchangeInstanceIp, { path: this.path({ task_id: id }), body, noRetry: true });
  }

  /** Rolls the IP switch back (sent once); poll the detail's `task_status` for `ROLLBACK_SUCCESS`. */
  async rollbackIp(id: string): Promise<void> {
    await this.http.call(dcs.rollbackExchangeInstanceIp, { path: this.path({ task_id: id }), noRetry: true });
  }

  /**
   * Deletes tasks: a DELETE carrying a JSON body `{"task_id_list": [...]}`. Answers the ids the
   * service echoed (the request's ids when it echoed none). A deleted task leaves the list but
   * may keep answering its detail call; {@link DcsClient.findTask} accounts for that.
   */
  async deleteTasks(ids: string[]): Promise<string[]> {
    const res = await this.http.call(dcs.deleteMigrationTask, {
      path: this.path(),
      body: { task_id_list: ids },
    });
    return res?.task_id_list ?? ids;
  }

  private path(extra: Record<string, string> = {}): Record<string, string> {
    return { project_id: this.projectId, ...extra };
  }
}
