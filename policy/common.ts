/**
 * Helpers shared by the rules: type tokens, type filtering and reading inputs that may be
 * unknown during preview.
 *
 * @packageDocumentation
 */
import { UnknownValueError, type ResourceValidation } from "@pulumi/policy";

/** Type token of `huaweicloud.sms.MigrationTask` (a dynamic resource, module `huaweicloud/sms`). */
export const SMS_TASK_TYPE = "pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask";
/** Type token of `huaweicloud.dcs.MigrationTask`. */
export const DCS_TASK_TYPE = "pulumi-nodejs:dynamic/huaweicloud/dcs:MigrationTask";
/** Type token of `alicloud.mse.MigrationTask`. */
export const MSE_TASK_TYPE = "pulumi-nodejs:dynamic/alicloud/mse:MigrationTask";

/** Every migration task type this package defines. */
export const MIGRATION_TASK_TYPES: readonly string[] = [SMS_TASK_TYPE, DCS_TASK_TYPE, MSE_TASK_TYPE];

/**
 * Restricts a validation to one type token. Dynamic resource classes carry no `__pulumiType`, so
 * `validateResourceOfType` cannot filter them; attaching the token to the function lets the
 * policy server skip other types without calling it (and report the policy not applicable),
 * and the check inside keeps direct callers, such as unit tests, just as safe.
 */
export function forType(token: string, validate: ResourceValidation): ResourceValidation {
  const fn: ResourceValidation = (args, reportViolation) => {
    if (args.type !== token) {
      args.notApplicable(`Policy only applies to resources of type '${token}'`);
    }
    return validate(args, reportViolation);
  };
  return Object.assign(fn, { __pulumiType: token });
}

/** A property read that either produced a value or hit a value unknown during preview. */
export type Probe = { known: true; value: unknown } | { known: false; error: UnknownValueError };

/**
 * Reads one input, catching the error @pulumi/policy's proxy throws for a value unknown during
 * preview. Rules that can decide from any one of several inputs use it, so that one unknown
 * input does not hide a decision the known ones already make; a rule that cannot decide rethrows
 * the error, which the policy server turns into an advisory "can't run during preview" note.
 */
export function probe(props: Record<string, unknown>, key: string): Probe {
  try {
    return { known: true, value: props[key] };
  } catch (e) {
    if (e instanceof UnknownValueError) {
      return { known: false, error: e };
    }
    throw e;
  }
}

/** True for a string with something other than whitespace in it. */
export function isNonBlankString(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}
