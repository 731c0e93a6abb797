/**
 * DCS handlers and URL table: each contract of sdk/huawei/dcs/contract.ts bound to a handler that
 * checks the path's project against the credential, calls the backend, and renders the
 * documented shape.
 */
import type { HandlerOf, RestRoute } from "../../core/rest";
import { restRoute } from "../../core/rest";
import type { CallContext } from "../../core/types";
import { dcs } from "../../../sdk/huawei/dcs/contract";
import { dcsErrors } from "./errors";
import type { DcsBackend } from "./models";

interface Input {
  params: Record<string, string>;
  call: CallContext;
}

const now = (i: Input): number => i.call.now.getTime();

/**
 * The path's project id, once it is known to be the credential's: `X-Project-Id` for an AK/SK
 * call, the token's project for an IAM token (docs/huawei-dcs.md).
 */
function project(i: Input): string {
  const p = i.params.project_id;
  if (i.call.principal.projectId !== p) throw dcsErrors.projectMismatch(p);
  return p;
}

/** The handlers of every DCS route, over one backend. */
export function dcsHandlers(b: DcsBackend) {
  return {
    createOnlineMigrationTask: ((i) => {
      const { task, job } = b.createOnline(project(i), i.body, now(i));
      return { body: { instance_id: task.id, job_id: job.id } };
    }) satisfies HandlerOf<typeof dcs.createOnlineMigrationTask>,

    showJobInfo: ((i) => {
      const j = b.getJob(project(i), i.params.job_id);
      const status = b.jobStatus(j, now(i));
      const end = j.startedAt + b.durations.createEcs * 1000;
      return {
        body: {
          job_id: j.id,
          // [INF] The name of this job is undocumented (docs/huawei-dcs.md).
          job_type: "createMigrationEcs",
          status,
          begin_time: String(j.startedAt),
          end_time: status === "RUNNING" ? null : String(end),
          fail_reason: status === "FAIL" ? (j.failReason ?? null) : null,
        },
      };
    }) satisfies HandlerOf<typeof dcs.showJobInfo>,

    setOnlineMigrationTask: ((i) => {
      const t = b.configure(project(i), i.params.task_id, i.body, now(i));
      return { body: { id: t.id, name: t.name, status: b.statusOf(t) } };
    }) satisfies HandlerOf<typeof dcs.setOnlineMigrationTask>,

    createMigrationTask: ((i) => {
      const t = b.createBackupImport(project(i), i.body, now(i));
      return { body: { id: t.id, name: t.name, status: b.statusOf(t) } };
    }) satisfies HandlerOf<typeof dcs.createMigrationTask>,

    listMigrationTask: ((i) => {
      const { count, tasks } = b.listTasks(project(i), i.query, now(i));
      return { body: { count, migration_tasks: tasks.map((t) => b.renderListItem(t)) } };
    }) satisfies HandlerOf<typeof dcs.listMigrationTask>,

    showMigrationTask: ((i) => ({
      body: b.renderTask(b.getTaskOrGhost(project(i), i.params.task_id, now(i))),
    })) satisfies HandlerOf<typeof dcs.showMigrationTask>,

    stopMigrationTask: ((i) => ({
      body: b.renderTask(b.stop(project(i), i.params.task_id, now(i))),
    })) satisfies HandlerOf<typeof dcs.stopMigrationTask>,

    stopMigrationTaskSync: ((i) => {
      b.stop(project(i), i.params.task_id, now(i), true);
      return { body: {} };
    }) satisfies HandlerOf<typeof dcs.stopMigrationTaskSync>,

    batchStopMigrationTasks: ((i) => {
      const p = project(i);
      return {
        body: {
          migration_tasks: i.body.migration_tasks.map((id) => batchResult(id, () => b.stop(p, id, now(i)))),
        },
      };
    }) satisfies HandlerOf<typeof dcs.batchStopMigrationTasks>,

    batchRestartOnlineMigrationTasks: ((i) => {
      const p = project(i);
      return {
        body: {
          migration_tasks: i.body.migration_tasks.map((id) =>
            batchResult(id, () => b.restart(p, id, now(i))),
          ),
        },
      };
    }) satisfies HandlerOf<typeof dcs.batchRestartOnlineMigrationTasks>,

    deleteMigrationTask: ((i) => ({
      body: { task_id_list: b.deleteTasks(project(i), i.body.task_id_list, now(i)) },
    })) satisfies HandlerOf<typeof dcs.deleteMigrationTask>,

    updateMigrationTask: ((i) => {
      const mode = i.body.resume_mode;
      if (mode === undefined) b.getTask(project(i), i.params.task_id, now(i));
      else b.setResumeMode(project(i), i.params.task_id, mode, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof dcs.updateMigrationTask>,

    exchangeInstanceIp: ((i) => {
      b.exchangeIp(project(i), i.params.task_id, i.body.exchanged_ip, i.body.is_exchange_domain, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof dcs.exchangeInstanceIp>,

    rollbackExchangeInstanceIp: ((i) => {
      b.rollbackIp(project(i), i.params.task_id, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof dcs.rollbackExchangeInstanceIp>,

    showMigrationTaskStats: ((i) => ({
      body: b.renderStats(b.getTask(project(i), i.params.task_id, now(i)), now(i)),
    })) satisfies HandlerOf<typeof dcs.showMigrationTaskStats>,

    listMigrationTaskLogs: ((i) => {
      const logs = b.renderLogs(b.getTask(project(i), i.params.task_id, now(i)), i.query.log_level);
      const offset = i.query.offset ?? 0;
      const limit = i.query.limit ?? 10;
      return { body: { log_num: logs.length, migration_logs: logs.slice(offset, offset + limit) } };
    }) satisfies HandlerOf<typeof dcs.listMigrationTaskLogs>,
  };
}

/** One task's outcome in a batch call: failures are reported per task, not thrown. */
function batchResult(id: string, run: () => unknown) {
  try {
    run();
    return { result: "success" as const, task_id: id, error_code: null, error_msg: null };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code !== "string") throw e;
    return { result: "failed" as const, task_id: id, error_code: err.code, error_msg: err.message ?? null };
  }
}

/** Routes in match order (first match wins); the batch paths come before `{task_id}` ones. */
export function dcsRoutes(h: ReturnType<typeof dcsHandlers>): RestRoute[] {
  return [
    restRoute(dcs.batchStopMigrationTasks, h.batchStopMigrationTasks),
    restRoute(dcs.batchRestartOnlineMigrationTasks, h.batchRestartOnlineMigrationTasks),
    restRoute(dcs.deleteMigrationTask, h.deleteMigrationTask),
    restRoute(dcs.createOnlineMigrationTask, h.createOnlineMigrationTask),
    restRoute(dcs.showJobInfo, h.showJobInfo),
    restRoute(dcs.setOnlineMigrationTask, h.setOnlineMigrationTask),
    restRoute(dcs.createMigrationTask, h.createMigrationTask),
    restRoute(dcs.listMigrationTask, h.listMigrationTask),
    restRoute(dcs.showMigrationTask, h.showMigrationTask),
    restRoute(dcs.stopMigrationTask, h.stopMigrationTask),
    restRoute(dcs.stopMigrationTaskSync, h.stopMigrationTaskSync),
    restRoute(dcs.updateMigrationTask, h.updateMigrationTask),
    restRoute(dcs.exchangeInstanceIp, h.exchangeInstanceIp),
    restRoute(dcs.rollbackExchangeInstanceIp, h.rollbackExchangeInstanceIp),
    restRoute(dcs.showMigrationTaskStats, h.showMigrationTaskStats),
    restRoute(dcs.listMigrationTaskLogs, h.listMigrationTaskLogs),
  ];
}
