/**
 * `npm run bench`: figures for each resource's lifecycle on the emulator, then those of large
 * stacks (`bench-scale.ts`). Prints one line per figure, or with `--json` one JSON object per
 * line: {"name", "value", "unit"}.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../emulator";
import type { Emulator } from "../emulator";
import { captureRegistrations, MiniEngine } from "../harness";
import { alicloud, huaweicloud } from "../index";
import * as smsImpl from "../provider/huaweicloud/sms/impl";
import * as dcsImpl from "../provider/huaweicloud/dcs/impl";
import { dcsDemoIds } from "../emulator";
import type { PropertyMap } from "../provider/common/values";
import * as mseImpl from "../provider/alicloud/mse/impl";
import { MSE_MAX_PAGE_SIZE, mseDemoIds } from "../emulator";
import { formatProblem, validateSources } from "../gitops/documents";
import { DCS_FILE, MSE_FILE, SMS_FILE } from "../gitops/fixtures";
import { reviewChanges } from "../gitops/review";
import { scaleFigures } from "./bench-scale";

/** One measured figure. */
interface Figure {
  name: string;
  value: number;
  unit: string;
}

const root = path.resolve(__dirname, "..", "..");
const json = process.argv.includes("--json");
const figures: Figure[] = [];

function emit(f: Figure): void {
  figures.push(f);
  console.log(json ? JSON.stringify(f) : `${f.name.padEnd(36)} ${f.value} ${f.unit}`);
}

/** API calls the emulator served while `step` ran. */
async function calls(emulator: Emulator, step: () => Promise<unknown>): Promise<number> {
  const before = emulator.requests().length;
  await step();
  return emulator.requests().length - before;
}

const smsArgs = (speedLimitMbps: number): huaweicloud.sms.MigrationTaskArgs => ({
  name: "bench-web-01",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: "a1b2c3d4-0001-4000-8000-000000000001",
  target: { vmId: "b1b2c3d4-0002-4000-8000-000000000001" },
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  speedLimitMbps,
  state: "running",
});

async function smsLifecycle(emulator: Emulator): Promise<void> {
  const engine = new MiniEngine({ projectDir: root, project: "bench", stack: "bench" });
  const program = (speed: number) => () => {
    new huaweicloud.sms.MigrationTask("web-01", smsArgs(speed));
  };
  try {
    emit({
      name: "sms.calls_create_start",
      value: await calls(emulator, () => engine.up(program(100))),
      unit: "calls",
    });
    emit({
      name: "sms.calls_noop_up",
      value: await calls(emulator, () => engine.up(program(100))),
      unit: "calls",
    });
    emit({
      name: "sms.calls_update",
      value: await calls(emulator, () => engine.up(program(50))),
      unit: "calls",
    });
    emit({ name: "sms.calls_refresh", value: await calls(emulator, () => engine.refresh()), unit: "calls" });
    emit({ name: "sms.calls_destroy", value: await calls(emulator, () => engine.destroy()), unit: "calls" });
  } finally {
    await engine.close();
  }
  const regs = await captureRegistrations(
    () => {
      new huaweicloud.sms.MigrationTask("web-01", smsArgs(100));
    },
    { project: "bench", stack: "bench" },
  );
  const closure = regs.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"))?.inputs.__provider;
  emit({
    name: "sms.closure_bytes",
    value: typeof closure === "string" ? Buffer.byteLength(closure) : -1,
    unit: "bytes",
  });
}

const dcsArgs = (bandwidthLimitMb: number): huaweicloud.dcs.MigrationTaskArgs => ({
  kind: "online",
  name: "bench-sessions",
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  network: {
    vpcId: dcsDemoIds.vpcId,
    subnetId: dcsDemoIds.subnetId,
    securityGroupId: dcsDemoIds.securityGroupId,
  },
  migrationMethod: "incremental_migration",
  resumeMode: "auto",
  bandwidthLimitMb,
  source: { address: dcsDemoIds.selfBuiltAddress, password: dcsDemoIds.passwords.selfBuilt },
  target: { instanceId: dcsDemoIds.instances.target, password: dcsDemoIds.passwords.target },
  state: "running",
});

/** The DCS online migration's lifecycle: API calls per engine operation, closure size. */
async function dcsLifecycle(emulator: Emulator): Promise<void> {
  const engine = new MiniEngine({ projectDir: root, project: "bench", stack: "bench-dcs" });
  const program = (bandwidth: number) => () => {
    new huaweicloud.dcs.MigrationTask("sessions", dcsArgs(bandwidth));
  };
  try {
    emit({
      name: "dcs.calls_create_start",
      value: await calls(emulator, () => engine.up(program(100))),
      unit: "calls",
    });
    emit({
      name: "dcs.calls_noop_up",
      value: await calls(emulator, () => engine.up(program(100))),
      unit: "calls",
    });
    // A new bandwidth: stop, wait for TERMINATED, configure again, wait for INCRMIGEATING.
    emit({
      name: "dcs.calls_update",
      value: await calls(emulator, () => engine.up(program(50))),
      unit: "calls",
    });
    emit({ name: "dcs.calls_refresh", value: await calls(emulator, () => engine.refresh()), unit: "calls" });
    emit({ name: "dcs.calls_destroy", value: await calls(emulator, () => engine.destroy()), unit: "calls" });
  } finally {
    await engine.close();
  }
  const regs = await captureRegistrations(
    () => {
      new huaweicloud.dcs.MigrationTask("sessions", dcsArgs(100));
    },
    { project: "bench", stack: "bench-dcs" },
  );
  const closure = regs.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"))?.inputs.__provider;
  emit({
    name: "dcs.closure_bytes",
    value: typeof closure === "string" ? Buffer.byteLength(closure) : -1,
    unit: "bytes",
  });
}

/** Check plus diff per resource, in process, over many distinct resources. */
async function checkDiff(
  impl: { check: typeof smsImpl.check; diff: typeof smsImpl.diff },
  inputs: (i: number) => PropertyMap,
  n = 1000,
): Promise<number> {
  const prepared = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const c = await impl.check({}, inputs(i));
      return { news: inputs(i), olds: { ...c.inputs, status: "RUNNING", taskId: `t-${i}` } };
    }),
  );
  const start = performance.now();
  for (const [i, p] of prepared.entries()) {
    const c = await impl.check(p.olds, p.news);
    await impl.diff(`t-${i}`, p.olds, c.inputs ?? {});
  }
  return Math.round(((performance.now() - start) * 1000) / n);
}

const mseArgs = (syncType: "All" | "Config" | "Service"): alicloud.mse.MigrationTaskArgs => ({
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "bench-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  originInstanceNamespaces: ["public", "orders"],
  targetInstanceId: mseDemoIds.instances.ordersNacos,
  targetClusterName: "orders",
  syncType,
});

/**
 * The MSE task's lifecycle: API calls per engine operation, closure size. After the create,
 * newer tasks with the same source name fill two full pages ahead of it, so every read pages.
 */
async function mseLifecycle(emulator: Emulator): Promise<void> {
  const engine = new MiniEngine({ projectDir: root, project: "bench-mse", stack: "bench" });
  const program = (syncType: "All" | "Config" | "Service") => () => {
    new alicloud.mse.MigrationTask("orders-registry", mseArgs(syncType));
  };
  try {
    emit({
      name: "mse.calls_create",
      value: await calls(emulator, () => engine.up(program("All"))),
      unit: "calls",
    });
    emulator.seed({
      mse: {
        tasks: Array.from({ length: MSE_MAX_PAGE_SIZE * 2 }, (_, i) => ({
          clusterType: "Nacos-Ans" as const,
          originInstanceAddress: `10.0.0.${i + 1}:8848`,
          originInstanceName: "bench-nacos",
          targetInstanceId: mseDemoIds.instances.ordersNacos,
        })),
      },
    });
    emit({
      name: "mse.calls_noop_up",
      value: await calls(emulator, () => engine.up(program("All"))),
      unit: "calls",
    });
    emit({
      name: "mse.calls_update",
      value: await calls(emulator, () => engine.up(program("Config"))),
      unit: "calls",
    });
    emit({ name: "mse.calls_refresh", value: await calls(emulator, () => engine.refresh()), unit: "calls" });
    emit({ name: "mse.calls_destroy", value: await calls(emulator, () => engine.destroy()), unit: "calls" });
  } finally {
    await engine.close();
  }
  const regs = await captureRegistrations(
    () => {
      new alicloud.mse.MigrationTask("orders-registry", mseArgs("All"));
    },
    { project: "bench", stack: "bench" },
  );
  const closure = regs.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"))?.inputs.__provider;
  emit({
    name: "mse.closure_bytes",
    value: typeof closure === "string" ? Buffer.byteLength(closure) : -1,
    unit: "bytes",
  });
}

/**
 * Validation and review of a GitOps folder in memory: 300 files, a third of each kind, each
 * reviewed with one field changed; microseconds per file.
 */
async function gitopsFigures(): Promise<void> {
  const files = Array.from({ length: 300 }, (_, i) => {
    const n = String(i).padStart(3, "0");
    const text = [SMS_FILE, DCS_FILE, MSE_FILE][i % 3]
      .replace(/name: (web-01|sessions|orders-registry)\n/, `name: task-${n}\n`)
      .replace(/name: (web-01-to-ecs|sessions-to-dcs)\n/, `name: task-${n}-cloud\n`);
    return { path: `migrations/task-${n}.yaml`, text };
  });
  const changed = files.map((f) => ({
    ...f,
    text: f.text
      .replace("speedLimitMbps: 100", "speedLimitMbps: 200")
      .replace("syncType: All", "syncType: Config"),
  }));
  const t0 = performance.now();
  const base = validateSources(files);
  const t1 = performance.now();
  if (base.problems.length > 0)
    throw new Error(`bench files invalid: ${base.problems.map(formatProblem).join("; ")}`);
  const head = validateSources(changed);
  const t2 = performance.now();
  await reviewChanges(base, head);
  const t3 = performance.now();
  emit({
    name: "gitops.validate_us_per_file",
    value: Math.round(((t1 - t0) * 1000) / files.length),
    unit: "us",
  });
  emit({
    name: "gitops.review_us_per_file",
    value: Math.round(((t3 - t2) * 1000) / files.length),
    unit: "us",
  });
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, timeScale: 600 });
  Object.assign(process.env, emulator.env(), { MIGRATION_TASKS_POLL_MS: "20" });
  try {
    await smsLifecycle(emulator);
    const value = await checkDiff(
      smsImpl,
      (i) => ({ ...smsArgs(i % 1000), name: `task-${i}` }) as PropertyMap,
    );
    emit({ name: "sms.check_diff_us_per_resource", value, unit: "us" });
    await dcsLifecycle(emulator);
    const dcsValue = await checkDiff(dcsImpl, (i) => {
      const { source, target, ...rest } = dcsArgs((i % 1000) + 1);
      const s = source as { address: string; password: string };
      const t = target as { instanceId: string; password: string };
      return {
        ...rest,
        name: `task-${i}`,
        source: { address: s.address },
        target: { instanceId: t.instanceId },
        sourcePassword: s.password,
        targetPassword: t.password,
      } as PropertyMap;
    });
    emit({ name: "dcs.check_diff_us_per_resource", value: dcsValue, unit: "us" });
    await mseLifecycle(emulator);
    const mseValue = await checkDiff(
      mseImpl,
      (i) => ({ ...mseArgs("All"), originInstanceName: `registry-${i}` }) as PropertyMap,
    );
    emit({ name: "mse.check_diff_us_per_resource", value: mseValue, unit: "us" });
    await gitopsFigures();
    // Large stacks, throttling and waits: on a virtual clock, so counts and lags are exact.
    await scaleFigures(emit);
  } finally {
    await emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
