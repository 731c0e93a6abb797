import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf } from "../../common/args";
import { taskRegistration } from "../../common/registration";
import { ThinProvider } from "../../common/thin";
import { dcsObserved } from "../../outputs";
import type { DcsTaskInputs } from "./schema";
import { dcsFields } from "./schema";

/** The validated inputs, which the task echoes in its outputs. */
type In = z.output<typeof DcsTaskInputs>;

// One instance: the SDK caches serialization per provider object.
const provider = new ThinProvider("huaweicloudDcs");

type Inputs = z.input<typeof DcsTaskInputs>;

/** One Redis end as users write it: a DCS instance id or an `ip:port`, and its password. */
export interface EndpointArgs {
  /** A DCS Redis instance in the project. Set this or `address`. */
  instanceId?: pulumi.Input<string>;
  /** `ip:port` of any Redis reachable from the migration ECS. Set this or `instanceId`. */
  address?: pulumi.Input<string>;
  /** The Redis password; always stored as a secret and sent only to the configure call. */
  password?: pulumi.Input<string>;
}

/**
 * Arguments of {@link MigrationTask}. `kind: "online"` migrates from a live Redis (`source`,
 * `network` for the migration ECS, `migrationMethod`, `resumeMode`, `bandwidthLimitMb`);
 * `kind: "backup"` imports `backupFiles` from an OBS bucket or a backup record. Both name a
 * `target`, a declared `state` (`running` or `stopped`) and optional wait `timeouts`. Every field
 * is validated at preview; see the README for each field's rules.
 */
export type MigrationTaskArgs = ArgsOf<
  Omit<Inputs, "source" | "target" | "sourcePassword" | "targetPassword">
> & {
  source?: pulumi.Input<EndpointArgs>;
  target: pulumi.Input<EndpointArgs>;
};

/**
 * Splits an endpoint into its address part and its password, keeping the address in the clear:
 * a plain object is split directly; an endpoint that is itself an Output is split with `apply`,
 * which makes its address secret too if the password was (Pulumi cannot do better there).
 */
function splitEndpoint(e: pulumi.Input<EndpointArgs> | undefined): {
  endpoint: pulumi.Input<unknown> | undefined;
  password: pulumi.Output<string> | undefined;
} {
  if (e === undefined) return { endpoint: undefined, password: undefined };
  if (!pulumi.Output.isInstance(e) && !(e instanceof Promise)) {
    const { password, ...rest } = e as EndpointArgs;
    return { endpoint: rest, password: password === undefined ? undefined : pulumi.secret(password) };
  }
  const o = pulumi.output(e);
  return {
    endpoint: o.apply(({ password: _p, ...rest }) => rest),
    password: pulumi.secret(o.apply((x) => x.password ?? "")),
  };
}

/**
 * A Huawei Cloud DCS data-migration task (online migration or backup-file import), converged by
 * `pulumi up` to the declared `state` (`running` or `stopped`) and IP switch.
 */
export class MigrationTask extends pulumi.dynamic.Resource {
  /** Cloud task id (for an online migration, also the migration ECS id). */
  declare readonly taskId: pulumi.Output<string>;
  /** Observed status: RUNNING (waiting to be configured), FULLMIGRATING, INCRMIGEATING, SUCCESS, TERMINATED, MIGRATION_FAILED, ... */
  declare readonly status: pulumi.Output<string>;
  /** Full-migration progress, 0 to 100. */
  declare readonly progress: pulumi.Output<number>;
  /** IP-switch sub-status: EXCHANGING, EXCHANGE_SUCCESS, ROLLBACK_SUCCESS, ... */
  declare readonly ipSwitchStatus: pulumi.Output<string | undefined>;
  /** Private address of the migration ECS, to allow in both Redis whitelists. */
  declare readonly ecsAddress: pulumi.Output<string | undefined>;
  /** The cloud's error message when the task failed. */
  declare readonly errorMessage: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  /** When the migration ECS was released. */
  declare readonly releasedAt: pulumi.Output<string | undefined>;
  /** Keys in the source and in the target, from the migration stats. */
  declare readonly sourceKeys: pulumi.Output<number | undefined>;
  declare readonly targetKeys: pulumi.Output<number | undefined>;
  /** True when a reconfiguration was recorded while the task was declared stopped. */
  declare readonly pendingReconfigure: pulumi.Output<boolean | undefined>;
  /** The declared lifecycle state, as given. */
  declare readonly state: pulumi.Output<In["state"]>;
  /** The source password, a secret. */
  declare readonly sourcePassword: pulumi.Output<string | undefined>;
  /** The target password, a secret. */
  declare readonly targetPassword: pulumi.Output<string | undefined>;
  // The inputs, echoed (the endpoints without their passwords): after a refresh, the read-back
  // ones hold what the cloud reports.
  declare readonly kind: pulumi.Output<In["kind"]>;
  declare readonly name: pulumi.Output<In["name"]>;
  declare readonly description: pulumi.Output<In["description"]>;
  declare readonly region: pulumi.Output<In["region"]>;
  declare readonly projectId: pulumi.Output<In["projectId"]>;
  declare readonly network: pulumi.Output<In["network"]>;
  declare readonly migrationMethod: pulumi.Output<In["migrationMethod"]>;
  declare readonly resumeMode: pulumi.Output<In["resumeMode"]>;
  declare readonly bandwidthLimitMb: pulumi.Output<In["bandwidthLimitMb"]>;
  declare readonly source: pulumi.Output<In["source"]>;
  declare readonly target: pulumi.Output<In["target"]>;
  declare readonly backupFiles: pulumi.Output<In["backupFiles"]>;
  declare readonly ipSwitch: pulumi.Output<In["ipSwitch"]>;
  declare readonly adoptTaskId: pulumi.Output<In["adoptTaskId"]>;
  declare readonly timeouts: pulumi.Output<In["timeouts"]>;
  /** Resource-level credentials, a secret. */
  declare readonly credentials: pulumi.Output<In["credentials"]>;

  constructor(name: string, args: MigrationTaskArgs, opts?: pulumi.CustomResourceOptions) {
    const source = splitEndpoint(args.source);
    const target = splitEndpoint(args.target);
    const r = taskRegistration(
      [...Object.keys(dcsFields), ...Object.keys(dcsObserved)],
      {
        ...args,
        source: source.endpoint,
        target: target.endpoint,
        sourcePassword: source.password,
        targetPassword: target.password,
      },
      ["sourcePassword", "targetPassword"],
      opts,
    );
    super(provider, name, r.props, r.opts, "huaweicloud/dcs", "MigrationTask");
  }
}
