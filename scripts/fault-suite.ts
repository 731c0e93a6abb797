/**
 * The fault suite: every operation of the three resources (create, in-place update, lifecycle
 * change, refresh, delete) against every fault the emulator injects, each followed by the same
 * operation again without the fault, as a user would run `pulumi up` (or `destroy`, or `refresh`)
 * again. Each cell says whether the task converged on the first run or the second, and counts
 * tasks left untracked in the cloud, duplicate tasks, and secrets found in plaintext in state,
 * the provider's output or the emulator's request log.
 *
 * Used by `npm run faults` (all cells) and by a test that runs a few.
 */
import type { Emulator, FaultSpec } from "../emulator";
import { alicloudDefaults, dcsDemoIds, emulatorDefaults, mseDemoIds, smsDemoIds } from "../emulator";
import type { PulumiProgram } from "../harness";
import { containsPlaintext, MiniEngine } from "../harness";
import { alicloud, huaweicloud } from "../index";

/** The resources. */
export type Kind = "sms" | "dcs" | "mse";
/** The operations a user runs. */
export type Operation = "create" | "update" | "lifecycle" | "switch" | "refresh" | "delete";
/** The faults: each is injected on the operation's own API call, except `fail-next-3`. */
export type FaultName =
  | "throttle"
  | "error5xx"
  | "latency-past-timeout"
  | "drop-before"
  | "drop-after"
  | "fail-next-3"
  | "killed-mid-wait";

export const FAULTS: readonly FaultName[] = [
  "throttle",
  "error5xx",
  "latency-past-timeout",
  "drop-before",
  "drop-after",
  "fail-next-3",
  "killed-mid-wait",
];

/** Per-attempt timeout the suite sets for the clients, and the latency that exceeds it. */
export const CLIENT_TIMEOUT_MS = 400;
const LATENCY_MS = 1_200;
/** How long a call is held while the provider process is killed. */
const HOLD_MS = 3_000;

/** Which declaration a step applies (`switched`: the DCS IP switch exchanged). */
type Variant = "base" | "updated" | "lifecycle" | "switched";

interface CloudTask {
  id: string;
  /** What identifies the task as this resource's (its name). */
  identity: string;
  raw: Record<string, unknown>;
}

interface KindDef {
  resource: string;
  identity: string;
  program(v: Variant): PulumiProgram;
  /** The API call each operation is about; faults are injected on it. */
  calls: Record<Operation, string | undefined>;
  /** The call a create waits on, where a mid-wait kill strikes. */
  waitCall?: string;
  tasks(emulator: Emulator): CloudTask[];
  /** Whether the cloud's task is as declared by `v`. */
  satisfied(t: CloudTask, v: Variant): boolean;
}

const SECRETS = [
  ...Object.values(dcsDemoIds.passwords),
  emulatorDefaults.secretKey,
  alicloudDefaults.accessKeySecret,
];

function serviceTasks(emulator: Emulator, service: string): Record<string, unknown>[] {
  const services = emulator.state().services as Record<string, { tasks?: Record<string, unknown>[] }>;
  return services[service]?.tasks ?? [];
}

const smsArgs = (v: Variant): huaweicloud.sms.MigrationTaskArgs => ({
  name: "faults-web-01",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: smsDemoIds.sources.web01,
  target: { vmId: smsDemoIds.targets.ecsWeb01 },
  region: emulatorDefaults.region,
  projectId: emulatorDefaults.projectId,
  speedLimitMbps: v === "updated" ? 50 : 100,
  state: v === "lifecycle" ? "paused" : "running",
});

const dcsArgs = (v: Variant): huaweicloud.dcs.MigrationTaskArgs => ({
  kind: "online",
  name: "faults-sessions",
  region: emulatorDefaults.region,
  projectId: emulatorDefaults.projectId,
  network: {
    vpcId: dcsDemoIds.vpcId,
    subnetId: dcsDemoIds.subnetId,
    securityGroupId: dcsDemoIds.securityGroupId,
  },
  migrationMethod: "incremental_migration",
  bandwidthLimitMb: v === "updated" ? 200 : 100,
  source: { address: dcsDemoIds.selfBuiltAddress, password: dcsDemoIds.passwords.selfBuilt },
  target: { instanceId: dcsDemoIds.instances.target, password: dcsDemoIds.passwords.target },
  state: v === "lifecycle" ? "stopped" : "running",
  ipSwitch: v === "switched" ? { exchanged: true, ips: ["192.168.0.200", "192.168.0.153"] } : undefined,
});

const mseArgs = (v: Variant): alicloud.mse.MigrationTaskArgs => ({
  region: alicloudDefaults.region,
  clusterType: "Nacos-Ans",
  originInstanceName: "faults-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  originInstanceNamespaces: ["public", "orders"],
  targetInstanceId: mseDemoIds.instances.ordersNacos,
  syncType: "All",
  description: v === "updated" ? "updated by the fault suite" : "declared by the fault suite",
});

const SMS_RUNNING = new Set(["RUNNING", "SYNCING", "MIGRATE_SUCCESS", "SYNC_SUCCESS"]);

export const KINDS: Record<Kind, KindDef> = {
  sms: {
    resource: "web-01",
    identity: "faults-web-01",
    program: (v) => () => {
      new huaweicloud.sms.MigrationTask("web-01", smsArgs(v));
    },
    calls: {
      create: "CreateTask",
      update: "UpdateTask",
      lifecycle: "UpdateTaskStatus",
      switch: undefined,
      refresh: "ShowTask",
      delete: "DeleteTask",
    },
    waitCall: "ShowTask",
    tasks: (e) =>
      serviceTasks(e, "sms")
        .filter((t) => t.state !== "DELETING")
        .map((t) => ({ id: String(t.id), identity: String(t.name), raw: t })),
    satisfied: (t, v) =>
      t.raw.speed_limit === smsArgs(v).speedLimitMbps &&
      (v === "lifecycle" ? t.raw.state === "ABORT" : SMS_RUNNING.has(String(t.raw.state))),
  },
  dcs: {
    resource: "sessions",
    identity: "faults-sessions",
    program: (v) => () => {
      new huaweicloud.dcs.MigrationTask("sessions", dcsArgs(v));
    },
    calls: {
      create: "CreateOnlineMigrationTask",
      update: "SetOnlineMigrationTask",
      lifecycle: "StopMigrationTask",
      switch: "ExchangeInstanceIp",
      refresh: "ShowMigrationTask",
      delete: "DeleteMigrationTask",
    },
    waitCall: "ShowJobInfo",
    tasks: (e) =>
      serviceTasks(e, "dcs")
        .filter((t) => t.deleted !== true)
        .map((t) => ({ id: String(t.task_id), identity: String(t.task_name), raw: t })),
    satisfied: (t, v) =>
      v === "lifecycle"
        ? t.raw.status === "TERMINATED"
        : t.raw.status === "INCRMIGEATING" &&
          String(t.raw.bandwidth_limit_mb) === String(dcsArgs(v).bandwidthLimitMb) &&
          (v === "switched") === (t.raw.task_status === "EXCHANGE_SUCCESS"),
  },
  mse: {
    resource: "orders-registry",
    identity: "faults-nacos",
    program: (v) => () => {
      new alicloud.mse.MigrationTask("orders-registry", mseArgs(v));
    },
    calls: {
      create: "AddMigrationTask",
      update: "UpdateMigrationTask",
      lifecycle: undefined,
      switch: undefined,
      refresh: "ListMigrationTask",
      delete: "DeleteMigrationTask",
    },
    tasks: (e) =>
      serviceTasks(e, "mse").map((t) => ({
        id: String(t.Id),
        identity: String(t.OriginInstanceName),
        raw: t,
      })),
    satisfied: (t, v) => t.raw.ProjectDesc === mseArgs(v).description,
  },
};

/** One cell of the suite. */
export interface Cell {
  kind: Kind;
  operation: Operation;
  fault: FaultName;
}

/** Every cell: each kind's operations times every fault. */
export function allCells(): Cell[] {
  const cells: Cell[] = [];
  for (const kind of Object.keys(KINDS) as Kind[]) {
    for (const operation of ["create", "update", "lifecycle", "switch", "refresh", "delete"] as Operation[]) {
      if (KINDS[kind].calls[operation] === undefined) continue;
      for (const fault of FAULTS) cells.push({ kind, operation, fault });
    }
  }
  return cells;
}

/** What one cell found. */
export interface CellResult extends Cell {
  /** The faulted run succeeded and the cloud was as declared. */
  convergedFirst: boolean;
  /** Converged after the run without the fault (true as well when it converged first). */
  convergedSecond: boolean;
  /** Tasks in the cloud that state does not track. */
  orphans: number;
  /** Tasks beyond the first with the resource's identity. */
  duplicates: number;
  /** Secrets found in plaintext (state, provider output, request log). */
  plaintextSecrets: number;
  /** The faulted run's error, if any, for the table. */
  firstError?: string;
  /** The second run's error, if any. */
  secondError?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function faultSpec(service: string, call: string, fault: FaultName): FaultSpec | undefined {
  switch (fault) {
    case "throttle":
      return { kind: "throttle", service, operation: call, retryAfterSeconds: 0 };
    case "error5xx":
      return { kind: "error5xx", service, operation: call, status: 503 };
    case "latency-past-timeout":
      return { kind: "latency", service, operation: call, latencyMs: LATENCY_MS };
    case "drop-before":
      return { kind: "drop-before", service, operation: call };
    case "drop-after":
      return { kind: "drop-after", service, operation: call };
    case "fail-next-3":
      // Whatever the next three calls of the service are, each answers 500.
      return { kind: "error5xx", service, count: 3, status: 500 };
    case "killed-mid-wait":
      return undefined;
  }
}

/**
 * Runs one cell on a fresh emulator state and a fresh engine (an empty stack). The emulator must
 * run with the environment of {@link suiteEnv}.
 */
export async function runCell(emulator: Emulator, cell: Cell, projectDir: string): Promise<CellResult> {
  const def = KINDS[cell.kind];
  const service = cell.kind;
  emulator.reset();
  emulator.clearFaults();
  // Replication outlasts the cell, so a running task can still be paused.
  emulator.configure({ durations: { replication: 3_600 } });
  const engine = new MiniEngine({
    projectDir,
    project: "faults",
    stack: `${cell.kind}-${cell.operation}`,
    providerEnv: suiteEnv(),
  });
  const variant: Variant =
    cell.operation === "update"
      ? "updated"
      : cell.operation === "lifecycle"
        ? "lifecycle"
        : cell.operation === "switch"
          ? "switched"
          : "base";
  const run = async (): Promise<void> => {
    if (cell.operation === "refresh") await engine.refresh();
    else if (cell.operation === "delete") await engine.destroy();
    else await engine.up(def.program(variant));
  };
  const errorOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);
  try {
    if (cell.operation !== "create") await engine.up(def.program("base"));
    emulator.clearRequests();

    const call =
      cell.fault === "killed-mid-wait" && cell.operation === "create"
        ? (def.waitCall ?? def.calls.create)
        : def.calls[cell.operation];
    let firstError: string | undefined;
    if (cell.fault === "killed-mid-wait") {
      // The call is held; once it has arrived (and, but for the answer, taken effect), the
      // provider process is killed, as `kill -9` of `pulumi up` would.
      emulator.injectFault({ kind: "latency", service, operation: call, latencyMs: HOLD_MS });
      const pending = run().then(
        () => undefined,
        (e: unknown) => errorOf(e),
      );
      for (let i = 0; i < 2_000 && emulator.faults().length > 0; i++) await sleep(5);
      await sleep(20);
      await engine.killProvider();
      firstError = (await pending) ?? "the operation finished before the kill";
    } else {
      const spec = faultSpec(service, call as string, cell.fault);
      if (spec) emulator.injectFault(spec);
      firstError = await run().then(
        () => undefined,
        (e: unknown) => errorOf(e),
      );
    }
    emulator.clearFaults();
    const convergedFirst = firstError === undefined && converged(emulator, engine, def, cell, variant);

    // The user runs the same command again, without the fault; a refresh is followed by an up,
    // which must find nothing to do or converge what the refresh saw.
    let secondError: string | undefined;
    try {
      await run();
      if (cell.operation === "refresh") await engine.up(def.program("base"));
    } catch (e) {
      secondError = errorOf(e);
    }
    const convergedSecond = secondError === undefined && converged(emulator, engine, def, cell, variant);

    const tasks = def.tasks(emulator).filter((t) => t.identity === def.identity);
    const tracked = new Set(engine.list().map((r) => r.id));
    const orphans = tasks.filter((t) => !tracked.has(t.id)).length;
    const duplicates = Math.max(0, tasks.length - 1);
    // State holds secrets wrapped (the CLI encrypts them); containsPlaintext looks for them
    // anywhere outside such a wrapper. The provider's output and the request log hold none.
    const exposed = [engine.providerLogs().join("\n"), JSON.stringify(emulator.requests())];
    const plaintextSecrets = SECRETS.filter(
      (s) => containsPlaintext(engine.state, s) || exposed.some((text) => text.includes(s)),
    ).length;
    return {
      ...cell,
      convergedFirst,
      convergedSecond: convergedFirst || convergedSecond,
      orphans,
      duplicates,
      plaintextSecrets,
      firstError,
      secondError,
    };
  } finally {
    // The next cell starts from a reset emulator and an empty stack of its own.
    emulator.clearFaults();
    await engine.close();
  }
}

function converged(
  emulator: Emulator,
  engine: MiniEngine,
  def: KindDef,
  cell: Cell,
  variant: Variant,
): boolean {
  const tasks = def.tasks(emulator).filter((t) => t.identity === def.identity);
  const res = engine.list().find((r) => r.name === def.resource);
  if (cell.operation === "delete") return res === undefined && tasks.length === 0;
  if (!res || tasks.length !== 1 || tasks[0].id !== res.id) return false;
  return def.satisfied(tasks[0], variant);
}

/** The environment the provider processes need for the suite: fast polls, a short client timeout. */
export function suiteEnv(): Record<string, string> {
  return { MIGRATION_TASKS_POLL_MS: "20", MIGRATION_TASKS_READ_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS) };
}

/** The suite's figures over a set of results, as `npm run bench` prints them. */
export function figures(results: readonly CellResult[]): { name: string; value: number; unit: string }[] {
  const sum = (f: (r: CellResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return [
    { name: "faults.cells", value: results.length, unit: "cells" },
    { name: "faults.converged_first", value: sum((r) => (r.convergedFirst ? 1 : 0)), unit: "cells" },
    {
      name: "faults.converged_second",
      value: sum((r) => (!r.convergedFirst && r.convergedSecond ? 1 : 0)),
      unit: "cells",
    },
    { name: "faults.unconverged", value: sum((r) => (r.convergedSecond ? 0 : 1)), unit: "cells" },
    { name: "faults.orphans", value: sum((r) => r.orphans), unit: "tasks" },
    { name: "faults.duplicates", value: sum((r) => r.duplicates), unit: "tasks" },
    { name: "faults.plaintext_secrets", value: sum((r) => r.plaintextSecrets), unit: "secrets" },
  ];
}
