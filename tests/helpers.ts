/** Shared set-up of the tests that run the real provider process against the emulator. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { startEmulator } from "../emulator";
import type { Emulator, EmulatorOptions } from "../emulator";

const execFileAsync = promisify(execFile);

/** The repository root: `node_modules/pulumi-migration-tasks` links back to it. */
export const repoRoot = path.resolve(__dirname, "..");

/** Fails early and clearly when the compiled runtime the provider process loads is missing. */
export function requireBuild(): void {
  const runtime = path.join(repoRoot, "dist", "provider", "runtime.js");
  if (!fs.existsSync(runtime)) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it)");
  }
}

/** Starts the emulator and points this process (and the provider processes it spawns) at it. */
export async function emulatorForTests(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ port: 0, timeScale: 600, ...opts });
  Object.assign(process.env, emulator.env(), { MIGRATION_TASKS_POLL_MS: "20" });
  return emulator;
}

/** API calls that change something in the cloud. */
export function writes(emulator: Emulator): { method: string; operation: string; path: string }[] {
  return emulator.requests().filter((r) => r.method !== "GET");
}

/**
 * The example's index.ts as a program evaluated afresh on every run, as the language host
 * would. Compiled and evaluated here rather than `require`d, because jest keeps its own module
 * registry, which would hand back the first run's exports; its own imports still resolve from
 * the example's directory.
 */
export function exampleProgram(dir: string): () => unknown {
  const entry = path.join(dir, "index.ts");
  const js = ts.transpileModule(fs.readFileSync(entry, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const requireFromExample = (id: string): unknown => require(require.resolve(id, { paths: [dir] }));
  return () => {
    const mod = { exports: {} as Record<string, unknown> };
    new Function("exports", "require", "module", js)(mod.exports, requireFromExample, mod);
    return mod.exports;
  };
}

/** One phase's report from dist/scripts/run-example.js. */
export interface ExamplePhase {
  phase: string;
  steps: { op: string; name: string; id: string }[];
  outputs: Record<string, unknown>;
  error?: string;
}

export async function runExample(dir: string, phases: string[]): Promise<ExamplePhase[]> {
  const script = path.join(repoRoot, "dist", "scripts", "run-example.js");
  // Asynchronous: the emulator answers from this process's event loop.
  const res = await execFileAsync(process.execPath, [script, dir, ...phases], { env: process.env }).catch(
    (e: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`run-example failed (${e.code}): ${e.stderr}\n${e.stdout}`);
    },
  );
  return res.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as ExamplePhase);
}
