/**
 * DCS error answers in the `{error_code, error_msg, error_ext_msg}` envelope of
 * docs/huawei-dcs.md. Codes marked [TF] are the ones Terraform's DCS resources react to; [INF] codes are the
 * emulator's own choice where no documented code is known (listed in emulator/README.md).
 */
import { ApiError } from "../../core/types";

/** `error_ext_msg` is documented as always present and null. */
const ext = { extra: { error_ext_msg: null } };

/** Errors the DCS module answers. */
export const dcsErrors = {
  /** [INF] 400: request query or body breaks the contract; the message names the field. */
  validation: (message: string) => new ApiError(400, "DCS.4000", `Invalid request: ${message}`, ext),
  /** [TF] 400 (sic): unknown or deleted migration task. */
  taskNotFound: (id: string) =>
    new ApiError(400, "DCS.4133", `The migration task does not exist: ${id}`, ext),
  /** [TF] 400: the task's current status does not allow the operation. */
  invalidStatus: (operation: string, status: string) =>
    new ApiError(
      400,
      "DCS.4026",
      `The current state does not support this operation: ${operation} is not allowed when the task is ${status}`,
      ext,
    ),
  /** [TF] 400: the migration ECS (or an instance) is still being created. */
  creating: () =>
    new ApiError(400, "DCS.4975", "The instance is being created or restarted. Try again later.", ext),
  /** [TF] 400: a Redis instance is not running. */
  instanceNotRunning: (id: string) =>
    new ApiError(400, "DCS.4049", `The instance is not running: ${id}`, ext),
  /** [INF] 400: a Redis instance id that does not exist in the project. */
  instanceNotFound: (id: string) => new ApiError(400, "DCS.4010", `The instance does not exist: ${id}`, ext),
  /** [INF] 400: source and target name the same Redis. */
  sameEndpoints: () =>
    new ApiError(
      400,
      "DCS.4011",
      "The source and target of a migration must be different Redis instances",
      ext,
    ),
  /** [INF] 403: the project id in the path is not the one the credential is scoped to. */
  projectMismatch: (pathProject: string) =>
    new ApiError(
      403,
      "APIGW.0302",
      `The IAM user is not authorized to access the API: project ${pathProject} is not the project of the credential`,
      { logDetail: "path project id differs from X-Project-Id or the token's project" },
    ),
  /** [DOC] 500 code of the service; also what an injected 500 answers. */
  internal: (message = "Internal service error") => new ApiError(500, "DCS.5000", message, ext),
};
