/**
 * Implementation of `huaweicloud.dcs.MigrationTask`. Runs inside the dynamic-provider process,
 * loaded by package name from the thin serialized provider, so it may use any module freely.
 *
 * Passwords: `sourcePassword` and `targetPassword` go into exactly two request bodies
 * (SetOnlineMigrationTask, CreateMigrationTask). No log line, error message or wait description
 * is built from an input object, so neither can carry them; a failed create records the task
 * without them (see {@link partialFailure}).
 */
import * as os from "node:os";
import type { dynamic } from "@pulumi/pulumi";
import { CloudError } from "../../../sdk/core/errors";
import { waitUntil } from "../../../sdk/core/waiter";
import { HuaweiClient, isHuaweiNotFound } from "../../../sdk/huawei/client";
import { resolveHuaweiSettings } from "../../../sdk/huawei/credentials";
import { DcsClient } from "../../../sdk/huawei/dcs/client";
import { huaweiEndpoint } from "../../../sdk/huawei/endpoints";
import type {
  MigrationTask,
  MigrationTaskListItem,
  SetOnlineMigrationTaskBody,
  TaskInstance,
} from "../../../sdk/huawei/dcs/contract";
import { checkInputs } from "../../common/check";
import { inputFields, parseInputs } from "../../common/inputs";
import { fieldChanges } from "../../common/diff";
import { logInfo } from "../../common/log";
import { deadlineMs } from "../../common/timeouts";
import { containsUnknown } from "../../common/unknown";
import type { PropertyMap } from "../../common/values";
import { clean, deepEqual } from "../../common/values";
import { polling, stackConfig } from "../../config";
import { transportOptions } from "../../common/transport";
import type { DcsAction, DcsObserved } from "./lifecycle";
import { MIGRATING, inDeclaredState, nextDcsStep } from "./lifecycle";
import type { DcsTaskObserved, EndpointInput } from "./schema";
import {
  BACKUP_REPLACE_FIELDS,
  DcsTaskInputs as InputsSchema,
  RECONFIGURE_FIELDS,
  dcsFields,
  dcsRules,
} from "./schema";
import type { DcsTaskInputs } from "./schema";

// Terraform's DCS resources wait 30 minutes for create, update and delete alike.
const DEFAULT_TIMEOUTS = { create: "30m", update: "30m", delete: "30m" } as const;

/** Validates inputs; unknown values pass through untouched during preview. */
export async function check(_olds: PropertyMap, news: PropertyMap): Promise<dynamic.CheckResult> {
  const res = checkInputs(InputsSchema, dcsFields, news, dcsRules);
  const inputs = res.inputs;
  // SetOnlineMigrationTask requires a reconnection mode; defaulting it here keeps the recorded
  // inputs equal to what the cloud reports, so refresh shows no drift the user never declared.
  if (inputs.kind === "online" && inputs.resumeMode === undefined) inputs.resumeMode = "auto";
  return { inputs, failures: res.failures };
}

/** Field changes from the table, plus drift of the observed status and IP switch. */
export async function diff(id: string, olds: PropertyMap, news: PropertyMap): Promise<dynamic.DiffResult> {
  const { changed, replaces } = fieldChanges(dcsFields, olds, news);
  const kind = news.kind === "backup" || olds.kind === "backup" ? "backup" : "online";
  if (kind === "backup") {
    for (const f of BACKUP_REPLACE_FIELDS) if (changed.includes(f) && !replaces.includes(f)) replaces.push(f);
  }
  const declared = news.state;
  if (typeof olds.status === "string" && typeof declared === "string" && !containsUnknown(declared)) {
    const o = observedOfOutputs(olds, kind);
    const d = declared as DcsTaskInputs["state"];
    if (!inDeclaredState(d, o) && !changed.includes("state")) changed.push("state");
    if (replaces.length === 0 && !inDeclaredState(d, o)) {
      const step = nextDcsStep(d, o);
      if (step.kind === "impossible" || step.kind === "failed") {
        throw new Error(`state: task ${id} cannot be made "${d}": ${step.reason}`);
      }
    }
  }
  if (olds.pendingReconfigure === true && news.state === "running" && !changed.includes("state")) {
    changed.push("state");
  }
  const sw = news.ipSwitch as DcsTaskInputs["ipSwitch"] | undefined;
  if (
    sw &&
    !containsUnknown(sw) &&
    !ipSwitchSatisfied(sw, str(olds.ipSwitchStatus)) &&
    !changed.includes("ipSwitch")
  ) {
    changed.push("ipSwitch");
  }
  const sameTarget = deepEqual(olds.target, news.target);
  return {
    changes: changed.length > 0,
    replaces,
    // Two migrations writing into the same target Redis at once would interleave their data, so
    // a replacement that keeps the target removes the old task first.
    deleteBeforeReplace: replaces.length > 0 && sameTarget,
  };
}

/** Creates (or adopts) the task and converges it to the declared state and IP switch. */
export async function create(raw: PropertyMap): Promise<dynamic.CreateResult> {
  const inputs = parse(raw);
  const client = dcsClient(inputs, deadlineMs(inputs.timeouts, "create", DEFAULT_TIMEOUTS.create));
  let id: string;
  let jobId: string | undefined;
  let reconfigure = false;
  // After a create whose provider process died (a killed `pulumi up`), the engine calls create
  // again with the same inputs while the task that first create made runs on untracked: a second
  // task would migrate into the same Redis. Take over that task, recognised by its identity.
  const left = inputs.adoptTaskId ? undefined : await leftBehind(client, inputs);
  if (inputs.adoptTaskId) {
    ({ id, reconfigure } = await adopt(client, inputs));
  } else if (left) {
    logInfo(
      `task ${left} (name ${JSON.stringify(inputs.name)}) already exists with the declared identity, left by an ` +
        `interrupted create; taking it over instead of creating another`,
    );
    id = left;
  } else if (inputs.kind === "online") {
    const net = inputs.network as NonNullable<DcsTaskInputs["network"]>;
    const res = await client.createOnlineTask(
      clean({
        name: inputs.name,
        description: inputs.description,
        vpc_id: net.vpcId,
        subnet_id: net.subnetId,
        security_group_id: net.securityGroupId,
      }),
      { log: logInfo },
    );
    id = res.id;
    jobId = res.jobId;
    logInfo(`task ${id} created; its migration ECS is being created${jobId ? ` (job ${jobId})` : ""}`);
  } else {
    id = await createBackupImport(client, inputs);
  }
  try {
    // Inside the try, so that a failure while taking over still records the task in the stack.
    if (left) ({ reconfigure } = await adopt(client, inputs, left));
    const deadline = deadlineMs(inputs.timeouts, "create", DEFAULT_TIMEOUTS.create);
    if (jobId) await waitForJob(client, id, jobId, deadline);
    await converge(client, id, inputs, deadline, reconfigure);
    await convergeIpSwitch(client, id, inputs, deadline);
    return { id, outs: await outputs(client, id, inputs) };
  } catch (e) {
    throw await partialFailure(client, id, inputs, e, raw.__provider, "created");
  }
}

/** Reads the task for refresh: DCS.4133, DELETED or absence from the list means gone. */
export async function read(id: string, props: PropertyMap): Promise<dynamic.ReadResult> {
  const prev = inputsOf(props);
  const client = dcsClient(prev);
  const found = await lookup(client, id, prev.name);
  if (!found) return { id: "", props: {} };
  const outs = await assemble(client, found, prev, props.pendingReconfigure === true);
  return { id, props: outs, inputs: inputsOf(outs) };
}

/** Applies in-place changes, then converges the lifecycle and the IP switch. */
export async function update(
  id: string,
  olds: PropertyMap,
  news: PropertyMap,
): Promise<dynamic.UpdateResult> {
  const inputs = parse(news);
  const client = dcsClient(inputs, deadlineMs(inputs.timeouts, "update", DEFAULT_TIMEOUTS.update));
  const { changed } = fieldChanges(dcsFields, olds, news);
  const deadline = deadlineMs(inputs.timeouts, "update", DEFAULT_TIMEOUTS.update);
  let pending = false;
  try {
    if (inputs.kind === "online") {
      if (changed.includes("resumeMode") && inputs.resumeMode) {
        logInfo(`task ${id}: resume mode ${inputs.resumeMode}`);
        await client.updateResumeMode(id, inputs.resumeMode);
      }
      const reconfigure =
        changed.some((f) => (RECONFIGURE_FIELDS as readonly string[]).includes(f)) ||
        olds.pendingReconfigure === true;
      if (reconfigure) {
        const t = await client.showTask(id);
        if (MIGRATING.has(t.status) || t.status === "TERMINATING") {
          // SetOnlineMigrationTask is refused while data moves: stop, then configure afresh.
          logInfo(`task ${id}: stopping to apply new migration settings (task is ${t.status})`);
          await converge(client, id, { ...inputs, state: "stopped" }, deadline, false);
        }
        // A stopped task keeps the change for its next start; configuring now would start it.
        pending =
          inputs.state === "stopped" && t.migration_method !== null && t.migration_method !== undefined;
      }
      await converge(client, id, inputs, deadline, reconfigure);
      await convergeIpSwitch(client, id, inputs, deadline);
    } else {
      // Only targetPassword or local fields can change in place; an import has nothing to apply.
      await converge(client, id, inputs, deadline, false);
    }
  } catch (e) {
    // Recorded as a partial failure, so that state shows what the cloud now reports (a failed
    // migration, a stopped task) and the next up sees the drift and converges again.
    throw await partialFailure(client, id, inputs, e, news.__provider, "updated");
  }
  return { outs: await outputs(client, id, inputs, pending) };
}

/**
 * Stops a migrating task, waits for TERMINATED, deletes it and waits until the list no longer
 * has it (its detail call may keep answering); already gone is success. Each poll makes one
 * call: the detail until the delete is sent, the list after.
 */
export async function deleteTask(id: string, props: PropertyMap): Promise<void> {
  const prev = inputsOf(props);
  const deadline = deadlineMs(prev.timeouts, "delete", DEFAULT_TIMEOUTS.delete);
  const client = dcsClient(prev, deadline);
  let stopSent = false;
  let stopTried = false;
  let deleteSent = false;
  await waitUntil<void>(
    async () => {
      if (deleteSent) {
        const listed = await client.isListed(id, prev.name);
        return listed
          ? { done: false, observed: "delete sent, still listed" }
          : { done: true, value: undefined };
      }
      let t: MigrationTask;
      try {
        t = await client.showTask(id);
      } catch (e) {
        if (isHuaweiNotFound(e, "dcs")) return { done: true, value: undefined };
        throw e;
      }
      if (t.status === "DELETED") return { done: true, value: undefined };
      if (MIGRATING.has(t.status)) {
        if (!stopSent) {
          logInfo(`task ${id}: stopping before delete (task is ${t.status})`);
          const outcome = await sendOnce(
            id,
            "stop",
            () => client.stopTask(id).then(() => undefined),
            stopTried,
          );
          stopTried = true;
          stopSent = outcome === "sent";
        }
        return { done: false, observed: `${t.status}, stop sent` };
      }
      const sw = t.task_status ?? "";
      if (t.status === "TERMINATING" || sw === "EXCHANGING" || sw === "ROLLBACKING") {
        return { done: false, observed: `${t.status}${sw ? `, IP switch ${sw}` : ""}` };
      }
      try {
        // A task already deleted but still answering its detail call is refused as not found.
        await client.deleteTasks([id]);
        deleteSent = true;
        logInfo(`task ${id}: delete sent`);
      } catch (e) {
        if (isHuaweiNotFound(e, "dcs")) return { done: true, value: undefined };
        // DCS.4026: the task went busy between the read and the delete; wait and retry.
        if (!(CloudError.isInstance(e) && e.code === "DCS.4026")) throw e;
      }
      return { done: false, observed: deleteSent ? `${t.status}, delete sent` : t.status };
    },
    polling(`task ${id} to be deleted`, deadline),
  );
}

// ---------------------------------------------------------------------------------------------

const parse = (raw: PropertyMap): DcsTaskInputs => parseInputs(InputsSchema, dcsFields, raw);

/** The input fields of a property map (old outputs carry them beside the observed values). */
const inputsOf = (p: PropertyMap): Partial<DcsTaskInputs> => inputFields(dcsFields, p);

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A client paced by the process's limiter of the task's DCS endpoint, for an operation due within `deadlineMs`. */
function dcsClient(inputs: Partial<DcsTaskInputs>, deadlineMs?: number): DcsClient {
  const env = process.env;
  // DCS is regional and project-scoped: the task's own region and project are the API's.
  const settings = resolveHuaweiSettings({
    args: clean({ ...(inputs.credentials ?? {}), region: inputs.region, projectId: inputs.projectId }),
    config: stackConfig,
    env,
    homeDir: os.homedir(),
  });
  const endpoint = huaweiEndpoint("dcs", settings.region, settings);
  return new DcsClient(new HuaweiClient("dcs", settings, transportOptions("dcs", endpoint, deadlineMs)));
}

async function createBackupImport(client: DcsClient, inputs: DcsTaskInputs): Promise<string> {
  const b = inputs.backupFiles as NonNullable<DcsTaskInputs["backupFiles"]>;
  const res = await client.createBackupImportTask(
    clean({
      task_name: inputs.name,
      description: inputs.description,
      migration_type: "backupfile_import" as const,
      migration_method: inputs.migrationMethod,
      backup_files: {
        file_source: b.fileSource,
        bucket_name: b.bucketName,
        backup_id: b.backupId,
        files: b.files.map((f) => ({
          file_name: f.name,
          size: f.sizeBytes === undefined ? undefined : String(f.sizeBytes),
          update_at: f.updatedAt,
        })),
      },
      target_instance: { id: inputs.target.instanceId as string, password: inputs.targetPassword },
    }),
    { log: logInfo },
  );
  logInfo(`backup import task ${res.id} created`);
  return res.id;
}

/** The body of SetOnlineMigrationTask: the one request, beside the import, carrying passwords. */
function configureBody(inputs: DcsTaskInputs): SetOnlineMigrationTaskBody {
  const side = (e: EndpointInput | undefined, password: string | undefined) =>
    clean({ id: e?.instanceId, addrs: e?.address, password });
  return clean({
    migration_method: inputs.migrationMethod,
    resume_mode: inputs.resumeMode ?? "auto",
    bandwidth_limit_mb: inputs.bandwidthLimitMb === undefined ? undefined : String(inputs.bandwidthLimitMb),
    source_instance: side(inputs.source, inputs.sourcePassword),
    target_instance: side(inputs.target, inputs.targetPassword),
  });
}

/**
 * The task an interrupted create of this resource made: same kind and name, and for an online
 * migration the same network (where its ECS is) and, once configured, the same source and target;
 * for a backup import the same target and backup files. A task that differs is never taken,
 * whoever made it; two that match cannot be told apart, so that is an error.
 */
async function leftBehind(client: DcsClient, inputs: DcsTaskInputs): Promise<string | undefined> {
  const matches: string[] = [];
  for await (const item of client.listTasks({ name: inputs.name })) {
    if (item.task_name !== inputs.name || item.status === "DELETED" || item.status === "RELEASED") continue;
    const t = await client.findTask(item.task_id);
    if (t && sameIdentity(t, inputs)) matches.push(t.task_id);
  }
  if (matches.length > 1) {
    throw new Error(
      `name: ${matches.length} tasks named ${JSON.stringify(inputs.name)} match this declaration ` +
        `(${matches.join(", ")}); set adoptTaskId to the one to keep and delete the others`,
    );
  }
  return matches[0];
}

function sameIdentity(t: MigrationTask, inputs: DcsTaskInputs): boolean {
  if (kindOf(t) !== inputs.kind || t.task_name !== inputs.name) return false;
  if (inputs.kind === "backup") {
    return (
      t.target_instance?.id === inputs.target.instanceId &&
      deepEqual(readBackupFiles(t, inputs.backupFiles), inputs.backupFiles)
    );
  }
  const n = inputs.network;
  if (
    !n ||
    t.tenant_vpc_id !== n.vpcId ||
    t.tenant_subnet_id !== n.subnetId ||
    t.tenant_security_group_id !== n.securityGroupId
  ) {
    return false;
  }
  if (t.migration_method === null || t.migration_method === undefined) return true;
  return (
    deepEqual(readEndpoint(t.source_instance, inputs.source), inputs.source) &&
    deepEqual(readEndpoint(t.target_instance, inputs.target), inputs.target)
  );
}

/**
 * Takes over an existing task instead of creating one: the one `adoptTaskId` names (`pulumi
 * import` cannot work here), or one an interrupted create left behind.
 */
async function adopt(
  client: DcsClient,
  inputs: DcsTaskInputs,
  leftId?: string,
): Promise<{ id: string; reconfigure: boolean }> {
  const id = leftId ?? (inputs.adoptTaskId as string);
  const found = await lookup(client, id, undefined);
  if (!found) throw new Error(`adoptTaskId: task ${id} does not exist`);
  const t = found.task;
  const kind = kindOf(t);
  const mismatch: string[] = [];
  if (kind !== inputs.kind) mismatch.push(`kind is ${kind}, declared ${inputs.kind}`);
  if (t.task_name !== inputs.name) mismatch.push(`name is ${t.task_name}, declared ${inputs.name}`);
  if (inputs.network && t.tenant_vpc_id && t.tenant_vpc_id !== inputs.network.vpcId)
    mismatch.push(`network.vpcId is ${t.tenant_vpc_id}, declared ${inputs.network.vpcId}`);
  if (kind === "backup" && t.target_instance?.id && t.target_instance.id !== inputs.target.instanceId)
    mismatch.push(`target.instanceId is ${t.target_instance.id}, declared ${inputs.target.instanceId}`);
  if (mismatch.length) {
    throw new Error(
      `adoptTaskId: task ${id} differs in fields that cannot be updated: ${mismatch.join("; ")}`,
    );
  }
  let reconfigure = false;
  if (kind === "online") {
    if (inputs.resumeMode && t.resume_mode && t.resume_mode !== inputs.resumeMode)
      await client.updateResumeMode(id, inputs.resumeMode);
    const configured = t.migration_method !== null && t.migration_method !== undefined;
    const bw = t.bandwidth_limit_mb ? Number(t.bandwidth_limit_mb) : undefined;
    reconfigure =
      configured &&
      (t.migration_method !== inputs.migrationMethod ||
        bw !== inputs.bandwidthLimitMb ||
        !deepEqual(readEndpoint(t.source_instance, inputs.source), inputs.source) ||
        !deepEqual(readEndpoint(t.target_instance, inputs.target), inputs.target));
    if (
      reconfigure &&
      (MIGRATING.has(t.status) || t.status === "TERMINATING") &&
      inputs.state === "running"
    ) {
      logInfo(`task ${id}: stopping to apply the declared migration settings (task is ${t.status})`);
      await converge(
        client,
        id,
        { ...inputs, state: "stopped" },
        deadlineMs(inputs.timeouts, "create", "30m"),
        false,
      );
    }
  }
  logInfo(`task ${id} ${leftId ? "taken over" : "adopted"}`);
  return { id, reconfigure };
}

/** The task and its list entry, or undefined when it is gone. */
interface Found {
  task: MigrationTask;
  item: MigrationTaskListItem;
}

/**
 * Show plus the list cross-check: DCS.4133 (HTTP 400), status DELETED, or absence from the list
 * means gone, because a deleted task may keep answering its detail call (docs/huawei-dcs.md).
 */
async function lookup(client: DcsClient, id: string, name: string | undefined): Promise<Found | undefined> {
  let task: MigrationTask;
  try {
    task = await client.showTask(id);
  } catch (e) {
    if (isHuaweiNotFound(e, "dcs")) return undefined;
    throw e;
  }
  if (task.status === "DELETED") return undefined;
  for await (const item of client.listTasks({ name: name ?? task.task_name }))
    if (item.task_id === id) return { task, item };
  return undefined;
}

function kindOf(t: MigrationTask): "online" | "backup" {
  return t.migration_type === "backupfile_import" ? "backup" : "online";
}

function observedOf(t: MigrationTask): DcsObserved {
  return {
    kind: kindOf(t),
    status: t.status,
    method: t.migration_method ?? undefined,
    ecsReady: kindOf(t) === "backup" || Boolean(t.ecs_tenant_private_ip),
  };
}

function observedOfOutputs(p: PropertyMap, kind: "online" | "backup"): DcsObserved {
  return {
    kind,
    status: str(p.status) ?? "",
    method: str(p.migrationMethod),
    ecsReady: kind === "backup" || str(p.ecsAddress) !== undefined,
  };
}

async function waitForJob(client: DcsClient, id: string, jobId: string, deadline: number): Promise<void> {
  await waitUntil<void>(
    async () => {
      const job = await client.showJob(jobId);
      if (job.status === "SUCCESS") return { done: true, value: undefined };
      if (job.status === "FAIL") {
        throw new Error(
          `the migration ECS of task ${id} could not be created: ${job.fail_reason ?? "job failed"}`,
        );
      }
      return { done: false, observed: `job ${jobId} ${job.status}` };
    },
    polling(`the migration ECS of task ${id}`, deadline),
  );
}

/** Statuses whose progress is the full migration's percentage in the stats. */
const FULL_PHASE: ReadonlySet<string> = new Set(["FULLMIGRATING", "MIGRATING"]);

/**
 * The time left of a full migration from its progress samples. The rate is that between the
 * first sample and the last. The stats give whole percents, so each sample says the end lies
 * within one percent's time of a point; the samples together narrow that window, and the middle
 * of what is left of it is the estimate.
 */
function etaFromProgress(
  samples: readonly { at: number; progress: number }[],
  now: number,
): number | undefined {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.progress <= first.progress) return undefined;
  const rate = (last.progress - first.progress) / (last.at - first.at);
  let lo = -Infinity;
  let hi = Infinity;
  for (const s of samples) {
    lo = Math.max(lo, s.at + (99 - s.progress) / rate);
    hi = Math.min(hi, s.at + (100 - s.progress) / rate);
  }
  // Samples that disagree (the rate drifted): trust the last one alone.
  if (lo > hi) [lo, hi] = [last.at + (99 - last.progress) / rate, last.at + (100 - last.progress) / rate];
  const eta = Math.max(0, (lo + hi) / 2 - now);
  // A rate measured over less time than is left is rough: look again halfway.
  return eta > last.at - first.at ? eta / 2 : eta;
}

/**
 * Drives configure, stop and batch-restart until the task is in the declared state, or fails
 * clearly. Each poll makes one call: the detail, or during a full migration the stats alone,
 * whose progress both reports and times the next poll; once the stats say the full phase is
 * over, the detail is read at once for the status.
 */
async function converge(
  client: DcsClient,
  id: string,
  inputs: DcsTaskInputs,
  deadline: number,
  reconfigure: boolean,
): Promise<void> {
  const declared = inputs.state;
  const acted = new Set<DcsAction>();
  const unconfirmed = new Set<DcsAction>();
  const clock = client.http.clock;
  let watch: { status: string; samples: { at: number; progress: number }[] } | undefined;
  let statsSaidOver = false;
  await waitUntil<void>(
    async () => {
      if (watch) {
        const s = await statsOf(client, id);
        const p = Number(s?.full_migration_progress);
        if (s && s.is_migrating !== false && Number.isFinite(p) && p < 100) {
          const now = clock.now();
          // Progress going back means the migration started over: so do the samples.
          if (watch.samples.some((x) => x.progress > p)) watch.samples = [];
          watch.samples.push({ at: now, progress: p });
          return {
            done: false,
            observed: watch.status,
            progress: `full migration ${p}%`,
            etaMs: etaFromProgress(watch.samples, now),
          };
        }
        const status = watch.status;
        watch = undefined;
        statsSaidOver = true;
        return { done: false, observed: `${status}, full migration over`, etaMs: 0 };
      }
      const t = await client.showTask(id);
      const step = nextDcsStep(declared, observedOf(t), acted, reconfigure);
      switch (step.kind) {
        case "done":
          return { done: true, value: undefined };
        case "act": {
          logInfo(`task ${id}: ${step.action} (${step.why})`);
          const outcome = await sendOnce(
            id,
            step.action,
            () => act(client, id, step.action, inputs),
            unconfirmed.has(step.action),
          );
          if (outcome === "unconfirmed") {
            unconfirmed.add(step.action);
            return { done: false, observed: `${t.status}, ${step.action} not confirmed` };
          }
          acted.add(step.action);
          return { done: false, observed: `${t.status}, ${step.action} sent` };
        }
        case "wait":
          // After the stats said the phase was over, one detail read goes by before watching
          // them again, so a lagging status cannot make the two alternate without a pause.
          if (FULL_PHASE.has(t.status) && !statsSaidOver) watch = { status: t.status, samples: [] };
          statsSaidOver = false;
          return { done: false, observed: t.status };
        case "impossible":
        case "failed": {
          const cloud = await errorMessageOf(client, id, t.task_name);
          throw new Error(
            `state: task ${id} did not become "${declared}": ${step.reason}${cloud ? ` (cloud error: ${cloud})` : ""}`,
          );
        }
      }
    },
    polling(`task ${id} to be ${declared}`, deadline),
  );
}

/**
 * Sends an action once. An action whose answer was lost (dropped connection, 5xx, timeout) may or
 * may not have taken effect, so it is reported as unconfirmed and the caller re-reads the task
 * before deciding to send it again; throttling means it did not take effect, and the re-read says
 * the same. A resend that the service refuses because the task is no longer in a state that
 * allows it (DCS.4026) means the first one took effect.
 */
async function sendOnce(
  id: string,
  what: string,
  send: () => Promise<void>,
  resend: boolean,
): Promise<"sent" | "unconfirmed"> {
  try {
    await send();
    return "sent";
  } catch (e) {
    if (!CloudError.isInstance(e)) throw e;
    if (e.retryable) {
      logInfo(`task ${id}: ${what} not confirmed (${e.code ?? e.httpStatus}); re-reading the task`);
      return "unconfirmed";
    }
    if (resend && e.code === "DCS.4026") {
      logInfo(`task ${id}: ${what} had already taken effect`);
      return "sent";
    }
    throw e;
  }
}

async function act(client: DcsClient, id: string, action: DcsAction, inputs: DcsTaskInputs): Promise<void> {
  switch (action) {
    case "configure":
      await client.configureOnlineTask(id, configureBody(inputs));
      return;
    case "stop":
      await client.stopTask(id);
      return;
    case "restart": {
      const [r] = await client.batchRestartTasks([id]);
      if (r && r.result === "failed") {
        throw new CloudError({
          cloud: "huaweicloud",
          service: "dcs",
          operation: "BatchRestartOnlineMigrationTasks",
          code: r.error_code ?? undefined,
          detail: `restart of task ${id} was refused: ${r.error_msg ?? "no message"}`,
          retryable: false,
        });
      }
      return;
    }
  }
}

async function statsOf(client: DcsClient, id: string) {
  try {
    return await client.stats(id);
  } catch (e) {
    // Stats are a nicety: a task that has none yet (or a 4xx about them) must not fail the step.
    if (CloudError.isInstance(e) && (e.httpStatus ?? 0) >= 400 && (e.httpStatus ?? 0) < 500) return undefined;
    throw e;
  }
}

async function errorMessageOf(client: DcsClient, id: string, name: string): Promise<string | undefined> {
  for await (const item of client.listTasks({ name }))
    if (item.task_id === id) return item.error_message ?? undefined;
  return undefined;
}

function ipSwitchSatisfied(sw: NonNullable<DcsTaskInputs["ipSwitch"]>, status: string | undefined): boolean {
  return sw.exchanged
    ? status === "EXCHANGE_SUCCESS"
    : status !== "EXCHANGE_SUCCESS" && status !== "EXCHANGING";
}

/** Exchanges or rolls back the IP switch until the sub-status matches the declaration. */
async function convergeIpSwitch(
  client: DcsClient,
  id: string,
  inputs: DcsTaskInputs,
  deadline: number,
): Promise<void> {
  const sw = inputs.ipSwitch;
  if (!sw || inputs.kind !== "online") return;
  let acted = false;
  let tried = false;
  await waitUntil<void>(
    async () => {
      const t = await client.showTask(id);
      const s = t.task_status ?? undefined;
      if (ipSwitchSatisfied(sw, s) && s !== "ROLLBACKING") return { done: true, value: undefined };
      if (s === "EXCHANGING" || s === "ROLLBACKING") return { done: false, observed: `IP switch ${s}` };
      if (acted) {
        if (s === "EXCHANGE_FAILED" || s === "ROLLBACK_FAILED") {
          const cloud = await errorMessageOf(client, id, t.task_name);
          throw new Error(`ipSwitch: task ${id} reached ${s}${cloud ? ` (cloud error: ${cloud})` : ""}`);
        }
        return { done: false, observed: `IP switch ${s ?? "not started"}` };
      }
      const what = sw.exchanged ? "exchange-ip" : "rollback-ip";
      logInfo(
        sw.exchanged
          ? `task ${id}: exchanging IP addresses (IP switch ${s ?? "never run"})`
          : `task ${id}: rolling the IP switch back (IP switch ${s})`,
      );
      const outcome = await sendOnce(
        id,
        what,
        () =>
          sw.exchanged
            ? client.exchangeIp(id, { exchanged_ip: sw.ips, is_exchange_domain: sw.exchangeDomain })
            : client.rollbackIp(id),
        tried,
      );
      tried = true;
      if (outcome === "unconfirmed")
        return { done: false, observed: `IP switch ${s ?? "not started"}, ${what} not confirmed` };
      acted = true;
      return {
        done: false,
        observed: `IP switch ${s ?? "not started"}, ${sw.exchanged ? "exchange" : "rollback"} sent`,
      };
    },
    polling(`the IP switch of task ${id} to be ${sw.exchanged ? "exchanged" : "rolled back"}`, deadline),
  );
}

async function outputs(
  client: DcsClient,
  id: string,
  inputs: Partial<DcsTaskInputs>,
  pendingReconfigure = false,
): Promise<PropertyMap> {
  const found = await lookup(client, id, inputs.name);
  if (!found) throw new Error(`task ${id} disappeared (it is no longer in the task list)`);
  return assemble(client, found, inputs, pendingReconfigure);
}

/** A side as the cloud reports it, in the form the user declared it (id or address). */
function readEndpoint(
  e: TaskInstance | null | undefined,
  prev: EndpointInput | undefined,
): EndpointInput | undefined {
  if (!e || (!e.id && !e.addrs)) return prev;
  if (prev?.address !== undefined && e.addrs) return { address: e.addrs };
  if (e.id) return { instanceId: e.id };
  return e.addrs ? { address: e.addrs } : prev;
}

/** Full outputs: declared inputs, the fields read back from the cloud, and the observed state. */
async function assemble(
  client: DcsClient,
  found: Found,
  prev: Partial<DcsTaskInputs>,
  pendingReconfigure: boolean,
): Promise<PropertyMap> {
  const { task: t, item } = found;
  const kind = kindOf(t);
  const configured = t.migration_method !== null && t.migration_method !== undefined;
  const stats = await statsOf(client, t.task_id);
  const readBack: Partial<DcsTaskInputs> = {
    kind,
    name: t.task_name,
    description: prev.description === undefined ? undefined : (t.description ?? undefined),
    network:
      kind === "online" && t.tenant_vpc_id && t.tenant_subnet_id && t.tenant_security_group_id
        ? {
            vpcId: t.tenant_vpc_id,
            subnetId: t.tenant_subnet_id,
            securityGroupId: t.tenant_security_group_id,
          }
        : prev.network,
    migrationMethod: t.migration_method ?? prev.migrationMethod,
    resumeMode: kind === "online" ? (t.resume_mode ?? prev.resumeMode) : undefined,
    bandwidthLimitMb:
      kind === "online" && configured
        ? t.bandwidth_limit_mb
          ? Number(t.bandwidth_limit_mb)
          : undefined
        : prev.bandwidthLimitMb,
    source: kind === "online" && configured ? readEndpoint(t.source_instance, prev.source) : prev.source,
    target: configured || kind === "backup" ? readEndpoint(t.target_instance, prev.target) : prev.target,
    backupFiles: kind === "backup" ? readBackupFiles(t, prev.backupFiles) : undefined,
  };
  if (pendingReconfigure) {
    // The declared settings wait for the next start; reporting the cloud's older ones would make
    // every up until then show the same update again.
    const held = readBack as Record<string, unknown>;
    for (const f of RECONFIGURE_FIELDS) if (f in held) held[f] = (prev as Record<string, unknown>)[f];
  }
  const progress =
    t.status === "SUCCESS" || t.status === "INCRMIGEATING" ? 100 : Number(stats?.full_migration_progress);
  const observed: DcsTaskObserved = {
    taskId: t.task_id,
    status: t.status,
    progress: Number.isFinite(progress) ? progress : 0,
    ipSwitchStatus: t.task_status ?? undefined,
    ecsAddress: t.ecs_tenant_private_ip ?? undefined,
    errorMessage: item.error_message ?? undefined,
    createdAt: t.created_at ?? undefined,
    updatedAt: t.updated_at ?? undefined,
    releasedAt: t.released_at ?? undefined,
    sourceKeys: numberOf(stats?.source_dbsize),
    targetKeys: numberOf(stats?.target_dbsize),
    pendingReconfigure: pendingReconfigure || undefined,
  };
  return clean({ ...prev, ...readBack, ...observed });
}

function numberOf(v: string | null | undefined): number | undefined {
  const n = Number(v);
  return v === null || v === undefined || v === "" || !Number.isFinite(n) ? undefined : n;
}

/** The backup files as the cloud reports them; the declaration wins when it names the same files. */
function readBackupFiles(
  t: MigrationTask,
  prev: DcsTaskInputs["backupFiles"] | undefined,
): DcsTaskInputs["backupFiles"] | undefined {
  const b = t.backup_files;
  if (!b) return prev;
  const cloud = clean({
    fileSource: b.file_source ?? prev?.fileSource ?? "self_build_obs",
    bucketName: b.bucket_name ?? undefined,
    backupId: b.backup_id ?? b.backup_record?.backup_id ?? undefined,
    files: (b.files ?? []).map((f) => ({ name: f.file_name })),
  });
  if (
    prev &&
    prev.fileSource === cloud.fileSource &&
    (prev.bucketName ?? undefined) === cloud.bucketName &&
    (prev.backupId ?? undefined) === cloud.backupId &&
    deepEqual(
      prev.files.map((f) => f.name),
      cloud.files.map((f) => f.name),
    )
  ) {
    return prev;
  }
  return cloud as DcsTaskInputs["backupFiles"];
}

/**
 * The dynamic-provider server turns an error carrying `id` (from create or update) into
 * ErrorResourceInitFailed, so the engine records the task and what the cloud reports instead of
 * losing it. Passwords and credentials are left out of the recorded properties because the engine
 * does not re-mark properties of a failed step as secret; the next up gets them from the program
 * again, and their absence makes that up configure the task afresh.
 */
async function partialFailure(
  client: DcsClient,
  id: string,
  inputs: DcsTaskInputs,
  e: unknown,
  serializedProvider: unknown,
  done: "created" | "updated",
): Promise<Error> {
  let properties: PropertyMap = clean({ ...inputs, taskId: id });
  try {
    properties = await outputs(client, id, inputs);
  } catch {
    // Keep the inputs: the task id is what matters for the next up or destroy.
  }
  delete properties.credentials;
  delete properties.sourcePassword;
  delete properties.targetPassword;
  if (typeof serializedProvider === "string") properties.__provider = serializedProvider;
  const reason = e instanceof Error ? e.message : String(e);
  const err = new Error(`task ${id} was ${done} but did not reach its declared state: ${reason}`) as Error & {
    id: string;
    properties: PropertyMap;
    reasons: string[];
  };
  err.id = id;
  err.properties = properties;
  // The engine shows the reasons, not the message, and keeps them as the resource's init errors:
  // the whole message names the task that was kept.
  err.reasons = [err.message];
  return err;
}
