/**
 * SMS handlers: turn validated requests into backend calls and backend records into the
 * documented response shapes (moto's "responses" layer).
 */
import type { HandlerOf } from "../../core/rest";
import type { CallContext } from "../../core/types";
import type { sms } from "../../../sdk/huawei/sms/contract";
import type { deleteTasks } from "./contract-extra";
import { smsErrors } from "./errors";
import type { SmsBackend } from "./models";

const now = (i: { call: CallContext }): number => i.call.now.getTime();

/** A `true|false` query parameter, read from the raw query: z.coerce.boolean() would read "false" as true. */
function booleanFilter(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return v.toLowerCase() === "true";
}

/** The handlers of every SMS route, over one backend. */
export function smsHandlers(b: SmsBackend) {
  return {
    createTask: ((i) => ({ body: { id: b.createTask(i.body, now(i)).id } })) satisfies HandlerOf<
      typeof sms.createTask
    >,

    listTasks: ((i) => {
      const t = now(i);
      const { count, tasks } = b.listTasks(i.query, t);
      return { body: { count, tasks: tasks.map((x) => b.renderListItem(x, t)) } };
    }) satisfies HandlerOf<typeof sms.listTasks>,

    showTask: ((i) => ({
      body: b.renderTask(b.getTask(i.params.task_id, now(i)), now(i)),
    })) satisfies HandlerOf<typeof sms.showTask>,

    updateTask: ((i) => ({
      body: { id: b.updateTask(i.params.task_id, i.body, now(i)).id },
    })) satisfies HandlerOf<typeof sms.updateTask>,

    updateTaskStatus: ((i) => {
      b.action(i.params.task_id, i.body, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof sms.updateTaskStatus>,

    deleteTask: ((i) => {
      b.deleteTask(i.params.task_id, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof sms.deleteTask>,

    deleteTasks: ((i) => {
      b.deleteTasks(i.body.ids, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof deleteTasks>,

    showSpeedLimits: ((i) => ({
      body: { speed_limit: b.getTask(i.params.task_id, now(i)).speed_limits.map((x) => ({ ...x })) },
    })) satisfies HandlerOf<typeof sms.showSpeedLimits>,

    updateSpeed: ((i) => {
      b.setSpeedLimits(i.params.task_id, i.body.speed_limit, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof sms.updateSpeed>,

    showConfigSetting: ((i) => {
      const task = b.getTask(i.params.task_id, now(i));
      const key = i.query.config_key;
      return {
        body: {
          task_id: task.id,
          migrate_type: task.type,
          configurations: task.configurations
            .filter((c) => key === undefined || c.config_key === key)
            .map((c) => ({ ...c })),
        },
      };
    }) satisfies HandlerOf<typeof sms.showConfigSetting>,

    uploadSpecialConfigurationSetting: ((i) => {
      b.setConfigurations(i.params.task_id, i.body.configurations, now(i));
      return { body: {} };
    }) satisfies HandlerOf<typeof sms.uploadSpecialConfigurationSetting>,

    showPassphrase: ((i) => ({
      body: { task_id: i.params.task_id, passphrase: b.getTask(i.params.task_id, now(i)).passphrase },
    })) satisfies HandlerOf<typeof sms.showPassphrase>,

    showServer: ((i) => ({
      body: b.renderSource(b.getSource(i.params.source_id, now(i)), now(i)),
    })) satisfies HandlerOf<typeof sms.showServer>,

    listServers: ((i) => {
      const t = now(i);
      // Every documented filter is applied or refused by name; none is dropped.
      if (i.query.migproject !== undefined)
        throw smsErrors.validation(
          "migproject: filtering by migration project is not emulated (the emulator has no migration projects)",
        );
      const { count, sources } = b.listSources(
        {
          ...i.query,
          connected: booleanFilter(i.call.req.query, "connected"),
          is_consistency_result_exist: booleanFilter(i.call.req.query, "is_consistency_result_exist"),
        },
        t,
      );
      return {
        body: {
          count,
          source_servers: sources.map((s) => ({
            ...b.renderSource(s, t),
            is_consistency_result_exist: b.consistencyResultExists(s.id),
          })),
        },
      };
    }) satisfies HandlerOf<typeof sms.listServers>,
  };
}
