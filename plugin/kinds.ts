/**
 * The three resource kinds as the provider plugin serves them: token, input schema, field table,
 * observed outputs and the runtime implementation. Everything here points at the definitions the
 * dynamic resources use; nothing is restated.
 */
import * as os from "node:os";
import type { z } from "zod";
import { resolveAlicloudSettings } from "../sdk/alibaba/credentials";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { stackConfig } from "../provider/config";
import { MseTaskInputs, mseFields } from "../provider/alicloud/mse/schema";
import {
  DcsDeclaredState,
  DcsTaskInputs,
  dcsFields,
  dcsSecretOutputs,
} from "../provider/huaweicloud/dcs/schema";
import {
  DeclaredState,
  SmsTaskInputs,
  smsFields,
  smsSecretOutputs,
} from "../provider/huaweicloud/sms/schema";
import type { FieldMeta } from "../provider/common/fields";
import type { ResourceImpl } from "../provider/runtime";
import { alicloudMse, huaweicloudDcs, huaweicloudSms } from "../provider/runtime";
import { dcsObserved, mseObserved, smsObserved } from "../provider/outputs";

/** The package name: the plugin is `pulumi-resource-migration-tasks` in the engine's terms. */
export const PACKAGE = "migration-tasks";

/** One resource kind of the plugin. */
export interface PluginKind {
  /** `migration-tasks:huaweicloud/sms:MigrationTask`. */
  token: string;
  /** The schema module, `huaweicloud/sms`. */
  module: string;
  /** How the TypeScript library names the class. */
  libraryName: string;
  description: string;
  inputs: z.ZodObject;
  fields: Readonly<Record<string, FieldMeta>>;
  observed: Readonly<Record<string, z.ZodType>>;
  /** Outputs that are secret whatever the inputs (the secret inputs are added to them). */
  secretOutputs: readonly string[];
  /** The values of the declared `state` input, default first; empty when the kind has none. */
  states: readonly string[];
  impl: ResourceImpl;
  /**
   * The inputs that locate a task but that the cloud does not report back (the regional
   * endpoint, the project): on `pulumi import` they are those the read used, from the provider
   * config or the environment.
   */
  scope(): Record<string, string | undefined>;
}

const huaweiScope = () => {
  const s = resolveHuaweiSettings({ config: stackConfig, env: process.env, homeDir: os.homedir() });
  return { region: s.region, projectId: s.projectId };
};
const alicloudScope = () => {
  const s = resolveAlicloudSettings({ config: stackConfig, env: process.env, homeDir: os.homedir() });
  return { region: s.region };
};

const defaultFirst = (all: readonly string[], dflt: string): string[] => [
  dflt,
  ...all.filter((s) => s !== dflt),
];

/** Every kind, in schema order. */
export const KINDS: readonly PluginKind[] = [
  {
    token: `${PACKAGE}:huaweicloud/sms:MigrationTask`,
    module: "huaweicloud/sms",
    libraryName: "huaweicloud.sms.MigrationTask",
    description:
      "A Huawei Cloud SMS server migration task (`POST /v3/tasks`), converged by every update to the declared `state`: `ready`, `running`, `paused` or `cutover`.",
    inputs: SmsTaskInputs,
    fields: smsFields,
    observed: smsObserved,
    secretOutputs: smsSecretOutputs,
    states: defaultFirst(DeclaredState.options, "ready"),
    impl: huaweicloudSms,
    // The task reports its target region and project.
    scope: () => ({}),
  },
  {
    token: `${PACKAGE}:huaweicloud/dcs:MigrationTask`,
    module: "huaweicloud/dcs",
    libraryName: "huaweicloud.dcs.MigrationTask",
    description:
      'A Huawei Cloud DCS Redis data-migration task: `kind: "online"` migrates from a live Redis, `kind: "backup"` imports backup files; converged to the declared `state` (`running` or `stopped`) and IP switch. The passwords are the top-level secret inputs `sourcePassword` and `targetPassword`.',
    inputs: DcsTaskInputs,
    fields: dcsFields,
    observed: dcsObserved,
    secretOutputs: dcsSecretOutputs,
    states: defaultFirst(DcsDeclaredState.options, "running"),
    impl: huaweicloudDcs,
    scope: huaweiScope,
  },
  {
    token: `${PACKAGE}:alicloud/mse:MigrationTask`,
    module: "alicloud/mse",
    libraryName: "alicloud.mse.MigrationTask",
    description:
      "An Alibaba Cloud MSE registry migration task (Nacos, ZooKeeper or Eureka into an MSE instance): CreateMigrationTask, UpdateMigrationTask, DeleteMigrationTask.",
    inputs: MseTaskInputs,
    fields: mseFields,
    observed: mseObserved,
    secretOutputs: ["credentials"],
    states: [],
    impl: alicloudMse,
    scope: alicloudScope,
  },
];

/** The kind of a token, or undefined. */
export function kindOf(token: string): PluginKind | undefined {
  return KINDS.find((k) => k.token === token);
}

/** Names of the outputs that are always secret: the secret inputs and the kind's secret outputs. */
export function secretOutputNames(kind: PluginKind): string[] {
  const fromFields = Object.entries(kind.fields)
    .filter(([, m]) => m.secret)
    .map(([k]) => k);
  return [...new Set([...fromFields, ...kind.secretOutputs])];
}
