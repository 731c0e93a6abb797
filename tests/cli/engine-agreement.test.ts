/**
 * The harness agrees with the real engine: one small program, taken through the same sequence of
 * changes by the real Pulumi CLI and by MiniEngine (harness/), each against an emulator of its
 * own, comparing what a user observes: the resource lines the CLI prints (step kind and
 * `[diff: ...]`), the summary's unchanged count, errors as shown, outputs, secretness in state,
 * what stays in state after an init failure, refresh of a task deleted out of band, and the API
 * calls of a no-op up. A test here fails when the two diverge again.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  containsPlaintext,
  DeploymentError,
  formatShortDiff,
  isSecret,
  MiniEngine,
  secretKeys,
  unwrapSecret,
  type RunSummary,
  type Step,
} from "../../harness";
import { smsDemoIds, emulatorDefaults } from "../../emulator";
import { HuaweiClient } from "../../sdk/huawei/client";
import { resolveHuaweiSettings } from "../../sdk/huawei/credentials";
import { SmsClient } from "../../sdk/huawei/sms/client";
import { exampleProgram, repoRoot, requireBuild } from "../helpers";
import { cliEmulator, type CliEmulator } from "./harness";
import { PulumiCli, type CliResult } from "./pulumi";

jest.setTimeout(600_000);

const TYPE = "pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask";
const PROJECT = "engine-agreement";

const base = {
  name: "web-01-to-ecs",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: smsDemoIds.sources.web01,
  target: { vmId: smsDemoIds.targets.ecsWeb01 },
  region: "cn-north-4",
  projectId: emulatorDefaults.projectId,
  speedLimitMbps: 100,
  state: "running",
  // Resource-level credentials: the secret key must stay secret in state under both engines.
  credentials: { accessKey: emulatorDefaults.accessKey, secretKey: emulatorDefaults.secretKey },
};

/** What a user sees of one operation, in a form both engines produce. */
interface Observed {
  /** Final resource lines, as the CLI prints them: `<status> <name>[ [diff: ...]]`. */
  lines: string[];
  /** Errors shown for the task resource, whitespace collapsed. */
  errors: string[];
}

let cliEmu: CliEmulator;
let harnessEmu: CliEmulator;
let dir: string;
let cli: PulumiCli;
let engine: MiniEngine;

/** Writes the program: one SMS task with the given arguments and three of its outputs. */
function writeProgram(args: Record<string, unknown>): void {
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    [
      `import { huaweicloud } from "pulumi-migration-tasks";`,
      `const task = new huaweicloud.sms.MigrationTask("web-01", ${JSON.stringify(args)} as unknown as huaweicloud.sms.MigrationTaskArgs);`,
      `export const taskId = task.taskId;`,
      `export const status = task.status;`,
      `export const passphrase = task.passphrase;`,
      "",
    ].join("\n"),
  );
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

/** The resource lines and the task's errors of a CLI run (`--color never`, non-interactive). */
function observeCli(res: CliResult, operation: "up" | "refresh" | "destroy" | "preview"): Observed {
  const lines: string[] = [];
  const status =
    /^ (?:\+|~|-|\+-|--|\+\+| ) +(\S+) (\S+) (created replacement|deleted original|created|updated|deleted|replaced|\*\*creating failed\*\*|\*\*updating failed\*\*|create replacement|delete original|create|update|replace|delete)(?: \([^)]*\))? *(?:\[diff: ([^\]]*)\])?/;
  for (const line of res.output.split("\n")) {
    const m = status.exec(line);
    if (!m || m[1] !== TYPE) continue;
    // A deleted original shows the replacement's diff only when it is deleted last; the step
    // kind and order are what tell the two replacements apart.
    const diff = m[4] && !m[3]!.startsWith("delete") ? ` [diff: ${m[4]}]` : "";
    lines.push(`${m[3]} ${m[2]}${diff}`);
  }
  // Diagnostics: "  <type> (web-01):" then "    error: ..." lines up to a blank line.
  const errors: string[] = [];
  const diag = res.output.slice(res.output.indexOf("\nDiagnostics:\n"));
  const block = new RegExp(`\\n  ${TYPE.replace(/[/:]/g, "\\$&")} \\(web-01\\):\\n([\\s\\S]*?)\\n\\n`).exec(
    diag,
  );
  if (block) {
    for (const part of block[1]!.split(/\n {4}error: /).map((p) => p.replace(/^ {4}error: /, ""))) {
      if (part.trim()) errors.push(collapse(part));
    }
  }
  void operation;
  return { lines, errors };
}

/** The same view of a harness run, mapped to the words the CLI prints for each step. */
function observeHarness(summary: RunSummary, hadState: boolean): Observed {
  const lines: string[] = [];
  const withDiff = (s: Step, word: string) => {
    const d = s.diff ? formatShortDiff(s.diff) : "";
    return `${word} ${s.name}${d ? ` [diff: ${d}]` : ""}`;
  };
  for (const s of summary.steps) {
    if (s.type !== TYPE) continue;
    const failed = s.error !== undefined;
    switch (s.op) {
      case "create":
        lines.push(failed ? `**creating failed** ${s.name}` : `created ${s.name}`);
        break;
      case "update":
        lines.push(failed ? `**updating failed** ${s.name}` : withDiff(s, "updated"));
        break;
      case "replace":
        // The CLI shows the replacement's create and the replace step in the order they ran.
        lines.push(
          ...(s.deleteBeforeReplace
            ? [withDiff(s, "replaced"), withDiff(s, "created replacement")]
            : [withDiff(s, "created replacement"), withDiff(s, "replaced")]),
        );
        break;
      case "delete-replaced":
        lines.push(`deleted original ${s.name}`);
        break;
      case "delete":
      case "refresh-delete":
        lines.push(`deleted ${s.name}`);
        break;
      case "preview-create":
        lines.push(`create ${s.name}`);
        break;
      case "preview-update":
        lines.push(withDiff(s, "update"));
        break;
      case "preview-replace":
        lines.push(
          ...(s.deleteBeforeReplace
            ? [`delete original ${s.name}`, withDiff(s, "replace"), withDiff(s, "create replacement")]
            : [withDiff(s, "create replacement"), withDiff(s, "replace"), `delete original ${s.name}`]),
        );
        break;
      case "preview-delete":
        lines.push(`delete ${s.name}`);
        break;
      case "refresh":
        if (s.changed && s.diff && formatShortDiff(s.diff)) lines.push(withDiff(s, "updated"));
        break;
      default:
        break;
    }
  }
  const failures = summary.failures.filter((f) => f.urn.includes(`::${TYPE}::`));
  // A provider call that failed outright leaves a failure and no step; the CLI shows the step
  // it was, failed.
  for (const f of failures) {
    if (!summary.steps.some((s) => s.urn === f.urn && s.error !== undefined)) {
      lines.push(`${hadState ? "**updating failed**" : "**creating failed**"} ${f.name}`);
    }
  }
  return { lines, errors: failures.map((f) => collapse(f.message)) };
}

/** Runs one operation through both engines (at the same time: they share nothing). */
async function both(
  operation: "up" | "preview" | "refresh" | "destroy",
  opts: { fails?: boolean } = {},
): Promise<{ cli: Observed; harness: Observed; cliResult: CliResult; summary: RunSummary }> {
  const expectCode = opts.fails ? 1 : 0;
  const hadState = engine.find("web-01") !== undefined;
  const program = exampleProgram(dir);
  const runCli =
    operation === "up"
      ? cli.up([], { expectCode })
      : operation === "preview"
        ? cli.preview([], { expectCode })
        : operation === "refresh"
          ? cli.refresh([], { expectCode })
          : cli.destroy([], { expectCode });
  const runHarness = (
    operation === "up"
      ? engine.up(program)
      : operation === "preview"
        ? engine.up(program, { preview: true })
        : operation === "refresh"
          ? engine.refresh()
          : engine.destroy()
  ).then(
    (s) => {
      if (opts.fails) throw new Error(`the harness's ${operation} succeeded; the CLI's failed`);
      return s;
    },
    (e: unknown) => {
      if (!(e instanceof DeploymentError) || !opts.fails) throw e;
      return e.summary;
    },
  );
  const [cliResult, summary] = await Promise.all([runCli, runHarness]);
  return {
    cli: observeCli(cliResult, operation),
    harness: observeHarness(summary, hadState),
    cliResult,
    summary,
  };
}

/** The count in the CLI's "Resources:" summary, e.g. `2 unchanged`. */
function unchanged(res: CliResult): number {
  return Number(/^ {4}(\d+) unchanged$/m.exec(res.output)?.[1] ?? 0);
}

interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

async function exported(): Promise<ExportedResource[]> {
  const state = JSON.parse(await cli.exportState()) as { deployment: { resources?: ExportedResource[] } };
  return state.deployment.resources ?? [];
}

/** Ids, request ids and times differ between two emulators; the rest of a message must not. */
const normalise = (s: string) =>
  s
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/\b[0-9a-f]{32}\b/g, "<request>");

const taskCalls = (emu: CliEmulator) => emu.emulator.requests().filter((r) => r.service === "sms");

beforeAll(async () => {
  requireBuild();
  // Replication long enough that a running task stays running through the whole file.
  const opts = { durations: { replication: 30 * 86_400 } };
  [cliEmu, harnessEmu] = await Promise.all([cliEmulator(opts), cliEmulator(opts)]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pmt-agreement-"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${PROJECT}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
  );
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: PROJECT, private: true, main: "index.ts" }),
  );
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  cli = new PulumiCli(dir, "dev", cliEmu.env);
  engine = new MiniEngine({
    projectDir: dir,
    project: PROJECT,
    stack: "dev",
    providerEnv: harnessEmu.env as Record<string, string>,
  });
  await cli.init();
});

afterAll(async () => {
  cli?.close();
  await engine?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await Promise.all([cliEmu?.close(), harnessEmu?.close()]);
});

describe("the harness and the real engine agree", () => {
  it("a preview with check failures fails naming each field, in the same words", async () => {
    // A number, a string and a nested field: the engine prints each value with Go's %v.
    writeProgram({ ...base, speedLimitMbps: -3, type: "MIGRATE_NOPE", target: { vmId: 5 } });
    const run = await both("preview", { fails: true });
    expect(run.cli.errors.join("\n")).toContain(
      `${TYPE} resource 'web-01': property speedLimitMbps value {-3} has a problem: speedLimitMbps: must be at least 0`,
    );
    expect(run.cli.errors.join("\n")).toMatch(/property type value \{MIGRATE_NOPE\} has a problem/);
    expect(run.cli.errors).toHaveLength(3);
    expect(
      run.cli.errors.filter((e) => /resource 'web-01': property target\S* value \{/.test(e)),
    ).toHaveLength(1);
    // The harness reports one failure per resource, its check failures a line each.
    expect(run.harness.errors.join(" ")).toEqual(run.cli.errors.join(" "));
    expect([...taskCalls(cliEmu), ...taskCalls(harnessEmu)]).toEqual([]);
  });

  it("up creates the task: same step, same outputs, same secrets in state", async () => {
    writeProgram(base);
    const preview = await both("preview");
    expect(preview.cli.lines).toEqual(["create web-01"]);
    expect(preview.harness.lines).toEqual(preview.cli.lines);
    const run = await both("up");
    expect(run.cli.lines).toEqual(["created web-01"]);
    expect(run.harness.lines).toEqual(run.cli.lines);

    // Outputs: same keys and values, ids apart; the task id is the id in state.
    const cliOutputs = await cli.outputs();
    const harnessOutputs = Object.fromEntries(
      Object.entries(run.summary.outputs).map(([k, v]) => [k, unwrapSecret(v)]),
    );
    const resources = await exported();
    const cliTask = resources.find((r) => r.type === TYPE)!;
    const harnessTask = engine.find("web-01")!;
    expect(cliOutputs.taskId).toBe(cliTask.id);
    expect(harnessOutputs.taskId).toBe(harnessTask.id);
    const shape = (o: Record<string, unknown>) => ({ ...o, taskId: "<id>", passphrase: typeof o.passphrase });
    expect(shape(harnessOutputs)).toEqual(shape(cliOutputs));

    // Secretness: the stack's outputs and the task's outputs in state.
    const cliStack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    expect(secretKeys(run.summary.outputs)).toEqual(secretKeys(cliStack.outputs ?? {}));
    expect(secretKeys(run.summary.outputs)).toEqual(["passphrase"]);
    expect(harnessTask.secretOutputs).toEqual(secretKeys(cliTask.outputs ?? {}));
    expect(secretKeys(harnessTask.inputs)).toEqual(secretKeys(cliTask.inputs ?? {}));
    expect(harnessTask.secretOutputs).toEqual(expect.arrayContaining(["passphrase", "credentials"]));
    expect(await cli.exportState()).not.toContain(emulatorDefaults.secretKey);
    expect(containsPlaintext(engine.snapshot(), emulatorDefaults.secretKey)).toBe(false);
    expect(isSecret(engine.snapshot().resources.find((r) => r.name === "web-01")!.outputs.passphrase)).toBe(
      true,
    );
  });

  it("a second up changes nothing and makes no API call", async () => {
    cliEmu.emulator.clearRequests();
    harnessEmu.emulator.clearRequests();
    const run = await both("up");
    expect(run.cli.lines).toEqual([]);
    expect(run.harness.lines).toEqual([]);
    // The CLI counts the stack among the unchanged resources.
    expect(unchanged(run.cliResult)).toBe(2);
    expect(run.summary.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["same web-01"]);
    expect(taskCalls(cliEmu)).toEqual([]);
    expect(taskCalls(harnessEmu)).toEqual([]);
  });

  it("an in-place change is an update with the same diff keys, in preview and in up", async () => {
    writeProgram({ ...base, speedLimitMbps: 50 });
    const preview = await both("preview");
    expect(preview.cli.lines).toEqual(["update web-01 [diff: ~speedLimitMbps]"]);
    expect(preview.harness.lines).toEqual(preview.cli.lines);
    const run = await both("up");
    expect(run.cli.lines).toEqual(["updated web-01 [diff: ~speedLimitMbps]"]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    expect(unchanged(run.cliResult)).toBe(1);
  });

  it("a replace-only change on the same source server deletes the old task first", async () => {
    const before = [(await exported()).find((r) => r.type === TYPE)!.id, engine.find("web-01")!.id];
    writeProgram({ ...base, speedLimitMbps: 50, priority: 2 });
    const preview = await both("preview");
    expect(preview.cli.lines).toEqual([
      "delete original web-01",
      "replace web-01 [diff: ~priority]",
      "create replacement web-01 [diff: ~priority]",
    ]);
    expect(preview.harness.lines).toEqual(preview.cli.lines);
    const run = await both("up");
    expect(run.cli.lines).toEqual([
      "deleted original web-01",
      "replaced web-01 [diff: ~priority]",
      "created replacement web-01 [diff: ~priority]",
    ]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    const after = [(await exported()).find((r) => r.type === TYPE)!.id, engine.find("web-01")!.id];
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(cliEmu.tasks("sms").map((t) => t.id)).toEqual([after[0]]);
    expect(harnessEmu.tasks("sms").map((t) => t.id)).toEqual([after[1]]);
  });

  it("a change of source server creates the replacement before deleting the original", async () => {
    writeProgram({
      ...base,
      speedLimitMbps: 50,
      priority: 2,
      sourceServerId: smsDemoIds.sources.web02,
      target: { vmId: smsDemoIds.targets.ecsWeb02 },
    });
    const run = await both("up");
    expect(run.cli.lines).toEqual([
      "created replacement web-01 [diff: ~sourceServerId,target]",
      "replaced web-01 [diff: ~sourceServerId,target]",
      "deleted original web-01",
    ]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    expect(cliEmu.tasks("sms")).toHaveLength(1);
    expect(harnessEmu.tasks("sms")).toHaveLength(1);
  });

  it("refresh shows drift made out of band with the same diff keys", async () => {
    const clients = [cliEmu, harnessEmu].map(
      (emu) => new SmsClient(new HuaweiClient("sms", resolveHuaweiSettings({ env: emu.emulator.env() }))),
    );
    const ids = [(await exported()).find((r) => r.type === TYPE)!.id!, engine.find("web-01")!.id];
    await Promise.all(clients.map((c, i) => c.updateTask(ids[i]!, { speed_limit: 77 })));
    const run = await both("refresh");
    expect(run.cli.lines).toEqual(["updated web-01 [diff: ~speedLimitMbps]"]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    // Again, without drift: only read-only outputs (progress, times) may have moved.
    const again = await both("refresh");
    expect(again.harness.lines).toEqual(again.cli.lines);
  });

  it("refresh of a task deleted out of band removes it from state", async () => {
    cliEmu.emulator.reset();
    harnessEmu.emulator.reset();
    const run = await both("refresh");
    expect(run.cli.lines).toEqual(["deleted web-01"]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    expect((await exported()).filter((r) => r.type === TYPE)).toEqual([]);
    expect(engine.find("web-01")).toBeUndefined();
  });

  it("a provider error is shown with the same message, and nothing is kept", async () => {
    writeProgram({ ...base, sourceServerId: smsDemoIds.sources.legacy01 });
    const run = await both("up", { fails: true });
    expect(run.cli.lines).toEqual(["**creating failed** web-01"]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    expect(run.cli.errors).toHaveLength(1);
    expect(run.cli.errors[0]).toMatch(/^sourceServerId: the SMS agent of source server .* is not connected$/);
    expect(run.harness.errors).toEqual(run.cli.errors);
    expect((await exported()).filter((r) => r.type === TYPE)).toEqual([]);
    expect(engine.find("web-01")).toBeUndefined();
  });

  it("an init failure keeps the task in state with its id and reasons; the next up updates it", async () => {
    for (const emu of [cliEmu, harnessEmu]) {
      emu.emulator.injectFault({
        kind: "error5xx",
        service: "sms",
        operation: "UpdateTaskStatus",
        count: 1_000_000,
        status: 500,
      });
    }
    writeProgram({ ...base, timeouts: { create: "2s" } });
    const run = await both("up", { fails: true });
    expect(run.cli.lines).toEqual(["**creating failed** web-01"]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    // The engine shows the reasons, not the error's message: the reason names the kept task.
    expect(run.cli.errors).toHaveLength(1);
    expect(run.cli.errors[0]).toMatch(
      /^1 error occurred: \* task [0-9a-f-]{36} was created but did not reach its declared state: timed out/,
    );
    expect(run.harness.errors.map(normalise)).toEqual(run.cli.errors.map(normalise));

    const cliTask = (await exported()).find((r) => r.type === TYPE)!;
    const harnessTask = engine.find("web-01")!;
    expect(cliEmu.tasks("sms").map((t) => t.id)).toEqual([cliTask.id]);
    expect(harnessEmu.tasks("sms").map((t) => t.id)).toEqual([harnessTask.id]);
    expect(harnessTask.initErrors.map(normalise)).toEqual((cliTask.initErrors ?? []).map(normalise));
    expect(harnessTask.initErrors).toHaveLength(1);

    for (const emu of [cliEmu, harnessEmu]) emu.emulator.clearFaults();
    const retry = await both("up");
    // No input changed: the init errors alone make an update, with no diff to show.
    expect(retry.cli.lines).toEqual(["updated web-01"]);
    expect(retry.harness.lines).toEqual(retry.cli.lines);
    expect((await exported()).find((r) => r.type === TYPE)!.initErrors ?? []).toEqual([]);
    expect(engine.find("web-01")!.initErrors).toEqual([]);
    expect(engine.find("web-01")!.id).toBe(harnessTask.id);
  });

  it("destroy deletes the task through both", async () => {
    const run = await both("destroy");
    expect(run.cli.lines).toEqual(["deleted web-01"]);
    expect(run.harness.lines).toEqual(run.cli.lines);
    expect(cliEmu.tasks("sms")).toEqual([]);
    expect(harnessEmu.tasks("sms")).toEqual([]);
  });
});
