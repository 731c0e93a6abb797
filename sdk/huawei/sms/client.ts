/** Typed client of Huawei Cloud SMS v3, built on the shared contracts. */
import type { z } from "zod";
import { CloudError } from "../../core/errors";
import { paginate } from "../../core/paginate";
import { lostCreateError } from "../../core/lost-create";
import { isThrottling } from "../../core/limiter";
import { retryDelay } from "../../core/retry";
import type { HuaweiClient } from "../client";
import { isHuaweiNotFound } from "../client";
import type {
  ConfigBody,
  PostTask,
  PutTaskReq,
  SourceServer,
  SpeedLimitItem,
  Task,
  TaskListItem,
  UpdateTaskStatusReq,
} from "./contract";
import { sms } from "./contract";

/** Filters of {@link SmsClient.listTasks}. */
export type ListTasksFilter = Omit<z.input<typeof sms.listTasks.query>, "limit" | "offset">;

/** Result of {@link SmsClient.createTask}. */
export interface CreateTaskResult {
  id: string;
  /** True when the create response was lost and the task was found by name instead. */
  recovered: boolean;
}

/** The SMS operations the provider and the tests use. */
export class SmsClient {
  constructor(readonly http: HuaweiClient) {}

  /**
   * Creates a task. A create is never retried blindly: when the answer is lost (connection
   * dropped, 5xx) the task may exist already, so the client first looks it up by name and
   * source server, and only creates again when it is not there. Throttling (429) means the
   * gateway refused the call before it took effect, so that is retried directly.
   */
  async createTask(body: PostTask, opts: { log?: (m: string) => void } = {}): Promise<CreateTaskResult> {
    const retry = this.http.retryOptions();
    const clock = this.http.clock;
    const started = clock.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.http.call(sms.createTask, { body, noRetry: true });
        return { id: res.id, recovered: false };
      } catch (e) {
        if (!CloudError.isInstance(e) || !e.retryable) throw e;
        let failure = e;
        if (!isThrottling(e) && e.code !== "ECONNREFUSED" && e.code !== "ECONNECTTIMEOUT") {
          let found: TaskListItem | undefined;
          try {
            found = await this.findTaskByName(body.name, body.source_server.id);
          } catch (lookupError) {
            throw lostCreateError(e, attempt, sms.listTasks.name, lookupError);
          }
          if (found) {
            opts.log?.(`create of task ${body.name} lost its answer; found it as ${found.id}`);
            return { id: found.id, recovered: true };
          }
          failure = lostCreateError(e, attempt, sms.listTasks.name);
        }
        const delay = retryDelay(e, attempt, clock.now() - started, clock.now(), retry);
        if (delay === undefined)
          throw attempt > 1 || failure !== e ? CloudError.withAttempts(failure, attempt) : e;
        opts.log?.(`retrying CreateTask in ${delay} ms after ${e.code ?? e.httpStatus}`);
        await clock.sleep(delay);
      }
    }
  }

  /** The task with this exact name on this source server, if any. */
  async findTaskByName(name: string, sourceServerId: string): Promise<TaskListItem | undefined> {
    for await (const t of this.listTasks({ name, source_server_id: sourceServerId })) {
      if (t.name === name && (t.source_server?.id ?? sourceServerId) === sourceServerId) return t;
    }
    return undefined;
  }

  /** Every task matching the filter, fetched page by page as the caller iterates. */
  listTasks(filter: ListTasksFilter = {}, pageSize = 100): AsyncGenerator<TaskListItem, void, undefined> {
    return paginate(async (offset, limit) => {
      const res = await this.http.call(sms.listTasks, { query: { ...filter, offset, limit } });
      return { items: res.tasks, total: res.count };
    }, pageSize);
  }

  showTask(id: string): Promise<Task> {
    return this.http.call(sms.showTask, { path: { task_id: id } });
  }

  /** The task, or undefined when the service answers 404. */
  async findTask(id: string): Promise<Task | undefined> {
    try {
      return await this.showTask(id);
    } catch (e) {
      if (isHuaweiNotFound(e, "sms")) return undefined;
      throw e;
    }
  }

  async updateTask(id: string, body: PutTaskReq): Promise<void> {
    await this.http.call(sms.updateTask, { path: { task_id: id }, body });
  }

  /**
   * Sends one action. Not retried here: an action whose answer was lost may have taken effect,
   * and sending it again is refused (SMS.1038/1039), so callers re-read the task instead.
   */
  async action(id: string, body: UpdateTaskStatusReq): Promise<void> {
    await this.http.call(sms.updateTaskStatus, { path: { task_id: id }, body, noRetry: true });
  }

  async deleteTask(id: string): Promise<void> {
    await this.http.call(sms.deleteTask, { path: { task_id: id } });
  }

  async getSpeedLimits(id: string): Promise<SpeedLimitItem[]> {
    return (await this.http.call(sms.showSpeedLimits, { path: { task_id: id } })).speed_limit;
  }

  async setSpeedLimits(id: string, items: SpeedLimitItem[]): Promise<void> {
    await this.http.call(sms.updateSpeed, { path: { task_id: id }, body: { speed_limit: items } });
  }

  async getConfigurations(id: string): Promise<ConfigBody[]> {
    return (await this.http.call(sms.showConfigSetting, { path: { task_id: id }, query: {} })).configurations;
  }

  async setConfigurations(id: string, configurations: ConfigBody[]): Promise<void> {
    await this.http.call(sms.uploadSpecialConfigurationSetting, {
      path: { task_id: id },
      body: { configurations },
    });
  }

  async passphrase(id: string): Promise<string> {
    return (await this.http.call(sms.showPassphrase, { path: { task_id: id } })).passphrase;
  }

  showServer(id: string): Promise<SourceServer> {
    return this.http.call(sms.showServer, { path: { source_id: id } });
  }

  listServers(
    filter: { name?: string; state?: SourceServer["state"] } = {},
    pageSize = 100,
  ): AsyncGenerator<SourceServer> {
    return paginate(async (offset, limit) => {
      const res = await this.http.call(sms.listServers, {
        query: { ...filter, state: filter.state ?? undefined, offset, limit },
      });
      return { items: res.source_servers, total: res.count };
    }, pageSize);
  }
}
