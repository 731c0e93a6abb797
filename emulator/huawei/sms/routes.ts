/** The SMS URL table: each contract of sdk/huawei/sms/contract.ts bound to its handler. */
import type { RestRoute } from "../../core/rest";
import { restRoute } from "../../core/rest";
import { sms } from "../../../sdk/huawei/sms/contract";
import { deleteTasks } from "./contract-extra";
import type { smsHandlers } from "./handlers";

/** Routes in match order (first match wins). */
export function smsRoutes(h: ReturnType<typeof smsHandlers>): RestRoute[] {
  return [
    restRoute(sms.createTask, h.createTask),
    restRoute(sms.listTasks, h.listTasks),
    restRoute(deleteTasks, h.deleteTasks),
    restRoute(sms.showTask, h.showTask),
    restRoute(sms.updateTask, h.updateTask),
    restRoute(sms.deleteTask, h.deleteTask),
    restRoute(sms.updateTaskStatus, h.updateTaskStatus),
    restRoute(sms.showSpeedLimits, h.showSpeedLimits),
    restRoute(sms.updateSpeed, h.updateSpeed),
    restRoute(sms.showConfigSetting, h.showConfigSetting),
    restRoute(sms.uploadSpecialConfigurationSetting, h.uploadSpecialConfigurationSetting),
    restRoute(sms.showPassphrase, h.showPassphrase),
    restRoute(sms.showServer, h.showServer),
    restRoute(sms.listServers, h.listServers),
  ];
}
