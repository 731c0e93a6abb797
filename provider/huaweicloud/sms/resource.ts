import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf } from "../../common/args";
import { taskRegistration } from "../../common/registration";
import { ThinProvider } from "../../common/thin";
import { smsObserved } from "../../outputs";
import type { SmsTaskInputs } from "./schema";
import { smsFields } from "./schema";

/** The validated inputs, which the task echoes in its outputs. */
type In = z.output<typeof SmsTaskInputs>;

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
  declare readonly state: pulumi.Output<In["state"]>;
  // The inputs, echoed: after a refresh, the read-back ones hold what the cloud reports.
  declare readonly name: pulumi.Output<In["name"]>;
  declare readonly type: pulumi.Output<In["type"]>;
  declare readonly osType: pulumi.Output<In["osType"]>;
  declare readonly sourceServerId: pulumi.Output<In["sourceServerId"]>;
  declare readonly target: pulumi.Output<In["target"]>;
  declare readonly region: pulumi.Output<In["region"]>;
  declare readonly projectId: pulumi.Output<In["projectId"]>;
  /** The project name; the region when not declared. */
  declare readonly projectName: pulumi.Output<In["projectName"]>;
  /** Bandwidth limit in Mbit/s; 0 (no limit) when not declared. */
  declare readonly speedLimitMbps: pulumi.Output<In["speedLimitMbps"]>;
  declare readonly speedLimits: pulumi.Output<In["speedLimits"]>;
  declare readonly configurations: pulumi.Output<In["configurations"]>;
  declare readonly migrationIp: pulumi.Output<In["migrationIp"]>;
  declare readonly useIpv6: pulumi.Output<In["useIpv6"]>;
  declare readonly usePublicIp: pulumi.Output<In["usePublicIp"]>;
  declare readonly startTargetServer: pulumi.Output<In["startTargetServer"]>;
  declare readonly syncing: pulumi.Output<In["syncing"]>;
  declare readonly priority: pulumi.Output<In["priority"]>;
  declare readonly overSpeedThreshold: pulumi.Output<In["overSpeedThreshold"]>;
  declare readonly startNetworkCheck: pulumi.Output<In["startNetworkCheck"]>;
  declare readonly isNeedConsistencyCheck: pulumi.Output<In["isNeedConsistencyCheck"]>;
  declare readonly needMigrationTest: pulumi.Output<In["needMigrationTest"]>;
  declare readonly cloneVmTemplateId: pulumi.Output<In["cloneVmTemplateId"]>;
  declare readonly enterpriseProjectId: pulumi.Output<In["enterpriseProjectId"]>;
  declare readonly cutoverApproval: pulumi.Output<In["cutoverApproval"]>;
  declare readonly drills: pulumi.Output<In["drills"]>;
  declare readonly drillTemplateId: pulumi.Output<In["drillTemplateId"]>;
  declare readonly switchHce: pulumi.Output<In["switchHce"]>;
  declare readonly adoptTaskId: pulumi.Output<In["adoptTaskId"]>;
  declare readonly timeouts: pulumi.Output<In["timeouts"]>;
  /** Resource-level credentials, a secret. */
  declare readonly credentials: pulumi.Output<In["credentials"]>;

  constructor(name: string, args: MigrationTaskArgs, opts?: pulumi.CustomResourceOptions) {
    const r = taskRegistration(
      [...Object.keys(smsFields), ...Object.keys(smsObserved)],
      args,
      ["passphrase"],
      opts,
    );
    super(provider, name, r.props, r.opts, "huaweicloud/sms", "MigrationTask");
  }
}
