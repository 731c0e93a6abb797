/**
 * examples/mse-nacos-registry, a real Pulumi program, applied end to end against the emulator
 * through the engine harness, which runs the real dynamic-provider process.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { resolveAlicloudSettings } from "../sdk/alibaba/credentials";
import { MseClient } from "../sdk/alibaba/mse/client";
import { emulatorForTests, repoRoot, requireBuild, runExample } from "./helpers";

const example = path.join(repoRoot, "examples", "mse-nacos-registry");

let emulator: Emulator;

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
});
afterAll(async () => emulator?.close());

describe("examples/mse-nacos-registry", () => {
  it("is a complete Pulumi project", () => {
    for (const f of ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]) {
      expect(fs.existsSync(path.join(example, f))).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(example, "package.json"), "utf8"));
    expect(pkg.dependencies["pulumi-migration-tasks"]).toBe("file:../..");
  });

  it("creates the task, stays unchanged on a second up and a refresh, and destroys it", async () => {
    const client = MseClient.fromSettings(
      resolveAlicloudSettings({ env: emulator.env(), homeDir: "/nonexistent" }),
    );
    emulator.clearRequests();
    const phases = await runExample(example, ["up", "up", "refresh", "destroy"]);
    expect(phases.map((p) => p.steps.map((s) => s.op))).toEqual([
      ["create"],
      ["same"],
      ["refresh"],
      ["delete"],
    ]);
    const outputs = phases[0].outputs;
    const id = outputs.taskId as string;
    expect(outputs.namespaces).toEqual(["orders", "public"]);
    expect(outputs.targetInstanceId).toBe("mse-cn-ud82xxxxx");
    const added = emulator.requests().filter((r) => r.operation === "AddMigrationTask");
    expect(added.map((r) => r.status)).toEqual([200]);
    expect(await client.findMigrationTask(id)).toBeUndefined();
  });
});
