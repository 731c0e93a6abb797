/** Typed client of the Alibaba Cloud MSE migration-task API, built on the shared contracts. */
import { CloudError } from "../../core/errors";
import { lostCreateError } from "../../core/lost-create";
import { retryDelay } from "../../core/retry";
import type { AlicloudClientOptions } from "../client";
import { AlicloudRpcClient, isAlicloudThrottling } from "../client";
import type { AlicloudSettings } from "../credentials";
import type {
  AddMigrationTaskData,
  AddMigrationTaskRequest,
  DeleteMigrationTaskRequest,
  ListMigrationTaskRequest,
  MigrationTask,
  MigrationTaskListItem,
  UpdateMigrationTaskRequest,
} from "./contract";
import { mse } from "./contract";

/**
 * The page size lists ask for: the most one ListMigrationTask page holds. The API reference gives
 * no maximum for this call; 100 is the ceiling MSE's list calls share, and the paging follows
 * the `PageSize` the service answers, so a lower cap costs pages, never tasks.
 */
export const MSE_LIST_PAGE_SIZE = 100;

/** Filters of {@link MseClient.listMigrationTasks}; paging is the client's. */
export type ListMigrationTasksFilter = Omit<ListMigrationTaskRequest, "PageNum" | "PageSize">;

/** Result of {@link MseClient.addMigrationTask}. */
export interface AddMigrationTaskResult {
  /** The new task's id, a decimal string. */
  id: string;
  /** The service's answer; absent when the task was recovered by a lookup. */
  data?: AddMigrationTaskData;
  /** True when the create's answer was lost and the task was found by listing instead. */
  recovered: boolean;
}

/** The fields of a task a create sets, compared to recognise a task whose create answer was lost. */
const IDENTIFYING_FIELDS = [
  "ClusterType",
  "OriginInstanceAddress",
  "OriginInstanceName",
  "OriginInstanceNamespace",
  "TargetInstanceId",
  "TargetClusterName",
  "TargetClusterUrl",
  "ProjectDesc",
  "SyncType",
] as const;

/**
 * True when the error says the task does not exist: MSE's `NotFound` (HTTP 404, or HTTP 200 with
 * `Success: false` and `HttpCode: "404"`). The gateway's `InvalidAction.NotFound` and
 * `InvalidAccessKeyId.NotFound` are 404s too, and mean something else.
 */
export function isMseNotFound(e: unknown): boolean {
  if (!CloudError.isInstance(e) || e.cloud !== "alicloud") return false;
  return e.code === "NotFound";
}

/** The MSE migration-task operations the provider and the tests use. */
export class MseClient {
  constructor(readonly http: AlicloudRpcClient) {}

  /** A client for the settings' region and MSE endpoint override. */
  static fromSettings(settings: AlicloudSettings, opts: AlicloudClientOptions = {}): MseClient {
    return new MseClient(new AlicloudRpcClient("mse", settings, opts));
  }

  /**
   * Creates a task. A create is never retried blindly: when its answer is lost (connection reset,
   * timeout, 5xx) the task may exist already, so the client first lists tasks with the same
   * source instance name and takes one whose fields all equal the request's (the newest, if
   * several), and creates again only when there is none. Throttling means the gateway refused
   * the call before it took effect, so that is retried directly.
   */
  async addMigrationTask(params: AddMigrationTaskRequest): Promise<AddMigrationTaskResult> {
    const opts = this.http.retryOptions();
    const clock = this.http.clock;
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.http.call(mse.addMigrationTask, params, { noRetry: true });
        return { id: res.Data.Id, data: res.Data, recovered: false };
      } catch (e) {
        if (!CloudError.isInstance(e) || !e.retryable) throw e;
        const refusedBeforeApplied =
          isAlicloudThrottling(e.code) || e.code === "ECONNREFUSED" || e.code === "ECONNECTTIMEOUT";
        let failure = e;
        if (!refusedBeforeApplied) {
          let found: MigrationTaskListItem | undefined;
          try {
            found = await this.findSameTask(params);
          } catch (lookupError) {
            throw lostCreateError(e, attempt, mse.listMigrationTask.name, lookupError);
          }
          if (found) {
            this.http.log(
              `AddMigrationTask lost its answer (${e.code ?? e.httpStatus}); found the task as ${found.Id}`,
            );
            return { id: String(found.Id), recovered: true };
          }
          failure = lostCreateError(e, attempt, mse.listMigrationTask.name);
        }
        const delay = retryDelay(e, attempt, clock.now() - started, clock.now(), opts);
        if (delay === undefined)
          throw attempt > 1 || failure !== e ? CloudError.withAttempts(failure, attempt) : e;
        this.http.log(
          `retrying mse AddMigrationTask (attempt ${attempt + 1}) in ${delay} ms after ${e.code ?? e.httpStatus}`,
        );
        await clock.sleep(delay);
      }
    }
  }

  /** The newest task whose create-time fields equal `params`, if any. */
  private async findSameTask(params: AddMigrationTaskRequest): Promise<MigrationTaskListItem | undefined> {
    // With nothing to compare, any task would match; creating again is the lesser harm.
    if (!IDENTIFYING_FIELDS.some((f) => params[f] !== undefined)) return undefined;
    const norm = (v: string | null | undefined) => v ?? "";
    let best: MigrationTaskListItem | undefined;
    const filter = params.OriginInstanceName ? { OriginInstanceName: params.OriginInstanceName } : {};
    for await (const t of this.listMigrationTasks(filter)) {
      const same = IDENTIFYING_FIELDS.every((f) => params[f] === undefined || norm(params[f]) === norm(t[f]));
      if (same && (!best || t.Id > best.Id)) best = t;
    }
    return best;
  }

  /** Replaces the given fields of task `id`; answers the task as it is now. */
  async updateMigrationTask(
    id: string,
    params: Omit<UpdateMigrationTaskRequest, "Id">,
  ): Promise<MigrationTask> {
    const res = await this.http.call(mse.updateMigrationTask, { ...params, Id: id });
    return res.Data;
  }

  /**
   * Deletes task `id`; answers the service's `Data` (true). A task already gone raises a
   * CloudError that {@link isMseNotFound} recognises.
   */
  async deleteMigrationTask(
    id: string,
    params: Omit<DeleteMigrationTaskRequest, "Id"> = {},
  ): Promise<boolean> {
    const res = await this.http.call(mse.deleteMigrationTask, { ...params, Id: id });
    return res.Data;
  }

  /**
   * Every task matching the filter, fetched page by page (`PageNum` from 1) as the caller
   * iterates. Paging stops on an empty page or once `TotalCount` items were seen, not on a short
   * page: a service that caps `PageSize` below the one asked for would otherwise end the
   * listing early, and a task missing from the list reads as deleted.
   */
  async *listMigrationTasks(
    filter: ListMigrationTasksFilter = {},
    pageSize = MSE_LIST_PAGE_SIZE,
  ): AsyncGenerator<MigrationTaskListItem, void, undefined> {
    let seen = 0;
    for (let page = 1; ; page++) {
      const res = await this.http.call(mse.listMigrationTask, {
        ...filter,
        PageNum: page,
        PageSize: pageSize,
      });
      const items = res.Data ?? [];
      for (const item of items) yield item;
      seen += items.length;
      if (items.length === 0) return;
      if (typeof res.TotalCount === "number") {
        if (seen >= res.TotalCount) return;
      } else if (items.length < (res.PageSize ?? pageSize)) return;
    }
  }

  /**
   * The task with this id, or undefined when the list does not have it (MSE has no call that
   * reads one task). `originInstanceName` narrows the listing when the caller knows it.
   */
  async findMigrationTask(
    id: string | number,
    opts: { originInstanceName?: string } = {},
  ): Promise<MigrationTaskListItem | undefined> {
    const want = String(id);
    const filter = opts.originInstanceName ? { OriginInstanceName: opts.originInstanceName } : {};
    for await (const t of this.listMigrationTasks(filter)) {
      if (String(t.Id) === want) return t;
    }
    return undefined;
  }
}
