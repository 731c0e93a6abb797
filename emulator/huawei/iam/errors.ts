/**
 * IAM answers its own failures in the Keystone shape `{"error":{"code","message","title"}}`
 * [INF: shape of Keystone v3; Huawei's exact messages not confirmed]. Gateway failures
 * (signature, token) keep the APIGW envelope of the dialect.
 */
import { ApiError } from "../../core/types";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
};

/** An IAM error in the Keystone envelope; `code` in the request log is the title. */
export function keystoneError(status: number, message: string): ApiError {
  const title = TITLES[status] ?? "Error";
  return new ApiError(status, title.replace(/ /g, ""), message, {
    body: { error: { code: status, message, title } },
  });
}

/** Errors IAM answers. */
export const iamErrors = {
  validation: (message: string) => keystoneError(400, `Invalid request: ${message}`),
  wrongPassword: () => keystoneError(401, "The username or password is wrong."),
  unsupportedMethod: (methods: string[]) =>
    keystoneError(400, `Unsupported identity methods: ${methods.join(", ")}; the emulator supports password`),
  projectNotFound: (what: string) => keystoneError(401, `Could not find project: ${what}.`),
  domainNotFound: (what: string) => keystoneError(401, `Could not find domain: ${what}.`),
  tokenRequired: () =>
    keystoneError(401, "The request you have made requires authentication: X-Auth-Token is required."),
  invalidToken: () => keystoneError(404, "Could not find token."),
  internal: (message: string) => keystoneError(500, message),
};
