import { CloudError } from "./errors";

/**
 * The error of a create whose answer was lost and whose task a lookup did not find: it names
 * the create (the call that failed), not the lookup, and says what the lookup found, so the
 * user knows no task was left behind as far as the service would tell.
 *
 * @param e - the create's last failure.
 * @param attempts - attempts of the create made so far.
 * @param lookup - the operation that looked for the task (`ListMigrationTask`).
 * @param lookupError - the lookup's own failure, when it could not run to the end.
 */
export function lostCreateError(
  e: CloudError,
  attempts: number,
  lookup: string,
  lookupError?: unknown,
): CloudError {
  const after =
    lookupError === undefined
      ? `; the lookup by ${lookup} found no task created by it`
      : `; the lookup by ${lookup} for a task created by it failed too: ${
          CloudError.isInstance(lookupError)
            ? `${lookupError.code ?? `HTTP ${lookupError.httpStatus ?? "?"}`}: ${lookupError.detail}`
            : lookupError instanceof Error
              ? lookupError.message
              : String(lookupError)
        }`;
  return new CloudError({ ...e.toInit(), detail: e.detail + after, attempts, retryable: false });
}
