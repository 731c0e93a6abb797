/**
 * `npm run demo`: starts the emulator and applies examples/sms-block-migration, with the real
 * `pulumi` CLI when one is on PATH, otherwise through the provider-protocol harness.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { MiniEngine } from "../harness";
import { exampleProgram } from "./example-program";

const root = path.resolve(__dirname, "..", "..");
const example = path.join(root, "examples", "sms-block-migration");

function onPath(cmd: string): boolean {
  return spawnSync(process.platform === "win32" ? "where" : "which", [cmd], { stdio: "ignore" }).status === 0;
}

async function withCli(env: NodeJS.ProcessEnv): Promise<void> {
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "pmt-demo-"));
  const cliEnv = {
    ...env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const run = (...args: string[]) => {
    console.log(`$ pulumi ${args.join(" ")}`);
    const r = spawnSync("pulumi", [...args, "--cwd", example], { env: cliEnv, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`pulumi ${args[0]} failed with exit code ${r.status}`);
  };
  try {
    run("stack", "select", "--create", "demo");
    run("up", "--yes", "--skip-preview");
    run("stack", "output", "--json");
    run("destroy", "--yes");
    run("stack", "rm", "--yes", "demo");
  } finally {
    fs.rmSync(backend, { recursive: true, force: true });
  }
}

async function withHarness(): Promise<void> {
  const engine = new MiniEngine({ projectDir: example, project: "sms-block-migration", stack: "demo" });
  const program = exampleProgram(example);
  try {
    const up = await engine.up(program);
    for (const s of up.steps) console.log(`  ${s.op.padEnd(8)} ${s.urn}`);
    console.log("outputs:", JSON.stringify(up.outputs, null, 2));
    const again = await engine.up(program);
    const changed = again.steps.filter((s) => s.op !== "same");
    console.log(`second up: ${changed.length === 0 ? "no changes" : changed.map((s) => s.op).join(", ")}`);
    const down = await engine.destroy();
    for (const s of down.steps) console.log(`  ${s.op.padEnd(8)} ${s.urn}`);
  } finally {
    for (const line of engine.providerLogs()) console.log(`  provider: ${line}`);
    await engine.close();
  }
}

async function main(): Promise<void> {
  // One emulator second per 1/60 s of wall time, so the migration finishes within the demo.
  const emulator = await startEmulator({ port: 0, timeScale: 60 });
  console.log(`emulator listening on ${emulator.url}`);
  Object.assign(process.env, emulator.env(), {
    MIGRATION_TASKS_POLL_MS: process.env.MIGRATION_TASKS_POLL_MS ?? "250",
  });
  try {
    if (onPath("pulumi")) {
      console.log("applying examples/sms-block-migration with the pulumi CLI (local file backend)");
      await withCli(process.env);
    } else {
      console.log(
        "applying examples/sms-block-migration through the provider-protocol harness " +
          "(no pulumi CLI on PATH: the real dynamic-provider process, driven over gRPC as the engine does)",
      );
      await withHarness();
    }
    const calls = emulator.requests();
    console.log(`emulator served ${calls.length} API calls`);
  } finally {
    await emulator.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
