/**
 * `npm run bench`: figures for each resource's lifecycle on the emulator. Prints one line per
 * figure, or with `--json` one JSON object per line: {"name", "value", "unit"}.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../emulator";
import type { Emulator } from "../emulator";
import { captureRegistrations, MiniEngine } from "../harness";
import { huaweicloud } from "../index";
import * as smsImpl from "../provider/huaweicloud/sms/impl";
import type { PropertyMap } from "../provider/common/values";

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
  } finally {
    await emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
