/**
 * SMS error answers. Codes marked [DOC] are from the SMS error-code tables (docs/huawei-sms.md);
 * [INF] codes are the emulator's own choice where no documented code is known, listed in the
 * README's coverage table.
 */
import { ApiError } from "../../core/types";

/** Errors the SMS module answers. */
export const smsErrors = {
  /** [INF] 400: request query or body breaks the contract; the message names the field. */
  validation: (message: string) => new ApiError(400, "SMS.1001", message),
  /** [INF] 404: unknown task id (Terraform relies on 404; the code is not confirmed). */
  taskNotFound: (id: string) => new ApiError(404, "SMS.2252", `The migration task does not exist: ${id}`),
  /** [INF] 404: unknown source server id. */
  sourceNotFound: (id: string) => new ApiError(404, "SMS.2253", `The source server does not exist: ${id}`),
  /** [DOC] 400: create with a source server that does not exist. */
  createSourceMissing: (id: string) =>
    new ApiError(
      400,
      "SMS.2216",
      `Failed to create the migration task. The specified source server does not exist: ${id}`,
    ),
  /** [INF] 400: the source server's Agent is not connected. */
  agentDisconnected: (id: string) =>
    new ApiError(400, "SMS.2217", `The Agent on source server ${id} is not connected to SMS`),
  /** [INF] 400: a source server may have only one migration task. */
  sourceHasTask: (sourceId: string, taskId: string) =>
    new ApiError(400, "SMS.2218", `The source server ${sourceId} already has a migration task: ${taskId}`),
  /** [INF] 400: the target server (ECS) does not exist. */
  targetNotFound: (vmId: string) =>
    new ApiError(400, "SMS.2219", `The target server does not exist: ${vmId}`),
  /** [INF] 400: the VM template does not exist. */
  templateNotFound: (id: string) => new ApiError(400, "SMS.2220", `The template does not exist: ${id}`),
  /** [INF] 400: the target server is already the target of another task. */
  targetInUse: (vmId: string, taskId: string) =>
    new ApiError(400, "SMS.2221", `The target server ${vmId} is already used by migration task ${taskId}`),
  /** [DOC] 400: stop in a state that cannot be paused. */
  cannotPause: () =>
    new ApiError(400, "SMS.1038", "Only the tasks that are created or monitored can be paused"),
  /** [DOC] 400: start in a state other than READY or ABORT. */
  cannotResume: () => new ApiError(400, "SMS.1039", "Only paused tasks can be resumed"),
  /** [DOC] 400: restart of a task that has not failed. */
  cannotRestart: () =>
    new ApiError(
      400,
      "SMS.1040",
      "Only migration tasks that fail to be created or migrated can be restarted",
    ),
  /** [DOC] 400: delete while the source server is busy. */
  cannotDelete: () => new ApiError(400, "SMS.2015", "Cannot delete running or stopping tasks"),
  /** [INF] 400: another operation not allowed in the task's current state. */
  invalidState: (operation: string, state: string) =>
    new ApiError(
      400,
      "SMS.1041",
      `The operation ${operation} is not allowed when the task state is ${state}`,
    ),
  /** [DOC] 401 (sic): a request body without Content-Type. */
  contentTypeMissing: () => new ApiError(401, "SMS.2005", "The request type Content-Type is not specified."),
  /** [DOC] 401 (sic): a request body that is not JSON. */
  contentTypeInvalid: () => new ApiError(401, "SMS.2006", "The request type must be application/json!"),
  /** [DOC] 500: backend exception (also what an injected 500 answers). */
  internal: (message = "Background exception") => new ApiError(500, "SMS.2007", message),
};
