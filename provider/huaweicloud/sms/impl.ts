/**
 * Implementation of `huaweicloud.sms.MigrationTask`. Runs inside the dynamic-provider process,
 * loaded by package name from the thin serialized provider, so it may use any module freely.
 */
import { createHash } from "node:crypto";
import * as os from "node:os";
import type { dynamic } from "@pulumi/pulumi";
import { CloudError } from "../../../sdk/core/errors";
import { ListSnapshots } from "../../../sdk/core/list-snapshot";
import { waitUntil } from "../../../sdk/core/waiter";
import { HuaweiClient, isHuaweiNotFound } from "../../../sdk/huawei/client";
import type { HuaweiSettings } from "../../../sdk/huawei/credentials";
import { resolveHuaweiSettings } from "../../../sdk/huawei/credentials";
import { huaweiEndpoint } from "../../../sdk/huawei/endpoints";
import type {
  ConfigBody,
  PostTask,
  PutTaskReq,
  SpeedLimitItem,
  Task,
  TaskListItem,
  SourceState,
  TaskOperation,
  UpdateTaskStatusReq,
} from "../../../sdk/huawei/sms/contract";
import { DELETE_BLOCKING_SOURCE_STATES } from "../../../sdk/huawei/sms/contract";
import { SmsClient } from "../../../sdk/huawei/sms/client";
import { checkInputs } from "../../common/check";
import { inputFields, parseInputs } from "../../common/inputs";
import { fieldChanges } from "../../common/diff";
import { logInfo } from "../../common/log";
import { deadlineMs } from "../../common/timeouts";
import { containsUnknown } from "../../common/unknown";
import type { PropertyMap } from "../../common/values";
import { clean } from "../../common/values";
import { polling, stackConfig } from "../../config";
import { numberSetting, onTransportReset, transportClock, transportOptions } from "../../common/transport";
import type { Observed } from "./lifecycle";
import { isCutOver, nextStep, satisfies } from "./lifecycle";
import type { DrillsInput, SmsTaskInputs, SmsTaskObserved } from "./schema";
import { drillOperations, smsFields, SmsTaskInputs as InputsSchema, smsRules } from "./schema";

const DEFAULT_TIMEOUTS = { create: "60m", update: "60m", delete: "30m" } as const;

/** The most tasks one ListTasks page holds (`limit` 0 to 200). */
const SMS_LIST_PAGE_SIZE = 200;

/**
 * The task list every refresh of this provider process shares: its items carry every field a
 * read needs, so a stack of N tasks costs N/200 calls rather than N (see {@link ListSnapshots}).
 */
let snapshots: ListSnapshots<TaskListItem> | undefined;
onTransportReset(() => (snapshots = undefined));

function taskSnapshots(): ListSnapshots<TaskListItem> {
  snapshots ??= new ListSnapshots<TaskListItem>(
    (t) => t.id,
    transportClock(),
    numberSetting("listSnapshotMaxAgeMs", "MIGRATION_TASKS_LIST_SNAPSHOT_MAX_AGE_MS", 60_000),
    numberSetting("listSnapshotIdleMs", "MIGRATION_TASKS_LIST_SNAPSHOT_IDLE_MS", 1_000),
  );
  return snapshots;
}

/** Validates inputs; unknown values pass through untouched during preview. */
export async function check(_olds: PropertyMap, news: PropertyMap): Promise<dynamic.CheckResult> {
  const res = checkInputs(InputsSchema, smsFields, news, smsRules);
  const inputs = res.inputs;
  // The cloud fills these when they are absent; defaulting them here keeps refresh from
  // reporting drift that the user never declared.
  if (
    inputs.projectName === undefined &&
    typeof inputs.region === "string" &&
    !containsUnknown(inputs.region)
  ) {
    inputs.projectName = inputs.region;
  }
  if (inputs.speedLimitMbps === undefined) inputs.speedLimitMbps = 0;
  return { inputs, failures: res.failures };
}

/** Field changes from the table, plus lifecycle drift of the observed status. */
export async function diff(id: string, olds: PropertyMap, news: PropertyMap): Promise<dynamic.DiffResult> {
  const { changed, replaces } = fieldChanges(smsFields, olds, news);
  const declared = news.state;
  if (typeof olds.status === "string" && typeof declared === "string" && !containsUnknown(declared)) {
    const o = observedOf(olds);
    const d = declared as SmsTaskInputs["state"];
    if (!satisfies(d, o) && !changed.includes("state")) changed.push("state");
    if (replaces.length === 0) {
      const step = nextStep(d, o);
      if (step.kind === "impossible") {
        throw new Error(`state: task ${id} cannot be made "${d}": ${step.reason}`);
      }
    }
  }
  return {
    changes: changed.length > 0,
    replaces,
    // SMS allows one task per source server, so a replacement on the same source must
    // delete the old task first.
    deleteBeforeReplace: replaces.length > 0 && !replaces.includes("sourceServerId"),
  };
}

/** Creates (or adopts) the task and converges it to the declared state. */
export async function create(raw: PropertyMap): Promise<dynamic.CreateResult> {
  const inputs = parse(raw);
  const { client, key } = smsClient(inputs, deadlineMs(inputs.timeouts, "create", DEFAULT_TIMEOUTS.create));
  taskSnapshots().invalidate(key);
  let id: string;
  let fresh = false;
  let takeOver: Task | undefined;
  if (inputs.adoptTaskId) {
    id = await adopt(client, inputs);
  } else {
    // After a create whose provider process died (a killed `pulumi up`), the engine calls create
    // again with the same inputs while the task that first create made runs on untracked. SMS
    // allows one task per source server, so creating again would fail with SMS.2218: take over
    // the task if it is that create's, recognised by name, source server, type and target.
    const left = await leftBehind(client, inputs);
    if (left) {
      logInfo(
        `task ${left.id} (name ${JSON.stringify(inputs.name)}, source server ${inputs.sourceServerId}) already ` +
          `exists with the declared identity, left by an interrupted create; taking it over instead of creating another`,
      );
      id = left.id;
      takeOver = left;
    } else {
      id = await createTask(client, inputs);
      fresh = true;
    }
  }
  try {
    // Inside the try, so that a failure while taking over still records the task in the stack.
    if (takeOver) await adopt(client, inputs, takeOver);
    if (fresh) {
      // PostTask has no enterprise project field; the PUT sets it.
      if (inputs.enterpriseProjectId !== undefined) {
        await client.updateTask(id, { enterprise_project: inputs.enterpriseProjectId });
      }
      if (inputs.speedLimits?.length) await client.setSpeedLimits(id, toSpeedLimits(inputs.speedLimits));
      if (inputs.configurations?.length) await client.setConfigurations(id, toConfigs(inputs.configurations));
    }
    const deadline = deadlineMs(inputs.timeouts, "create", DEFAULT_TIMEOUTS.create);
    await converge(client, id, inputs.state, deadline);
    await runDrills(client, id, inputs, undefined, deadline);
    return { id, outs: await outputs(client, id, inputs) };
  } catch (e) {
    throw await initFailure(client, id, inputs, e, raw.__provider);
  }
}

/**
 * Reads the task for refresh: every read-back field shows drift; gone means a blank id. The
 * task comes from the list snapshot the process shares, else from its own GET (a 404 there
 * means gone); the passphrase is kept from state, and speed-limit windows are read only when
 * declared or seen before.
 */
export async function read(id: string, props: PropertyMap): Promise<dynamic.ReadResult> {
  const prev = inputsOf(props);
  const { client, key } = smsClient(prev);
  const listed = await taskSnapshots().peek(key, () => client.listTasks({}, SMS_LIST_PAGE_SIZE), id);
  const task = listed ?? (await client.findTask(id));
  if (!task) return { id: "", props: {} };
  const outs = await assemble(client, task, prev, props);
  return { id, props: outs, inputs: inputsOf(outs) };
}

/** Applies in-place changes, then converges lifecycle and drills. */
export async function update(
  id: string,
  olds: PropertyMap,
  news: PropertyMap,
): Promise<dynamic.UpdateResult> {
  const inputs = parse(news);
  const { client, key } = smsClient(inputs, deadlineMs(inputs.timeouts, "update", DEFAULT_TIMEOUTS.update));
  taskSnapshots().invalidate(key);
  const { changed } = fieldChanges(smsFields, olds, news);
  const put: PutTaskReq = {};
  if (changed.includes("name")) put.name = inputs.name;
  if (changed.includes("speedLimitMbps")) put.speed_limit = inputs.speedLimitMbps ?? 0;
  if (changed.includes("migrationIp")) put.migration_ip = inputs.migrationIp ?? "";
  if (changed.includes("useIpv6")) put.use_ipv6 = inputs.useIpv6;
  if (changed.includes("usePublicIp")) put.use_public_ip = inputs.usePublicIp;
  if (changed.includes("enterpriseProjectId")) put.enterprise_project = inputs.enterpriseProjectId;
  if (Object.keys(put).length > 0) await client.updateTask(id, put);
  if (changed.includes("speedLimits"))
    await client.setSpeedLimits(id, toSpeedLimits(inputs.speedLimits ?? []));
  if (changed.includes("configurations"))
    await client.setConfigurations(id, toConfigs(inputs.configurations ?? []));
  const deadline = deadlineMs(inputs.timeouts, "update", DEFAULT_TIMEOUTS.update);
  await converge(client, id, inputs.state, deadline);
  await runDrills(client, id, inputs, olds.drills as DrillsInput | undefined, deadline);
  return { outs: await outputs(client, id, inputs, olds) };
}

/** Stops a running task, deletes it and waits until it is gone; already gone is success. */
export async function deleteTask(id: string, props: PropertyMap): Promise<void> {
  const prev = inputsOf(props);
  const { client, key } = smsClient(prev, deadlineMs(prev.timeouts, "delete", DEFAULT_TIMEOUTS.delete));
  taskSnapshots().invalidate(key);
  let stopSent = false;
  let deleteSent = false;
  await waitUntil<void>(
    async () => {
      const t = await client.findTask(id);
      if (!t) return { done: true, value: undefined };
      const src = t.source_server?.state ?? "";
      if ((t.state === "RUNNING" || t.state === "SYNCING") && !stopSent) {
        logInfo(`task ${id}: stopping before delete (task is ${t.state})`);
        stopSent = (await actOnce(client, id, { operation: "stop" })) === undefined;
        return { done: false, observed: t.state };
      }
      const busy =
        DELETE_BLOCKING_SOURCE_STATES.has(src as SourceState) ||
        ["RUNNING", "SYNCING", "ABORTING", "DELETING"].includes(t.state);
      if (!busy && !deleteSent) {
        try {
          await client.deleteTask(id);
          deleteSent = true;
        } catch (e) {
          if (isHuaweiNotFound(e, "sms")) return { done: true, value: undefined };
          // SMS.2015: the task went busy between the read and the delete; wait and retry.
          if (!(CloudError.isInstance(e) && e.code === "SMS.2015")) throw e;
        }
      }
      return { done: false, observed: deleteSent ? `${t.state}, delete sent` : `${t.state}, source ${src}` };
    },
    polling(`task ${id} to be deleted`, deadlineMs(prev.timeouts, "delete", DEFAULT_TIMEOUTS.delete)),
  );
}

const parse = (raw: PropertyMap): SmsTaskInputs => parseInputs(InputsSchema, smsFields, raw);

/** The input fields of a property map (old outputs carry them beside the observed values). */
const inputsOf = (p: PropertyMap): Partial<SmsTaskInputs> => inputFields(smsFields, p);

/**
 * A client paced by the process's limiter of the SMS endpoint, for an operation due within
 * `deadlineMs`, and the key of its list snapshot (endpoint and a digest of the credentials).
 */
function smsClient(inputs: Partial<SmsTaskInputs>, deadlineMs?: number): { client: SmsClient; key: string } {
  const env = process.env;
  // SMS is a global service: the API region defaults to cn-north-4 whatever the task's
  // target region, as the official SDK and Terraform do.
  const apiRegion =
    stackConfig("huaweicloud:region") ?? env.HW_REGION_NAME ?? env.OS_REGION_NAME ?? "cn-north-4";
  const settings = resolveHuaweiSettings({
    args: { ...(inputs.credentials ?? {}), region: apiRegion },
    config: stackConfig,
    env,
    homeDir: os.homedir(),
  });
  const endpoint = huaweiEndpoint("sms", apiRegion, settings);
  const client = new SmsClient(
    new HuaweiClient("sms", settings, transportOptions("sms", endpoint, deadlineMs)),
  );
  return { client, key: snapshotKey(endpoint, settings) };
}

function snapshotKey(endpoint: string, s: HuaweiSettings): string {
  const who = createHash("sha256")
    .update([s.accessKey, s.secretKey, s.securityToken, s.authToken, s.projectId, s.domainId].join("\n"))
    .digest("hex")
    .slice(0, 16);
  return `${endpoint} ${who}`;
}

async function createTask(client: SmsClient, inputs: SmsTaskInputs): Promise<string> {
  const src = await client.showServer(inputs.sourceServerId).catch((e: unknown) => {
    // The service's own 404 about the server (not the gateway's APIGW.0101 for a wrong path).
    if (CloudError.isInstance(e) && e.httpStatus === 404 && e.code?.startsWith("SMS.")) {
      throw new Error(`sourceServerId: source server ${inputs.sourceServerId} is not registered with SMS`);
    }
    throw e;
  });
  if (src.connected === false) {
    throw new Error(
      `sourceServerId: the SMS agent of source server ${inputs.sourceServerId} (${src.name ?? "unnamed"}) is not connected`,
    );
  }
  const t = inputs.target;
  const disks = t.disks?.map((d) => ({
    disk_id: d.diskId,
    name: d.name,
    device_use: d.deviceUse,
    size: d.size,
    used_size: d.usedSize,
    physical_volumes: d.physicalVolumes?.map((p) => ({
      name: p.name,
      device_use: p.deviceUse,
      file_system: p.fileSystem,
      index: p.index,
      mount_point: p.mountPoint,
      size: p.size,
      used_size: p.usedSize,
      uuid: p.uuid,
    })),
  }));
  const body: PostTask = clean({
    name: inputs.name,
    type: inputs.type,
    os_type: inputs.osType,
    source_server: { id: inputs.sourceServerId },
    target_server: {
      name: t.name ?? inputs.name,
      vm_id: t.vmId ?? "",
      disks: disks ?? src.init_target_server?.disks ?? undefined,
    },
    region_name: inputs.region,
    region_id: inputs.region,
    project_name: inputs.projectName ?? inputs.region,
    project_id: inputs.projectId,
    start_target_server: inputs.startTargetServer,
    auto_start: false,
    migration_ip: inputs.migrationIp,
    priority: inputs.priority,
    vm_template_id: t.vmTemplateId,
    clonevm_template_id: inputs.cloneVmTemplateId,
    use_public_ip: inputs.usePublicIp,
    use_ipv6: inputs.useIpv6,
    syncing: inputs.syncing,
    exist_server: t.vmId !== undefined,
    start_network_check: inputs.startNetworkCheck,
    speed_limit: inputs.speedLimitMbps,
    over_speed_threshold: inputs.overSpeedThreshold,
    is_need_consistency_check: inputs.isNeedConsistencyCheck,
    need_migration_test: inputs.needMigrationTest,
  }) as PostTask;
  const res = await client.createTask(body, { log: logInfo });
  logInfo(`task ${res.id} created for source server ${inputs.sourceServerId}`);
  return res.id;
}

/** The PUT body that brings the cloud's mutable fields to the declared ones; empty when equal. */
function mutableDrift(t: Task, inputs: SmsTaskInputs): PutTaskReq {
  const put: PutTaskReq = {};
  if (t.name !== inputs.name) put.name = inputs.name;
  if ((t.speed_limit ?? 0) !== (inputs.speedLimitMbps ?? 0)) put.speed_limit = inputs.speedLimitMbps ?? 0;
  if (inputs.migrationIp !== undefined && t.migration_ip !== inputs.migrationIp)
    put.migration_ip = inputs.migrationIp;
  if (t.use_ipv6 !== undefined && t.use_ipv6 !== null && t.use_ipv6 !== inputs.useIpv6)
    put.use_ipv6 = inputs.useIpv6;
  if (t.use_public_ip !== undefined && t.use_public_ip !== null && t.use_public_ip !== inputs.usePublicIp) {
    put.use_public_ip = inputs.usePublicIp;
  }
  if (inputs.enterpriseProjectId !== undefined && t.enterprise_project_id !== inputs.enterpriseProjectId) {
    put.enterprise_project = inputs.enterpriseProjectId;
  }
  return put;
}

/**
 * The task of the declared source server that an interrupted create of this resource made: same
 * name, type, source server and target (VM or template). A task that differs in any of them is
 * never taken, whoever made it.
 */
async function leftBehind(client: SmsClient, inputs: SmsTaskInputs): Promise<Task | undefined> {
  for await (const item of client.listTasks({ source_server_id: inputs.sourceServerId })) {
    if (item.name !== inputs.name || item.state === "DELETING") continue;
    const t = await client.findTask(item.id);
    if (t && sameIdentity(t, inputs)) return t;
  }
  return undefined;
}

function sameIdentity(t: Task, inputs: SmsTaskInputs): boolean {
  if (t.name !== inputs.name || t.type !== inputs.type) return false;
  if (t.os_type && t.os_type !== inputs.osType) return false;
  if ((t.source_server?.id ?? inputs.sourceServerId) !== inputs.sourceServerId) return false;
  const target = inputs.target;
  if (target.vmId !== undefined) return t.target_server?.vm_id === target.vmId;
  return t.vm_template_id === target.vmTemplateId;
}

/**
 * Takes over an existing task instead of creating one: the one `adoptTaskId` names (`pulumi
 * import` cannot work here), or one an interrupted create left behind.
 */
async function adopt(client: SmsClient, inputs: SmsTaskInputs, found?: Task): Promise<string> {
  const id = found?.id ?? (inputs.adoptTaskId as string);
  const t = found ?? (await client.findTask(id));
  if (!t) throw new Error(`adoptTaskId: task ${id} does not exist`);
  const mismatch: string[] = [];
  if (t.type !== inputs.type) mismatch.push(`type is ${t.type}, declared ${inputs.type}`);
  if (t.os_type && t.os_type !== inputs.osType)
    mismatch.push(`osType is ${t.os_type}, declared ${inputs.osType}`);
  if (t.source_server?.id && t.source_server.id !== inputs.sourceServerId) {
    mismatch.push(`sourceServerId is ${t.source_server.id}, declared ${inputs.sourceServerId}`);
  }
  if (mismatch.length) {
    throw new Error(
      `adoptTaskId: task ${id} differs in fields that cannot be updated: ${mismatch.join("; ")}`,
    );
  }
  const put = mutableDrift(t, inputs);
  if (Object.keys(put).length) await client.updateTask(id, put);
  if (inputs.speedLimits) await client.setSpeedLimits(id, toSpeedLimits(inputs.speedLimits));
  if (inputs.configurations) await client.setConfigurations(id, toConfigs(inputs.configurations));
  logInfo(`task ${id} ${found ? "taken over" : "adopted"}`);
  return id;
}

function lifecycleOf(t: Task): Observed {
  return {
    status: t.state,
    sourceServerState: t.source_server?.state ?? undefined,
    migrationCycle: t.source_server?.migration_cycle ?? undefined,
  };
}

function observedOf(p: PropertyMap): Observed {
  const s = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : undefined);
  return {
    status: s("status") ?? "",
    sourceServerState: s("sourceServerState"),
    migrationCycle: s("migrationCycle"),
  };
}

/** Drives the action API until the task is in the declared state, or fails clearly. */
async function converge(
  client: SmsClient,
  id: string,
  declared: SmsTaskInputs["state"],
  deadline: number,
): Promise<void> {
  const acted = new Set<TaskOperation>();
  await waitUntil<void>(
    async () => {
      const t = await client.showTask(id);
      const step = nextStep(declared, lifecycleOf(t), acted);
      switch (step.kind) {
        case "done":
          return { done: true, value: undefined };
        case "act":
          logInfo(`task ${id}: ${step.operation} (${step.why})`);
          {
            const failure = await actOnce(client, id, { operation: step.operation });
            if (failure)
              return { done: false, observed: `${t.state}, ${step.operation} not confirmed: ${failure}` };
          }
          acted.add(step.operation);
          return { done: false, observed: `${t.state}, ${step.operation} sent` };
        case "wait":
          return {
            done: false,
            observed: t.state,
            progress: `${progressOf(t)}%`,
            // The service's own estimate of the replication left times the next poll.
            etaMs:
              t.state === "RUNNING" && typeof t.remain_seconds === "number" && t.remain_seconds > 0
                ? t.remain_seconds * 1000
                : undefined,
          };
        case "impossible":
        case "failed":
          throw new Error(`state: task ${id} did not become "${declared}": ${step.reason}${errorSuffix(t)}`);
      }
    },
    polling(`task ${id} to be ${declared}`, deadline),
  );
}

/**
 * Sends an action once. A retryable failure (lost answer, 5xx, throttling) is returned as its
 * message, not thrown: the action may or may not have taken effect, so the caller re-reads the
 * task before deciding to act again, instead of resending an action the service would refuse
 * the second time.
 */
async function actOnce(
  client: SmsClient,
  id: string,
  body: UpdateTaskStatusReq,
): Promise<string | undefined> {
  try {
    await client.action(id, body);
    return undefined;
  } catch (e) {
    if (CloudError.isInstance(e) && e.retryable) {
      logInfo(`task ${id}: ${body.operation} not confirmed (${e.code ?? e.httpStatus}); re-reading the task`);
      return e.message;
    }
    throw e;
  }
}

/** Runs each drill whose trigger is new, and waits for the drills that have an outcome. */
async function runDrills(
  client: SmsClient,
  id: string,
  inputs: SmsTaskInputs,
  previous: DrillsInput | undefined,
  deadline: number,
): Promise<void> {
  for (const key of Object.keys(drillOperations) as (keyof DrillsInput)[]) {
    const trigger = inputs.drills?.[key];
    if (!trigger || trigger === previous?.[key]) continue;
    const operation = drillOperations[key];
    const withTemplate = operation === "test" || operation === "clone_test";
    logInfo(`task ${id}: drill ${operation} (trigger ${JSON.stringify(trigger)})`);
    await client.action(
      id,
      clean({
        operation,
        template_id: withTemplate ? inputs.drillTemplateId : undefined,
        switch_hce: withTemplate ? inputs.switchHce : undefined,
      }),
    );
    if (withTemplate) {
      await waitUntil<void>(
        async () => {
          const t = await client.showTask(id);
          const c = t.clone_server?.clone_state;
          if (c === "FINISHED") return { done: true, value: undefined };
          if (c === "ERROR") {
            throw new Error(
              `drills.${key}: ${operation} failed: ${t.clone_server?.error_msg ?? t.clone_server?.clone_error ?? "clone error"}`,
            );
          }
          return { done: false, observed: `clone ${c ?? "not started"}` };
        },
        polling(`drill ${operation} of task ${id}`, deadline),
      );
    } else if (operation === "migration_test") {
      await waitUntil<void>(
        async () => {
          const t = await client.showTask(id);
          const s = t.source_server?.state;
          if (s === "premiged") return { done: true, value: undefined };
          if (s === "premigfailed") throw new Error(`drills.${key}: migration_test failed${errorSuffix(t)}`);
          return { done: false, observed: `source ${s ?? "unknown"}` };
        },
        polling(`drill ${operation} of task ${id}`, deadline),
      );
    }
  }
}

async function outputs(
  client: SmsClient,
  id: string,
  inputs: Partial<SmsTaskInputs>,
  known?: PropertyMap,
): Promise<PropertyMap> {
  return assemble(client, await client.showTask(id), inputs, known);
}

/** Configurations as a list item carries them (`special_config`), when it does. */
function listedConfigurations(t: Task | TaskListItem): ConfigBody[] | undefined {
  const items = (t as TaskListItem).special_config;
  if (!Array.isArray(items)) return undefined;
  return items.flatMap((c) =>
    typeof c.config_key === "string" && typeof c.config_value === "string"
      ? [{ config_key: c.config_key, config_value: c.config_value }]
      : [],
  );
}

/**
 * Full outputs: declared inputs, the fields read back from the cloud, and the observed state.
 * Beside the task itself it calls only for what it cannot know otherwise: speed-limit windows
 * when declared or seen before, configurations when declared and not in a list item, and the
 * passphrase when `known` (the state) does not hold it.
 */
async function assemble(
  client: SmsClient,
  t: Task | TaskListItem,
  prev: Partial<SmsTaskInputs>,
  known?: PropertyMap,
): Promise<PropertyMap> {
  const listed = listedConfigurations(t);
  const [speed, configs, passphrase] = await Promise.all([
    prev.speedLimits !== undefined ? client.getSpeedLimits(t.id) : undefined,
    listed ?? (prev.configurations !== undefined ? client.getConfigurations(t.id) : undefined),
    typeof known?.passphrase === "string" ? known.passphrase : client.passphrase(t.id),
  ]);
  const readBack: Partial<SmsTaskInputs> = {
    name: t.name,
    type: t.type,
    osType: t.os_type ?? prev.osType,
    sourceServerId: t.source_server?.id ?? prev.sourceServerId,
    target: readTarget(t, prev.target),
    region: t.region_name ?? prev.region,
    projectId: t.project_id ?? prev.projectId,
    projectName: t.project_name ?? prev.projectName,
    speedLimitMbps: t.speed_limit ?? prev.speedLimitMbps,
    speedLimits: speed?.length
      ? speed
          .map((s) =>
            clean({
              start: s.start,
              end: s.end,
              speedMbps: s.speed,
              overSpeedThreshold: s.over_speed_threshold,
            }),
          )
          .sort(byJson)
      : prev.speedLimits === undefined
        ? undefined
        : [],
    configurations: configs?.length
      ? configs.map((c) => ({ key: c.config_key, value: c.config_value })).sort(byJson)
      : prev.configurations === undefined
        ? undefined
        : [],
    migrationIp: ifDeclared(prev.migrationIp, t.migration_ip || undefined),
    useIpv6: t.use_ipv6 ?? prev.useIpv6,
    usePublicIp: t.use_public_ip ?? prev.usePublicIp,
    startTargetServer: t.start_target_server ?? prev.startTargetServer,
    syncing: t.syncing ?? prev.syncing,
    priority: t.priority ?? prev.priority,
    needMigrationTest: ifDeclared(prev.needMigrationTest, t.need_migration_test ?? undefined),
    enterpriseProjectId: ifDeclared(prev.enterpriseProjectId, t.enterprise_project_id ?? undefined),
  };
  const observed: SmsTaskObserved = {
    taskId: t.id,
    status: t.state,
    progress: progressOf(t),
    subTasks: (t.sub_tasks ?? []).map((s) =>
      clean({
        name: s.name,
        progress: s.progress,
        startedAt: iso(s.start_date),
        finishedAt: iso(s.end_date),
      }),
    ),
    migrateSpeedMbps: t.migrate_speed ?? undefined,
    remainingSeconds: t.remain_seconds ?? undefined,
    estimatedCompletionTime: iso(t.estimate_complete_time),
    totalTimeSeconds: t.total_time ?? undefined,
    sourceServerState: t.source_server?.state ?? undefined,
    migrationCycle: t.source_server?.migration_cycle ?? undefined,
    connected: t.connected ?? undefined,
    targetVmId: t.target_server?.vm_id || undefined,
    cloneServer: t.clone_server
      ? clean({
          vmId: t.clone_server.vm_id ?? undefined,
          name: t.clone_server.name ?? undefined,
          state: t.clone_server.clone_state ?? undefined,
          error: t.clone_server.error_msg ?? t.clone_server.clone_error ?? undefined,
        })
      : undefined,
    networkCheck: t.network_check_info ? clean(t.network_check_info) : undefined,
    errorDetails: t.error_json || undefined,
    createdAt: iso(t.create_date),
    startedAt: iso(t.start_date),
    finishedAt: iso(t.finish_date),
    passphrase,
  };
  return clean({ ...prev, ...readBack, ...observed });
}

/**
 * The cloud's value of an optional field that the cloud fills in when it is not declared
 * (the target's IP as migration IP, enterprise project "0"): reported only when declared, so
 * that a field the user never set does not show as drift.
 */
function ifDeclared<T>(declared: T | undefined, cloud: T | undefined): T | undefined {
  return declared === undefined ? undefined : cloud;
}

function readTarget(t: Task, prev: SmsTaskInputs["target"] | undefined): SmsTaskInputs["target"] | undefined {
  if (!prev) return t.target_server?.vm_id ? { vmId: t.target_server.vm_id } : undefined;
  if (prev.vmId !== undefined) return clean({ ...prev, vmId: t.target_server?.vm_id || prev.vmId });
  return clean({ ...prev, vmTemplateId: t.vm_template_id || prev.vmTemplateId });
}

/** Overall progress: 100 once replicated, else the mean of the sub-tasks. */
export function progressOf(t: Task): number {
  if (["MIGRATE_SUCCESS", "SYNC_SUCCESS", "SYNCING"].includes(t.state) || isCutOver(lifecycleOf(t)))
    return 100;
  const subs = t.sub_tasks ?? [];
  if (subs.length === 0) return 0;
  return Math.round(subs.reduce((a, s) => a + s.progress, 0) / subs.length);
}

function errorSuffix(t: Task): string {
  return t.error_json ? ` (cloud error: ${t.error_json})` : "";
}

function iso(ms: number | null | undefined): string | undefined {
  return typeof ms === "number" && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function byJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function toSpeedLimits(items: NonNullable<SmsTaskInputs["speedLimits"]>): SpeedLimitItem[] {
  return items.map((s) =>
    clean({ start: s.start, end: s.end, speed: s.speedMbps, over_speed_threshold: s.overSpeedThreshold }),
  );
}

function toConfigs(items: NonNullable<SmsTaskInputs["configurations"]>): ConfigBody[] {
  return items.map((c) => ({ config_key: c.key, config_value: c.value }));
}

/**
 * The dynamic-provider server turns an error carrying `id` into ErrorResourceInitFailed, so the
 * engine records the task in state instead of losing it. Secrets are left out of the recorded
 * properties, so that no path of a failed create can store them in plaintext (the engine does
 * re-mark properties named like a secret input, but the passphrase is not one); the next update
 * records them again.
 */
async function initFailure(
  client: SmsClient,
  id: string,
  inputs: SmsTaskInputs,
  e: unknown,
  serializedProvider: unknown,
): Promise<Error> {
  let properties: PropertyMap = clean({ ...inputs, taskId: id });
  try {
    properties = await outputs(client, id, inputs);
  } catch {
    // Keep the inputs: the task id is what matters for the next up or destroy.
  }
  delete properties.credentials;
  delete properties.passphrase;
  // The server adds __provider to successful results only; without it the recorded task
  // could not be refreshed or destroyed later.
  if (typeof serializedProvider === "string") properties.__provider = serializedProvider;
  const reason = e instanceof Error ? e.message : String(e);
  const err = new Error(`task ${id} was created but did not reach its declared state: ${reason}`) as Error & {
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
