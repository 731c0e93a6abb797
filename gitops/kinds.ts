/**
 * The kinds a migration file can declare, each tied to the resource's own zod schema, field
 * table, cross-field rules and diff: validation and review judge a file exactly as `pulumi
 * preview` would judge the resource it becomes.
 */
import { z } from "zod";
import type * as MseImpl from "../provider/alicloud/mse/impl";
import {
  AlicloudCredentialsInput,
  mseFields,
  mseRules,
  MseTaskInputs,
} from "../provider/alicloud/mse/schema";
import type { CheckOutcome } from "../provider/common/check";
import { checkInputs } from "../provider/common/check";
import type { FieldMeta } from "../provider/common/fields";
import type { PropertyMap } from "../provider/common/values";
import { deepEqual } from "../provider/common/values";
import { HuaweiCredentialsInput } from "../provider/huaweicloud/credentials";
import type * as DcsImpl from "../provider/huaweicloud/dcs/impl";
import {
  dcsFields,
  dcsRules,
  DcsTaskInputs,
  EndpointInput,
  RECONFIGURE_FIELDS,
} from "../provider/huaweicloud/dcs/schema";
import type * as SmsImpl from "../provider/huaweicloud/sms/impl";
import { nextStep, type Observed } from "../provider/huaweicloud/sms/lifecycle";
import type { DeclaredState } from "../provider/huaweicloud/sms/schema";
import { smsFields, smsRules, SmsTaskInputs } from "../provider/huaweicloud/sms/schema";

// The implementations (cloud clients and all) load only when a review needs their check and
// diff, so that a stack importing the package does not pay for them.
const smsImpl = (): typeof SmsImpl => require("../provider/huaweicloud/sms/impl");
const dcsImpl = (): typeof DcsImpl => require("../provider/huaweicloud/dcs/impl");
const mseImpl = (): typeof MseImpl => require("../provider/alicloud/mse/impl");

/** The `apiVersion` every migration file carries. */
export const API_VERSION = "pulumi-migration-tasks/v1";

/**
 * A reference to a stack config value, the only form a secret field takes in a file:
 * `{ config: sourceRedisPassword }` or, for another namespace, `{ config: "ns:key" }`.
 */
export const SecretRef = z
  .object({
    config: z
      .string()
      .regex(
        /^([A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$/,
        "must be a stack config key such as sourceRedisPassword or ns:key",
      ),
  })
  .strict()
  .describe("A stack config secret, resolved with pulumi.Config().requireSecret()");
export type SecretRef = z.infer<typeof SecretRef>;

/** A lifecycle step a change sets off, as the review lists it. */
export interface Transition {
  /** What happens: "start", "pause", "cutover", "switch IPs", ... */
  action: string;
  /** Why a reviewer should look twice, when they should. */
  warning?: string;
  /** Set when the provider will refuse the change at preview. */
  blocked?: string;
}

/** One declarable kind. */
export interface KindDef {
  /** The `kind` of the file, also the resource's name in the package. */
  readonly kind: string;
  /** One line for the review and the JSON Schema. */
  readonly title: string;
  /** The per-field table of the resource: update, replace, secret, set. */
  readonly fields: Readonly<Record<string, FieldMeta>>;
  /** Input fields users write elsewhere in the file: `sourcePassword` is written `source.password`. */
  readonly lifted: Readonly<Record<string, readonly string[]>>;
  /** The field holding the cloud task's name, which must be unique per kind. */
  readonly taskNameField?: string;
  /** The spec as written in a file (secret fields as references), for the JSON Schema. */
  readonly spec: z.ZodType;
  /** The resource's own validation: schema, defaults, set ordering and cross-field rules. */
  validate(inputs: PropertyMap): CheckOutcome<unknown>;
  /** The resource's `check` hook, for inputs normalised exactly as the engine records them. */
  check(inputs: PropertyMap): Promise<{ inputs?: PropertyMap }>;
  /** The resource's `diff` hook: which changed fields force a replacement. */
  replaces(olds: PropertyMap, news: PropertyMap): Promise<string[]>;
  /** Lifecycle steps between two declared versions (`before` absent: a create). */
  transitions(before: PropertyMap | undefined, after: PropertyMap): Transition[];
  /** Whether deleting or replacing a task declared this way interrupts a running migration. */
  isActive(inputs: PropertyMap): boolean;
}

const secretCredentials = (c: z.ZodObject) =>
  z
    .object(Object.fromEntries(Object.entries(c.shape).map(([k, v]) => [k, optionalLike(v, SecretRef)])))
    .strict();

function optionalLike(template: unknown, schema: z.ZodType): z.ZodType {
  return template instanceof z.ZodOptional ? schema.optional() : schema;
}

const CUTOVER_WARNING =
  "cutover launches the target server and ends replication from the source; it cannot be undone";

// A typical observation of a task sitting in each declared state, so the lifecycle table that
// drives `up` can say what a change of declared state will do.
const SMS_OBSERVED: Record<DeclaredState, Observed> = {
  ready: { status: "READY" },
  running: { status: "RUNNING" },
  paused: { status: "ABORT" },
  cutover: { status: "MIGRATE_SUCCESS", migrationCycle: "cutovered", sourceServerState: "finished" },
};

const SMS_ACTION_WORDS: Record<string, string> = { start: "start", stop: "pause", restart: "restart" };

function smsTransitions(before: PropertyMap | undefined, after: PropertyMap): Transition[] {
  const from = (before?.state ?? "ready") as DeclaredState;
  const to = (after.state ?? "ready") as DeclaredState;
  const out: Transition[] = [];
  if (from !== to) {
    if (to === "cutover") {
      if (from === "ready" || from === "paused") out.push({ action: from === "paused" ? "resume" : "start" });
      out.push({ action: "cutover", warning: CUTOVER_WARNING });
    } else {
      const step = nextStep(to, SMS_OBSERVED[from]);
      if (step.kind === "act") out.push({ action: SMS_ACTION_WORDS[step.operation] ?? step.operation });
      else if (step.kind === "impossible") out.push({ action: `${from} → ${to}`, blocked: step.reason });
    }
    if (from === "paused" && to === "running") out[0] = { action: "resume" };
  }
  const drillsBefore = (before?.drills ?? {}) as Record<string, unknown>;
  const drillsAfter = (after.drills ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(drillsAfter)) {
    if (v !== drillsBefore[k]) out.push({ action: `drill ${k}` });
  }
  return out;
}

const DCS_RECONFIGURE_WARNING =
  "the running migration is stopped and configured afresh with the new settings";

function dcsTransitions(before: PropertyMap | undefined, after: PropertyMap): Transition[] {
  const out: Transition[] = [];
  const from = before?.state as string | undefined;
  const to = (after.state ?? "running") as string;
  const backup = after.kind === "backup";
  if (from === undefined) {
    if (to === "running") out.push({ action: backup ? "import" : "start" });
  } else if (from !== to) {
    if (to === "stopped") out.push({ action: "stop" });
    else if (backup) {
      out.push({
        action: "restart",
        blocked: "a stopped backup import cannot be restarted; change its backup files to replace it",
      });
    } else {
      const reconfigured = RECONFIGURE_FIELDS.some((f) => !deepEqual(before?.[f], after[f]));
      out.push({ action: reconfigured ? "configure with the new settings" : "restart" });
    }
  } else if (
    !backup &&
    to === "running" &&
    before !== undefined &&
    RECONFIGURE_FIELDS.some((f) => !deepEqual(before[f], after[f]))
  ) {
    out.push({ action: "stop, reconfigure", warning: DCS_RECONFIGURE_WARNING });
  } else if (
    !backup &&
    to === "stopped" &&
    RECONFIGURE_FIELDS.some((f) => !deepEqual(before?.[f], after[f]))
  ) {
    out.push({ action: "settings kept for the next start" });
  }
  const swBefore = (before?.ipSwitch as { exchanged?: boolean } | undefined)?.exchanged ?? false;
  const swAfter = (after.ipSwitch as { exchanged?: boolean } | undefined)?.exchanged ?? false;
  if (!swBefore && swAfter) {
    out.push({
      action: "switch IPs",
      warning: "the IP switch moves the source's clients onto the target Redis",
    });
  } else if (swBefore && !swAfter) {
    out.push({ action: "roll back IP switch", warning: "clients move back to the source Redis" });
  }
  return out;
}

/** The declarable kinds, by `kind`. */
export const KINDS: Readonly<Record<string, KindDef>> = {
  "huaweicloud.sms.MigrationTask": {
    kind: "huaweicloud.sms.MigrationTask",
    title: "Huawei Cloud SMS server migration task",
    fields: smsFields,
    lifted: {},
    taskNameField: "name",
    spec: SmsTaskInputs.extend({ credentials: secretCredentials(HuaweiCredentialsInput).optional() }),
    validate: (m) => checkInputs(SmsTaskInputs, smsFields, m, smsRules),
    check: (m) => smsImpl().check({}, m),
    replaces: async (o, n) => (await smsImpl().diff("(review)", o, n)).replaces ?? [],
    transitions: smsTransitions,
    isActive: (m) => m.state === "running" || m.state === "paused",
  },
  "huaweicloud.dcs.MigrationTask": {
    kind: "huaweicloud.dcs.MigrationTask",
    title: "Huawei Cloud DCS Redis data migration task",
    fields: dcsFields,
    lifted: { sourcePassword: ["source", "password"], targetPassword: ["target", "password"] },
    taskNameField: "name",
    spec: DcsTaskInputs.omit({ sourcePassword: true, targetPassword: true }).extend({
      source: EndpointInput.extend({ password: SecretRef.optional() }).optional(),
      target: EndpointInput.extend({ password: SecretRef.optional() }),
      credentials: secretCredentials(HuaweiCredentialsInput).optional(),
    }),
    validate: (m) => checkInputs(DcsTaskInputs, dcsFields, m, dcsRules),
    check: (m) => dcsImpl().check({}, m),
    replaces: async (o, n) => (await dcsImpl().diff("(review)", o, n)).replaces ?? [],
    transitions: dcsTransitions,
    isActive: (m) => m.state !== "stopped",
  },
  "alicloud.mse.MigrationTask": {
    kind: "alicloud.mse.MigrationTask",
    title: "Alibaba Cloud MSE registry migration task",
    fields: mseFields,
    lifted: {},
    spec: MseTaskInputs.extend({ credentials: secretCredentials(AlicloudCredentialsInput).optional() }),
    validate: (m) => checkInputs(MseTaskInputs, mseFields, m, mseRules),
    check: (m) => mseImpl().check({}, m),
    replaces: async (o, n) => (await mseImpl().diff("(review)", o, n)).replaces ?? [],
    transitions: () => [],
    isActive: () => true,
  },
};

/** The kind names, in a stable order. */
export const KIND_NAMES = Object.keys(KINDS);

/** Where in the spec a field of the resource's inputs is written. */
export function specPath(kind: KindDef, inputPath: readonly (string | number)[]): (string | number)[] {
  const [head, ...rest] = inputPath;
  const lifted = typeof head === "string" ? kind.lifted[head] : undefined;
  return lifted ? [...lifted, ...rest] : [...inputPath];
}

/** Paths in the spec that hold secrets: every value at or under them must be a {@link SecretRef}. */
export function secretSpecPaths(kind: KindDef): string[][] {
  return Object.entries(kind.fields)
    .filter(([, m]) => m.secret)
    .map(([f]) => [...(kind.lifted[f] ?? [f])]);
}
