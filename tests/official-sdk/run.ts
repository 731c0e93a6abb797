/**
 * Runs the official-SDK scenarios (tests/official-sdk/*.py) with the project's Python SDK
 * environment, installed by `npm run sdks:install`, against an emulator the caller started.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { alicloudDefaults, dcsDemoIds, emulatorDefaults, mseDemoIds, smsDemoIds } from "../../emulator";

const root = path.join(__dirname, "..", "..");
/** The project-local environment `npm run sdks:install` creates. */
export const venvDir = path.join(root, ".toolchain", "python-sdks");
const requirements = path.join(__dirname, "requirements.txt");

/** One operation and case of a scenario, as the scenario judged it. */
export interface ScenarioResult {
  op: string;
  case: string;
  ok: boolean;
  detail: string;
}

/**
 * The environment's python, or an error telling how to install it: the tests fail rather than
 * skip when the SDKs are missing or were installed from other requirements.
 */
export function sdkPython(): string {
  const python = path.join(venvDir, process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
  const stamp = path.join(venvDir, "requirements.sha256");
  const want = createHash("sha256").update(fs.readFileSync(requirements)).digest("hex");
  if (!fs.existsSync(python) || !fs.existsSync(stamp)) {
    throw new Error(
      "the official Python SDKs are not installed: run `npm run sdks:install` (creates .toolchain/python-sdks)",
    );
  }
  if (fs.readFileSync(stamp, "utf8").trim() !== want) {
    throw new Error(
      "the official Python SDKs were installed from other requirements: run `npm run sdks:install` again",
    );
  }
  return python;
}

/** What every scenario needs to know: credentials and demo ids, from their one definition. */
function context(): unknown {
  return {
    huawei: emulatorDefaults,
    alibaba: alicloudDefaults,
    sms: { ...smsDemoIds.sources, ...smsDemoIds.targets, templates: smsDemoIds.templates },
    dcs: dcsDemoIds,
    mse: mseDemoIds,
  };
}

/** Runs tests/official-sdk/<name>.py against the emulator at `url` and returns its results. */
export async function runScenario(name: string, url: string): Promise<ScenarioResult[]> {
  const python = sdkPython();
  const script = path.join(__dirname, `${name}.py`);
  const child = spawn(python, [script, url, JSON.stringify(context())], {
    cwd: __dirname,
    // The SDKs read credentials, regions and proxies from the environment: none may leak in.
    env: { PATH: process.env.PATH ?? "", PYTHONDONTWRITEBYTECODE: "1", NO_PROXY: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const last = out.trim().split("\n").pop() ?? "";
  if (code !== 0 || !last.startsWith("{")) {
    throw new Error(`${name}.py exited with ${code}:\n${err.slice(-4000)}\n${out.slice(-2000)}`);
  }
  return (JSON.parse(last) as { results: ScenarioResult[] }).results;
}

/** The operations a scenario file drives: the first argument of each `s.call` / `s.expect_error` / `s.record`. */
export function drivenOperations(name: string): Set<string> {
  const src = fs.readFileSync(path.join(__dirname, `${name}.py`), "utf8");
  const ops = new Set<string>();
  for (const m of src.matchAll(/s\.(?:call|expect_error|record)\(\s*"([A-Za-z]+)"/g)) ops.add(m[1]);
  return ops;
}
