/**
 * Figures of large stacks, measured on a virtual clock shared by the emulator and the provider:
 * no call waits for real time, so call counts, poll counts and lags are exact and the same on
 * every machine. Each section runs the provider's own create, read and update against a fresh
 * emulator, in process.
 */
import { randomUUID } from "node:crypto";
import { dcsDemoIds, emulatorDefaults, mseDemoIds, startEmulator } from "../emulator";
import type { Emulator, RequestLogEntry } from "../emulator";
import * as mseImpl from "../provider/alicloud/mse/impl";
import * as dcsImpl from "../provider/huaweicloud/dcs/impl";
import * as smsImpl from "../provider/huaweicloud/sms/impl";
import { setLogSink } from "../provider/common/log";
import { setTransport } from "../provider/common/transport";
import type { PropertyMap } from "../provider/common/values";
import { setPollObserver } from "../provider/config";
import { axiosSender } from "../sdk/core/http";
import { VirtualClock } from "../sdk/core/virtual-clock";
import type { PollEvent } from "../sdk/core/waiter";

/** One measured figure. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

type Emit = (f: Figure) => void;

/** The transitions the poll figures time, in seconds. */
export const TRANSITIONS = [5, 60, 600, 1800] as const;

/** Terraform's waits: first poll 5 s after the action, then every 10 s. */
export function terraformPolls(t: number): { polls: number; lagS: number } {
  const polls = t <= 5 ? 1 : 1 + Math.ceil((t - 5) / 10);
  return { polls, lagS: 5 + 10 * (polls - 1) - t };
}

interface World {
  clock: VirtualClock;
  emulator: Emulator;
  close(): Promise<void>;
}

/** A fresh emulator and provider transport on one virtual clock, with the default poll interval. */
async function world(): Promise<World> {
  const clock = new VirtualClock(Date.now());
  const emulator = await startEmulator({ port: 0, timeScale: 1, wall: () => clock.now() });
  setTransport({ clock, sender: clock.sender(axiosSender) });
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env());
  delete process.env.MIGRATION_TASKS_POLL_MS;
  const restoreLog = setLogSink(() => undefined);
  return {
    clock,
    emulator,
    async close() {
      setLogSink(restoreLog);
      setPollObserver(undefined);
      setTransport({});
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      await emulator.close();
    },
  };
}

const count = (log: RequestLogEntry[], operation: string) =>
  log.filter((r) => r.operation === operation).length;

// -------------------------------------------------------------------------------------------
// MSE: refresh of 500 tasks
// -------------------------------------------------------------------------------------------

const mseTask = (i: number, name: string) => ({
  clusterType: "Nacos-Ans" as const,
  originInstanceAddress: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}:8848`,
  originInstanceName: name,
  targetInstanceId: mseDemoIds.instances.ordersNacos,
});

/** ListMigrationTask calls of a refresh of `n` tasks, `deleted` of them deleted out of band. */
export async function mseRefresh(
  n: number,
  names: "unique" | "shared",
  deleted: number,
): Promise<{ calls: number; gone: number; pageSize: number }> {
  const w = await world();
  try {
    w.emulator.reset("empty");
    w.emulator.seed({
      mse: {
        tasks: Array.from({ length: n }, (_, i) =>
          mseTask(i, names === "shared" ? "shared-nacos" : `reg-${i}`),
        ),
      },
    });
    const state = w.emulator.state().services as { mse: { tasks: Record<string, string>[] } };
    const tasks = state.mse.tasks;
    for (const t of tasks.slice(0, deleted))
      w.emulator.forceState({ service: "mse", kind: "task", id: t.Id, delete: true });
    w.emulator.clearRequests();
    const results = await Promise.all(
      tasks.map((t) =>
        mseImpl.read(t.Id, {
          region: "cn-hangzhou",
          clusterType: t.ClusterType,
          originInstanceName: t.OriginInstanceName,
          originInstanceAddress: t.OriginInstanceAddress,
          targetInstanceId: t.TargetInstanceId,
          taskId: t.Id,
        }),
      ),
    );
    const log = w.emulator.requests();
    const sizes = log
      .filter((r) => r.operation === "ListMigrationTask")
      .map((r) => Number(new URLSearchParams(r.query).get("PageSize")));
    return {
      calls: count(log, "ListMigrationTask"),
      gone: results.filter((r) => r.id === "").length,
      pageSize: Math.max(0, ...sizes),
    };
  } finally {
    await w.close();
  }
}

// -------------------------------------------------------------------------------------------
// SMS: refresh of 100 tasks
// -------------------------------------------------------------------------------------------

/** Seeds `n` connected source servers with a target ECS each; answers their ids. */
function seedSmsSources(emulator: Emulator, n: number): { source: string; target: string }[] {
  const pairs = Array.from({ length: n }, () => ({ source: randomUUID(), target: randomUUID() }));
  emulator.seed({
    sms: {
      source_servers: pairs.map((p, i) => ({ id: p.source, name: `bench-src-${i}` })),
      target_servers: pairs.map((p, i) => ({ id: p.target, name: `bench-ecs-${i}` })),
    },
  });
  return pairs;
}

const smsInputs = (p: { source: string; target: string }, i: number): PropertyMap => ({
  name: `bench-task-${i}`,
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: p.source,
  target: { vmId: p.target },
  region: "cn-north-4",
  projectId: emulatorDefaults.projectId,
  state: "ready",
});

/** Check, then create, as the engine calls a resource's implementation for a new resource. */
async function createChecked(
  impl: Pick<typeof smsImpl, "check" | "create">,
  raw: PropertyMap,
): Promise<{ id: string; outs: PropertyMap }> {
  const checked = await impl.check({}, raw);
  const res = await impl.create(checked.inputs ?? raw);
  return { id: res.id, outs: res.outs ?? {} };
}

const smsCreate = (raw: PropertyMap) => createChecked(smsImpl, raw);

/** API calls of a refresh of `n` SMS tasks. */
export async function smsRefresh(n: number): Promise<number> {
  const w = await world();
  try {
    const pairs = seedSmsSources(w.emulator, n);
    const created = await Promise.all(pairs.map((p, i) => smsCreate(smsInputs(p, i))));
    await w.clock.sleep(5_000);
    w.emulator.clearRequests();
    await Promise.all(created.map((c) => smsImpl.read(c.id, c.outs)));
    return w.emulator.requests().filter((r) => r.service === "sms").length;
  } finally {
    await w.close();
  }
}

// -------------------------------------------------------------------------------------------
// Waits: noticing a transition of T seconds
// -------------------------------------------------------------------------------------------

/** Polls from the action to noticing the transition, the lag, and the calls those polls made. */
interface PollFigure {
  polls: number;
  lagS: number;
  calls: number;
}

/** An SMS replication of `t` seconds, from `start` until the provider sees it end (declared `cutover`). */
export async function smsTransition(t: number): Promise<PollFigure> {
  const w = await world();
  try {
    w.emulator.configure({ durations: { replication: t, cutover: 0 } });
    const [pair] = seedSmsSources(w.emulator, 1);
    const raw = smsInputs(pair, 0);
    const { id, outs } = await smsCreate(raw);
    const events: (PollEvent & { requests: number })[] = [];
    setPollObserver((e) => {
      if (e.what === `task ${id} to be cutover`)
        events.push({ ...e, requests: w.emulator.requests().length });
    });
    const news = (await smsImpl.check(outs, { ...raw, state: "cutover" })).inputs ?? {};
    await smsImpl.update(id, outs, news);
    const start = events[0].at;
    const i = events.findIndex((e, k) => k > 0 && (e.done || !(e.observed ?? "").startsWith("RUNNING")));
    return {
      polls: i,
      lagS: (events[i].at - (start + t * 1000)) / 1000,
      calls: events[i].requests - events[0].requests,
    };
  } finally {
    await w.close();
  }
}

/** A DCS online migration as the bench declares it. */
function dcsInputs(method: "full_amount_migration" | "incremental_migration"): PropertyMap {
  return {
    kind: "online",
    name: "bench-sessions",
    region: "cn-north-4",
    projectId: emulatorDefaults.projectId,
    network: {
      vpcId: dcsDemoIds.vpcId,
      subnetId: dcsDemoIds.subnetId,
      securityGroupId: dcsDemoIds.securityGroupId,
    },
    migrationMethod: method,
    resumeMode: "auto",
    source: { address: dcsDemoIds.selfBuiltAddress },
    target: { instanceId: dcsDemoIds.instances.target },
    sourcePassword: dcsDemoIds.passwords.selfBuilt,
    targetPassword: dcsDemoIds.passwords.target,
    state: "running",
    timeouts: { create: "2h" },
  };
}

const dcsCreate = (raw: PropertyMap) => createChecked(dcsImpl, raw);

/** A DCS full migration of `t` seconds, from `configure` until the provider sees `SUCCESS`. */
export async function dcsTransition(t: number): Promise<PollFigure> {
  const w = await world();
  try {
    w.emulator.configure({ dcs: { durations: { connect: 0, fullMigration: t } } });
    const events: (PollEvent & { requests: number })[] = [];
    setPollObserver((e) => {
      if (/^task \S+ to be running$/.test(e.what))
        events.push({ ...e, requests: w.emulator.requests().length });
    });
    await dcsCreate(dcsInputs("full_amount_migration"));
    const start = events[0].at;
    const i = events.findIndex((e) => e.done);
    return {
      polls: i,
      lagS: (events[i].at - (start + t * 1000)) / 1000,
      calls: events[i].requests - events[0].requests,
    };
  } finally {
    await w.close();
  }
}

/** The reads per poll of deleting a running incremental DCS migration (stop, wait, delete, wait). */
export async function dcsDelete(): Promise<{ polls: number; reads: number }> {
  const w = await world();
  try {
    const { id, outs } = await dcsCreate(dcsInputs("incremental_migration"));
    let polls = 0;
    setPollObserver((e) => {
      if (e.what === `task ${id} to be deleted`) polls++;
    });
    w.emulator.clearRequests();
    await dcsImpl.deleteTask(id, outs);
    const reads = w.emulator.requests().filter((r) => r.method === "GET").length;
    return { polls, reads };
  } finally {
    await w.close();
  }
}

// -------------------------------------------------------------------------------------------
// Throttling: 200 creates at 20 requests per second per service
// -------------------------------------------------------------------------------------------

/** 180 MSE and 20 SMS creates at once, the emulator limited to `rate` requests/s per service. */
export async function throttledCreates(
  mseCount: number,
  smsCount: number,
  rate: number,
): Promise<{ failures: number; successRatio: number; attemptRatio: number; throttled: number }> {
  const w = await world();
  try {
    const pairs = seedSmsSources(w.emulator, smsCount);
    w.emulator.injectFault({ kind: "rate-limit", service: "mse", requestsPerSecond: rate });
    w.emulator.injectFault({ kind: "rate-limit", service: "sms", requestsPerSecond: rate });
    w.emulator.clearRequests();
    const mse = Array.from({ length: mseCount }, async (_, i) => {
      const raw: PropertyMap = { region: "cn-hangzhou", ...mseTask(i, `bench-reg-${i}`) };
      return createChecked(mseImpl, raw);
    });
    const sms = pairs.map((p, i) => smsCreate(smsInputs(p, i)));
    const settled = await Promise.allSettled([...mse, ...sms]);
    const log = w.emulator.requests();
    let successRatio = Infinity;
    let attemptRatio = 0;
    for (const service of ["mse", "sms"]) {
      const calls = log.filter((r) => r.service === service);
      const times = calls.map((r) => Date.parse(r.time));
      const windowS = (Math.max(...times) - Math.min(...times)) / 1000 + 1 / rate;
      const ok = calls.filter((r) => r.status < 400).length;
      successRatio = Math.min(successRatio, ok / windowS / rate);
      attemptRatio = Math.max(attemptRatio, calls.length / windowS / rate);
    }
    return {
      failures: settled.filter((s) => s.status === "rejected").length,
      successRatio,
      attemptRatio,
      throttled: log.filter((r) => r.fault === "throttle").length,
    };
  } finally {
    await w.close();
  }
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Every figure of this module. */
export async function scaleFigures(emit: Emit): Promise<void> {
  const unique = await mseRefresh(500, "unique", 0);
  const shared = await mseRefresh(500, "shared", 0);
  const deleted = await mseRefresh(500, "shared", 50);
  emit({
    name: "mse.calls_refresh_500",
    value: Math.max(unique.calls, shared.calls, deleted.calls),
    unit: "calls",
  });
  emit({ name: "mse.calls_refresh_500_unique_names", value: unique.calls, unit: "calls" });
  emit({ name: "mse.calls_refresh_500_shared_name", value: shared.calls, unit: "calls" });
  emit({ name: "mse.calls_refresh_500_50_deleted", value: deleted.calls, unit: "calls" });
  emit({ name: "mse.page_size", value: deleted.pageSize, unit: "tasks" });
  emit({ name: "sms.calls_refresh_100", value: await smsRefresh(100), unit: "calls" });

  const ours: number[] = [];
  const lags: number[] = [];
  const tf: number[] = [];
  const tfLags: number[] = [];
  let dcsCalls = 0;
  let dcsPolls = 0;
  for (const kind of ["sms", "dcs"] as const) {
    for (const t of TRANSITIONS) {
      const f = kind === "sms" ? await smsTransition(t) : await dcsTransition(t);
      emit({ name: `poll.${kind}.T${t}.polls`, value: f.polls, unit: "polls" });
      emit({ name: `poll.${kind}.T${t}.lag_s`, value: round(f.lagS), unit: "s" });
      ours.push(f.polls);
      lags.push(f.lagS);
      const ref = terraformPolls(t);
      tf.push(ref.polls);
      tfLags.push(ref.lagS);
      if (kind === "dcs") {
        dcsCalls += f.calls;
        dcsPolls += f.polls;
      }
    }
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  emit({ name: "poll.lag_mean_s", value: round(sum(lags) / lags.length), unit: "s" });
  emit({ name: "poll.polls_vs_terraform", value: round(sum(ours) / sum(tf), 3), unit: "ratio" });
  emit({ name: "poll.terraform_lag_mean_s", value: round(sum(tfLags) / tfLags.length), unit: "s" });
  emit({ name: "dcs.calls_per_poll", value: round(dcsCalls / dcsPolls), unit: "calls" });
  const del = await dcsDelete();
  emit({ name: "dcs.reads_per_poll_delete", value: round(del.reads / del.polls), unit: "calls" });

  const th = await throttledCreates(180, 20, 20);
  emit({ name: "throttle.create_failures", value: th.failures, unit: "creates" });
  emit({ name: "throttle.success_rate_ratio", value: round(th.successRatio), unit: "ratio" });
  emit({ name: "throttle.attempt_rate_ratio", value: round(th.attemptRatio), unit: "ratio" });
  emit({ name: "throttle.throttled_answers", value: th.throttled, unit: "calls" });
}
