/**
 * The observed outputs of each kind as zod schemas: the package schema and the resource classes
 * declare these beside the inputs (which every kind echoes in its outputs). Each table is typed
 * against the implementation's `*Observed` interface, so an output added there and not here
 * fails type checking.
 */
import { z } from "zod";
import type { MseTaskObserved } from "./alicloud/mse/schema";
import type { DcsTaskObserved } from "./huaweicloud/dcs/schema";
import type { SmsTaskObserved } from "./huaweicloud/sms/schema";

/** One zod schema per observed output; optional ones may be absent from the outputs. */
export type ObservedTable<T> = { readonly [K in keyof Required<T>]: z.ZodType };

const iso = (what: string) => z.string().describe(`${what} (ISO 8601)`).optional();

/** Observed outputs of `huaweicloud.sms.MigrationTask`. */
export const smsObserved = {
  taskId: z.string().describe("Cloud task id."),
  status: z
    .string()
    .describe(
      "The task state the cloud reports: READY, RUNNING, SYNCING, MIGRATE_SUCCESS, ABORT, MIGRATE_FAIL, ...",
    ),
  progress: z.number().describe("Overall progress, 0 to 100."),
  subTasks: z
    .array(
      z
        .object({
          name: z.string().describe("Sub-task name."),
          progress: z.number().describe("Sub-task progress, 0 to 100."),
          startedAt: iso("When the sub-task started"),
          finishedAt: iso("When the sub-task finished"),
        })
        .describe("A sub-task of the migration as the cloud reports it."),
    )
    .describe("The migration's sub-tasks."),
  migrateSpeedMbps: z.number().describe("Current migration speed in Mbit/s.").optional(),
  remainingSeconds: z.number().describe("Estimated seconds left.").optional(),
  estimatedCompletionTime: iso("Estimated completion time"),
  totalTimeSeconds: z.number().describe("Seconds the migration has taken so far.").optional(),
  sourceServerState: z
    .string()
    .describe("Source server state (replicate, syncing, stopped, finished, ...).")
    .optional(),
  migrationCycle: z
    .string()
    .describe("Source server migration cycle (replicating, cutovering, cutovered, ...).")
    .optional(),
  connected: z.boolean().describe("Whether the SMS agent on the source is connected.").optional(),
  targetVmId: z.string().describe("The ECS the data lands on (created by SMS from a template).").optional(),
  cloneServer: z
    .object({
      vmId: z.string().describe("Id of the clone ECS.").optional(),
      name: z.string().describe("Name of the clone ECS.").optional(),
      state: z.string().describe("Clone state.").optional(),
      error: z.string().describe("Clone error, when the clone failed.").optional(),
    })
    .describe("The clone server of a test drill.")
    .optional(),
  networkCheck: z
    .record(z.string(), z.unknown())
    .describe("The cloud's network check results (`network_check_info`).")
    .optional(),
  errorDetails: z
    .string()
    .describe("The cloud's error details (`error_json`) when the task failed.")
    .optional(),
  createdAt: iso("When the task was created"),
  startedAt: iso("When the task last started"),
  finishedAt: iso("When the task finished"),
  passphrase: z.string().describe("The task passphrase (secret).").optional(),
} satisfies ObservedTable<SmsTaskObserved>;

/** Observed outputs of `huaweicloud.dcs.MigrationTask`. */
export const dcsObserved = {
  taskId: z.string().describe("Cloud task id (for an online migration, also the migration ECS id)."),
  status: z
    .string()
    .describe(
      "The task status the cloud reports: RUNNING (waiting to be configured), FULLMIGRATING, INCRMIGEATING, SUCCESS, TERMINATED, MIGRATION_FAILED, ...",
    ),
  progress: z.number().describe("Full-migration progress, 0 to 100."),
  ipSwitchStatus: z
    .string()
    .describe("IP-switch sub-status: EXCHANGING, EXCHANGE_SUCCESS, ROLLBACK_SUCCESS, ...")
    .optional(),
  ecsAddress: z
    .string()
    .describe("Private address of the migration ECS, to allow in both Redis whitelists.")
    .optional(),
  errorMessage: z.string().describe("The cloud's error message when the task failed.").optional(),
  createdAt: iso("When the task was created"),
  updatedAt: iso("When the task last changed"),
  releasedAt: iso("When the migration ECS was released"),
  sourceKeys: z.number().describe("Keys in the source, from the migration stats.").optional(),
  targetKeys: z.number().describe("Keys in the target, from the migration stats.").optional(),
  pendingReconfigure: z
    .boolean()
    .describe("True when a reconfiguration was recorded while the task was declared stopped.")
    .optional(),
} satisfies ObservedTable<DcsTaskObserved>;

/** Observed outputs of `alicloud.mse.MigrationTask`. */
export const mseObserved = {
  taskId: z.string().describe("Cloud task id, a decimal string."),
  userId: z.string().describe("The Alibaba Cloud account that owns the task.").optional(),
} satisfies ObservedTable<MseTaskObserved>;
