/**
 * Rule shared by every migration task: credentials belong in stack configuration.
 *
 * @packageDocumentation
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { MIGRATION_TASK_TYPES, MSE_TASK_TYPE, probe } from "./common";

/** Name of the rule that flags credentials passed as a resource argument. */
export const MIGRATION_TASK_INLINE_CREDENTIALS = "migration-task-inline-credentials";

/**
 * `migration-task-inline-credentials` (advisory): flags a task that passes `credentials` as a
 * resource argument. The resource keeps them secret, but they are still stored with every task
 * in the state and copied from program to program, while stack configuration (or the
 * environment) keeps one place to rotate them. The check only looks at whether `credentials` is
 * present: the policy receives secrets in plaintext, and no part of them may reach a message.
 */
export const migrationTaskInlineCredentials: ResourceValidationPolicy = {
  name: MIGRATION_TASK_INLINE_CREDENTIALS,
  displayName: "Migration task credentials in stack configuration",
  description:
    "A migration task should take its cloud credentials from stack configuration, not a resource argument.",
  enforcementLevel: "advisory",
  severity: "low",
  remediationSteps:
    "Remove credentials from the resource and set the provider's access key and secret key in " +
    "stack configuration with `pulumi config set --secret`.",
  validateResource: (args, reportViolation) => {
    if (!MIGRATION_TASK_TYPES.includes(args.type)) {
      args.notApplicable("Policy only applies to migration tasks");
    }
    // Credentials computed from another resource are unknown during preview, yet still inline.
    const credentials = probe(args.props, "credentials");
    if (credentials.known && (credentials.value === undefined || credentials.value === null)) {
      return;
    }
    const ns = args.type === MSE_TASK_TYPE ? "alicloud" : "huaweicloud";
    reportViolation(
      "The task passes credentials as a resource argument (in a migration file, a credentials field, " +
        "even one that references stack config). They are stored (encrypted) with the task in the " +
        "stack state and must be repeated for every task; set " +
        `${ns}:accessKey and ${ns}:secretKey in stack configuration instead, which every task reads ` +
        `(pulumi config set --secret ${ns}:secretKey).`,
    );
  },
};
