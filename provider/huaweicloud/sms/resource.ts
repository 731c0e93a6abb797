import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf } from "../../common/args";
import { taskRegistration } from "../../common/registration";
import { ThinProvider } from "../../common/thin";
import type { SmsTaskInputs } from "./schema";

// One instance: the SDK caches serialization per provider object.
const provider = new ThinProvider("huaweicloudSms");

/**
 * Arguments of {@link MigrationTask}: the create (PostTask) and update (PutTaskReq) fields of a
 * Huawei Cloud SMS task, the declared lifecycle `state`, trigger-keyed `drills`, wait
 * `timeouts`, and optional resource-level `credentials` (always stored as a secret).
 * Every field is validated at preview; see the README for each field's rules.
 */
export type MigrationTaskArgs = ArgsOf<z.input<typeof SmsTaskInputs>>;

/** A sub-task of the migration as the cloud reports it. */
export interface SubTaskOutput {
  name: string;
  progress: number;
  startedAt?: string;
  finishedAt?: string;
}

/**
 * A Huawei Cloud SMS server migration task (`POST /v3/tasks`), converged by `pulumi up` to the
 * declared `state`: `ready`, `running`, `paused` or `cutover`.
 */
export class MigrationTask extends pulumi.dynamic.Resource {
  /** Cloud task id. */
  declare readonly taskId: pulumi.Output<string>;
  /** Observed task state (READY, RUNNING, SYNCING, MIGRATE_SUCCESS, ABORT, MIGRATE_FAIL, ...). */
  declare readonly status: pulumi.Output<string>;
  /** Overall progress, 0 to 100. */
  declare readonly progress: pulumi.Output<number>;
  declare readonly subTasks: pulumi.Output<SubTaskOutput[]>;
  /** Current migration speed in Mbit/s. */
  declare readonly migrateSpeedMbps: pulumi.Output<number | undefined>;
  declare readonly remainingSeconds: pulumi.Output<number | undefined>;
  declare readonly estimatedCompletionTime: pulumi.Output<string | undefined>;
  declare readonly totalTimeSeconds: pulumi.Output<number | undefined>;
  /** Source server state (replicate, syncing, stopped, finished, ...). */
  declare readonly sourceServerState: pulumi.Output<string | undefined>;
  /** Source server migration cycle (replicating, cutovering, cutovered, ...). */
  declare readonly migrationCycle: pulumi.Output<string | undefined>;
  declare readonly connected: pulumi.Output<boolean | undefined>;
  /** The ECS the data lands on (created by SMS when a template was given). */
  declare readonly targetVmId: pulumi.Output<string | undefined>;
  declare readonly cloneServer: pulumi.Output<
    { vmId?: string; name?: string; state?: string; error?: string } | undefined
  >;
  declare readonly networkCheck: pulumi.Output<Record<string, unknown> | undefined>;
  /** The cloud's error details (`error_json`) when the task failed. */
  declare readonly errorDetails: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly startedAt: pulumi.Output<string | undefined>;
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** The task passphrase, a secret. */
  declare readonly passphrase: pulumi.Output<string>;
  /** The declared lifecycle state, as given. */
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: MigrationTaskArgs, opts?: pulumi.CustomResourceOptions) {
    const r = taskRegistration(
      [
        "taskId",
        "status",
        "progress",
        "subTasks",
        "migrateSpeedMbps",
        "remainingSeconds",
        "estimatedCompletionTime",
        "totalTimeSeconds",
        "sourceServerState",
        "migrationCycle",
        "connected",
        "targetVmId",
        "cloneServer",
        "networkCheck",
        "errorDetails",
        "createdAt",
        "startedAt",
        "finishedAt",
        "passphrase",
      ],
      args,
      ["passphrase"],
      opts,
    );
    super(provider, name, r.props, r.opts, "huaweicloud/sms", "MigrationTask");
  }
}
