/**
 * Implementation of `alicloud.mse.MigrationTask`. Runs inside the dynamic-provider process,
 * loaded by package name from the thin serialized provider. MSE tasks are configuration records
 * without state, and the API has no call that reads one task: reading is listing.
 */
import { createHash } from "node:crypto";
import * as os from "node:os";
import type { dynamic } from "@pulumi/pulumi";
import { alicloudEndpoint } from "../../../sdk/alibaba/client";
import type { AlicloudSettings } from "../../../sdk/alibaba/credentials";
import { resolveAlicloudSettings } from "../../../sdk/alibaba/credentials";
import { MseClient, isMseNotFound } from "../../../sdk/alibaba/mse/client";
import { ListSnapshots } from "../../../sdk/core/list-snapshot";
import type {
  AddMigrationTaskRequest,
  MigrationTaskListItem,
  UpdateMigrationTaskRequest,
} from "../../../sdk/alibaba/mse/contract";
import { joinNamespaces, splitNamespaces } from "../../../sdk/alibaba/mse/contract";
import { checkInputs } from "../../common/check";
import { inputFields, parseInputs } from "../../common/inputs";
import { fieldChanges } from "../../common/diff";
import { logInfo } from "../../common/log";
import type { PropertyMap } from "../../common/values";
import { clean, sortedSet } from "../../common/values";
import { stackConfig } from "../../config";
import { numberSetting, onTransportReset, transportClock, transportOptions } from "../../common/transport";
import type { MseTaskInputs, MseTaskObserved } from "./schema";
import { MseTaskInputs as InputsSchema, mseFields, mseRules } from "./schema";

/** A task's fields as the API reads and writes them (Add, Update and list items share the names). */
type TaskRecord = Partial<Record<(typeof WIRE)[keyof typeof WIRE], string | null>>;

/** Input field to API parameter; the namespaces are joined with commas on the wire. */
const WIRE = {
  clusterType: "ClusterType",
  originInstanceName: "OriginInstanceName",
  originInstanceAddress: "OriginInstanceAddress",
  originInstanceNamespaces: "OriginInstanceNamespace",
  targetInstanceId: "TargetInstanceId",
  targetClusterName: "TargetClusterName",
  targetClusterUrl: "TargetClusterUrl",
  syncType: "SyncType",
  description: "ProjectDesc",
} as const satisfies Partial<Record<keyof MseTaskInputs, string>>;

type WireField = keyof typeof WIRE;

/** MSE calls have no `timeouts` input: throttling is retried for this long. */
const OPERATION_DEADLINE_MS = 20 * 60_000;

/** The list snapshots every read of this provider process shares (see {@link ListSnapshots}). */
let snapshots: ListSnapshots<MigrationTaskListItem> | undefined;
onTransportReset(() => (snapshots = undefined));

function taskSnapshots(): ListSnapshots<MigrationTaskListItem> {
  snapshots ??= new ListSnapshots<MigrationTaskListItem>(
    (t) => String(t.Id),
    transportClock(),
    numberSetting("listSnapshotMaxAgeMs", "MIGRATION_TASKS_LIST_SNAPSHOT_MAX_AGE_MS", 60_000),
    numberSetting("listSnapshotIdleMs", "MIGRATION_TASKS_LIST_SNAPSHOT_IDLE_MS", 1_000),
  );
  return snapshots;
}

/** Validates inputs; unknown values pass through untouched during preview. */
export async function check(_olds: PropertyMap, news: PropertyMap): Promise<dynamic.CheckResult> {
  const res = checkInputs(InputsSchema, mseFields, news, mseRules);
  return { inputs: res.inputs, failures: res.failures };
}

/** Field changes from the table: a region change replaces, everything else updates in place. */
export async function diff(_id: string, olds: PropertyMap, news: PropertyMap): Promise<dynamic.DiffResult> {
  const { changed, replaces } = fieldChanges(mseFields, olds, news);
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
}

/** Creates the task, or adopts an existing one by id and updates it to the declared fields. */
export async function create(raw: PropertyMap): Promise<dynamic.CreateResult> {
  const inputs = parse(raw);
  const { client, key } = mseClient(inputs);
  if (inputs.adoptTaskId) {
    const id = inputs.adoptTaskId;
    const t = await client.findMigrationTask(id);
    if (!t) throw new Error(`adoptTaskId: task ${id} does not exist in ${inputs.region}`);
    const params = changedParams(inputs, readBack(t, inputs));
    const updated = Object.keys(params).length ? await client.updateMigrationTask(id, params) : t;
    if (updated !== t) taskSnapshots().invalidate(key);
    logInfo(
      `task ${id} adopted${Object.keys(params).length ? `, updated ${Object.keys(params).join(", ")}` : ""}`,
    );
    return { id, outs: outputs(id, updated.UserId, inputs) };
  }
  // After a create whose provider process died (a killed `pulumi up`), the engine calls create
  // again with the same inputs while the task that first create made is untracked: take it over
  // rather than add a second one, recognised by its source, namespaces and target.
  const left = await leftBehind(client, inputs);
  if (left) {
    const id = String(left.Id);
    logInfo(
      `task ${id} (source ${inputs.originInstanceName}, target ${inputs.targetInstanceId ?? inputs.targetClusterUrl ?? "unnamed"}) ` +
        `already exists with the declared identity, left by an interrupted create; taking it over instead of creating another`,
    );
    const params = changedParams(inputs, readBack(left, inputs));
    const updated = Object.keys(params).length ? await client.updateMigrationTask(id, params) : left;
    return { id, outs: outputs(id, updated.UserId, inputs) };
  }
  const res = await client.addMigrationTask(toParams(inputs) as AddMigrationTaskRequest);
  taskSnapshots().invalidate(key);
  logInfo(
    `task ${res.id} created for ${inputs.originInstanceName}${res.recovered ? " (found after a lost answer)" : ""}`,
  );
  return { id: res.id, outs: outputs(res.id, res.data?.UserId, inputs) };
}

/**
 * Reads the task for refresh from the list snapshot every read of the process shares (MSE has
 * no call that reads one task): one scan serves the whole stack, whatever the source names,
 * and a task missing from it is declared gone only after one fresh scan lacks it too.
 */
export async function read(id: string, props: PropertyMap): Promise<dynamic.ReadResult> {
  const prev = inputsOf(props);
  const { client, key } = mseClient(prev);
  const t: MigrationTaskListItem | undefined = await taskSnapshots().find(
    key,
    () => client.listMigrationTasks(),
    id,
  );
  if (!t) return { id: "", props: {} };
  const outs = clean({ ...prev, ...readBack(t, prev), ...observed(id, t.UserId, props) });
  return { id, props: outs, inputs: inputsOf(outs) };
}

/** Sends the changed fields in one UpdateMigrationTask; a removed optional field is cleared. */
export async function update(
  id: string,
  olds: PropertyMap,
  news: PropertyMap,
): Promise<dynamic.UpdateResult> {
  const inputs = parse(news);
  const { client, key } = mseClient(inputs);
  const { changed } = fieldChanges(mseFields, olds, news);
  const params: Omit<UpdateMigrationTaskRequest, "Id"> = {};
  for (const f of changed)
    if (f in WIRE) Object.assign(params, { [WIRE[f as WireField]]: wireValue(inputs, f as WireField) });
  let userId = typeof olds.userId === "string" ? olds.userId : undefined;
  if (Object.keys(params).length > 0) {
    const t = await client.updateMigrationTask(id, params);
    taskSnapshots().invalidate(key);
    userId = t.UserId ?? userId;
    logInfo(`task ${id}: updated ${Object.keys(params).join(", ")}`);
  }
  return { outs: outputs(id, userId, inputs) };
}

/** Deletes the task; a task the service classifies as not found is already deleted. */
export async function deleteTask(id: string, props: PropertyMap): Promise<void> {
  const { client, key } = mseClient(inputsOf(props));
  try {
    await client.deleteMigrationTask(id);
    taskSnapshots().invalidate(key);
  } catch (e) {
    if (isMseNotFound(e)) {
      logInfo(`task ${id} was already deleted`);
      taskSnapshots().invalidate(key);
      return;
    }
    throw e;
  }
}

/** The input fields that say which migration a task is: its source, namespaces and target. */
const IDENTITY: readonly WireField[] = [
  "clusterType",
  "originInstanceName",
  "originInstanceAddress",
  "originInstanceNamespaces",
  "targetInstanceId",
  "targetClusterName",
  "targetClusterUrl",
];

/**
 * The task an interrupted create of this resource made: every identifying field as declared. A
 * task that differs in any of them is never taken; two that match cannot be told apart, so that
 * is an error.
 */
async function leftBehind(
  client: MseClient,
  inputs: MseTaskInputs,
): Promise<MigrationTaskListItem | undefined> {
  const matches: MigrationTaskListItem[] = [];
  for await (const t of client.listMigrationTasks({ OriginInstanceName: inputs.originInstanceName })) {
    const cloud = readBack(t, inputs);
    const norm = (v: unknown) => JSON.stringify(Array.isArray(v) ? sortedSet(v as string[]) : (v ?? null));
    const same = IDENTITY.every((f) => norm(cloud[f]) === norm(inputs[f]));
    if (same) matches.push(t);
  }
  if (matches.length > 1) {
    throw new Error(
      `originInstanceName: ${matches.length} tasks match this declaration (${matches.map((t) => t.Id).join(", ")}); ` +
        `set adoptTaskId to the one to keep and delete the others`,
    );
  }
  return matches[0];
}

const parse = (raw: PropertyMap): MseTaskInputs => parseInputs(InputsSchema, mseFields, raw);

/** The input fields of a property map (old outputs carry them beside the observed values). */
const inputsOf = (p: PropertyMap): Partial<MseTaskInputs> => inputFields(mseFields, p);

/**
 * A client of the task's endpoint, paced by the process's limiter of that endpoint, and the key
 * of its list snapshot: endpoint, region and credentials (a digest: keys never leave the
 * settings).
 */
function mseClient(inputs: Partial<MseTaskInputs>): { client: MseClient; key: string } {
  const settings = resolveAlicloudSettings({
    args: { ...(inputs.credentials ?? {}), region: inputs.region },
    config: stackConfig,
    env: process.env,
    homeDir: os.homedir(),
  });
  const endpoint = alicloudEndpoint("mse", settings.region, settings.endpoints.mse);
  const client = MseClient.fromSettings(settings, transportOptions("mse", endpoint, OPERATION_DEADLINE_MS));
  return { client, key: snapshotKey(endpoint, settings) };
}

function snapshotKey(endpoint: string, s: AlicloudSettings): string {
  const who = createHash("sha256")
    .update([s.accessKeyId, s.accessKeySecret, s.securityToken ?? ""].join("\n"))
    .digest("hex")
    .slice(0, 16);
  return `${endpoint} ${s.region} ${who}`;
}

/** The API value of one field; an absent optional field is `""`, which clears it. */
function wireValue(inputs: Partial<MseTaskInputs>, f: WireField): string {
  if (f === "originInstanceNamespaces") return joinNamespaces(inputs.originInstanceNamespaces ?? []);
  const v = inputs[f];
  return typeof v === "string" ? v : "";
}

/** The create parameters: every declared field. */
function toParams(inputs: MseTaskInputs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of Object.keys(WIRE) as WireField[]) {
    if (inputs[f] !== undefined) out[WIRE[f]] = wireValue(inputs, f);
  }
  return out;
}

/** The update parameters that take the task from `current` to the declared inputs. */
function changedParams(inputs: MseTaskInputs, current: Partial<MseTaskInputs>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of Object.keys(WIRE) as WireField[]) {
    if (JSON.stringify(inputs[f] ?? null) !== JSON.stringify(current[f] ?? null))
      out[WIRE[f]] = wireValue(inputs, f);
  }
  return out;
}

/**
 * The input fields as the cloud has them. The service drops empty fields from its answers and
 * answers `""` for an unset sync type, so empty reads as absent.
 */
function readBack(t: TaskRecord, prev: Partial<MseTaskInputs>): Partial<MseTaskInputs> {
  const s = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? undefined : v);
  const ns = splitNamespaces(t.OriginInstanceNamespace);
  return {
    clusterType: (s(t.ClusterType) as MseTaskInputs["clusterType"] | undefined) ?? prev.clusterType,
    originInstanceName: s(t.OriginInstanceName),
    originInstanceAddress: s(t.OriginInstanceAddress),
    originInstanceNamespaces: ns.length
      ? sortedSet(ns)
      : prev.originInstanceNamespaces === undefined
        ? undefined
        : [],
    targetInstanceId: s(t.TargetInstanceId),
    targetClusterName: s(t.TargetClusterName),
    targetClusterUrl: s(t.TargetClusterUrl),
    syncType: s(t.SyncType) as MseTaskInputs["syncType"] | undefined,
    description: s(t.ProjectDesc),
  };
}

function observed(id: string, userId: string | null | undefined, prev: PropertyMap): MseTaskObserved {
  return { taskId: id, userId: userId ?? (typeof prev.userId === "string" ? prev.userId : undefined) };
}

function outputs(id: string, userId: string | null | undefined, inputs: MseTaskInputs): PropertyMap {
  return clean({ ...inputs, ...observed(id, userId, {}) });
}
