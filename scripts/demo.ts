/**
 * `npm run demo`: starts the emulator and applies examples/sms-block-migration with the real
 * `pulumi` CLI when one is built (`npm run pulumi:install`) or on PATH, otherwise through the
 * provider-protocol harness. Either way the provider's progress lines appear as they happen.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { MiniEngine } from "../harness";
import { exampleProgram } from "./example-program";

const root = path.resolve(__dirname, "..", "..");
const example = path.join(root, "examples", "sms-block-migration");
const toolchain = path.join(root, ".toolchain", "pulumi", "bin");

/**
 * The pulumi binary to use: the repository's own build first, then PATH; undefined if none, or
 * when MIGRATION_TASKS_DEMO_ENGINE=harness asks for the harness.
 */
function findPulumi(): string | undefined {
  if (process.env.MIGRATION_TASKS_DEMO_ENGINE === "harness") return undefined;
  const built = path.join(toolchain, "pulumi");
  if (fs.existsSync(built)) return built;
  const r = spawnSync("which", ["pulumi"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

async function withCli(pulumi: string, env: NodeJS.ProcessEnv): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pmt-demo-"));
  const cliEnv: NodeJS.ProcessEnv = {
    ...env,
    // The CLI finds its language host beside itself or on PATH.
    PATH: `${path.dirname(pulumi)}${path.delimiter}${env.PATH ?? ""}`,
    PULUMI_HOME: path.join(scratch, "home"),
    PULUMI_BACKEND_URL: `file://${scratch}`,
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  // Asynchronous: the emulator answers the provider from this process's event loop, and the
  // CLI's output streams to the terminal as the engine prints it.
  const run = (...args: string[]) =>
    new Promise<void>((resolve, reject) => {
      console.log(`$ pulumi ${args.join(" ")}`);
      const child = spawn(pulumi, [...args, "--cwd", example, "--non-interactive"], {
        env: cliEnv,
        stdio: "inherit",
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve() : reject(new Error(`pulumi ${args[0]} failed with exit code ${code}`)),
      );
    });
  try {
    await run("stack", "select", "--create", "demo");
    await run("up", "--yes", "--skip-preview");
    await run("stack", "output", "--json");
    await run("up", "--yes", "--skip-preview");
    await run("destroy", "--yes", "--skip-preview");
    await run("stack", "rm", "--yes", "demo");
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function withHarness(): Promise<void> {
  const engine = new MiniEngine({
    projectDir: example,
    project: "sms-block-migration",
    stack: "demo",
    onProviderLog: (e) => console.log(`  provider: ${e.line}`),
  });
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
    const pulumi = findPulumi();
    if (pulumi) {
      const version = spawnSync(pulumi, ["version"], { encoding: "utf8" }).stdout.trim();
      console.log(
        `applying examples/sms-block-migration with the pulumi CLI ${version} (${pulumi}), local file backend`,
      );
      await withCli(pulumi, process.env);
    } else {
      console.log(
        "applying examples/sms-block-migration through the provider-protocol harness " +
          "(no pulumi CLI built by `npm run pulumi:install` nor on PATH: the real dynamic-provider process, driven over gRPC as the engine does)",
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
