import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { ArgsOf } from "../../common/args";
import { taskRegistration } from "../../common/registration";
import { ThinProvider } from "../../common/thin";
import { mseObserved } from "../../outputs";
import type { MseTaskInputs } from "./schema";
import { mseFields } from "./schema";

// One instance: the SDK caches serialization per provider object.
const provider = new ThinProvider("alicloudMse");

/**
 * Arguments of {@link MigrationTask}: the fields of an MSE migration task (AddMigrationTask),
 * the `region` whose endpoint holds it, an optional `adoptTaskId`, and optional resource-level
 * `credentials` (always stored as a secret). Every field is validated at preview; see the README.
 */
export type MigrationTaskArgs = ArgsOf<z.input<typeof MseTaskInputs>>;

/**
 * An Alibaba Cloud MSE migration task (`AddMigrationTask`): the record that migrates a
 * self-managed Nacos, ZooKeeper or Eureka registry into an MSE instance. Every field but
 * `region` is updated in place.
 */
export class MigrationTask extends pulumi.dynamic.Resource {
  /** Cloud task id, a decimal string. */
  declare readonly taskId: pulumi.Output<string>;
  /** The Alibaba Cloud account (UID) that owns the task. */
  declare readonly userId: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string>;
  declare readonly clusterType: pulumi.Output<string>;
  declare readonly originInstanceName: pulumi.Output<string>;
  declare readonly originInstanceAddress: pulumi.Output<string>;
  /** Sorted: the namespaces are a set. */
  declare readonly originInstanceNamespaces: pulumi.Output<string[] | undefined>;
  declare readonly targetInstanceId: pulumi.Output<string>;
  declare readonly targetClusterName: pulumi.Output<string | undefined>;
  declare readonly targetClusterUrl: pulumi.Output<string | undefined>;
  declare readonly syncType: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  /** The adopted task id, as given. */
  declare readonly adoptTaskId: pulumi.Output<string | undefined>;
  /** Resource-level credentials, a secret. */
  declare readonly credentials: pulumi.Output<z.output<typeof MseTaskInputs>["credentials"]>;

  constructor(name: string, args: MigrationTaskArgs, opts?: pulumi.CustomResourceOptions) {
    const r = taskRegistration([...Object.keys(mseFields), ...Object.keys(mseObserved)], args, [], opts);
    super(provider, name, r.props, r.opts, "alicloud/mse", "MigrationTask");
  }
}
