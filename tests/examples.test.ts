/**
 * Each example is a real Pulumi program, applied end to end against the emulator through the
 * engine harness, which runs the real dynamic-provider process; tests/cli runs them under the
 * real pulumi CLI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { SmsClient } from "../sdk/huawei/sms/client";
import { emulatorForTests, repoRoot, requireBuild, runExample } from "./helpers";

const smsExample = path.join(repoRoot, "examples", "sms-block-migration");

let emulator: Emulator;

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
});
afterAll(async () => emulator?.close());

describe("examples/sms-block-migration", () => {
  it("is a complete Pulumi project", () => {
    for (const f of ["Pulumi.yaml", "index.ts", "package.json"]) {
      expect(fs.existsSync(path.join(smsExample, f))).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(smsExample, "package.json"), "utf8"));
    expect(pkg.dependencies["pulumi-migration-tasks"]).toBeDefined();
  });

  it("applies, converges, stays unchanged on a second up, and destroys (engine harness)", async () => {
    const client = new SmsClient(new HuaweiClient("sms", resolveHuaweiSettings({ env: emulator.env() })));
    emulator.clearRequests();
    // A plain Node process, as the language host runs the program.
    const phases = await runExample(smsExample, ["up", "up", "refresh", "destroy"]);
    expect(phases.map((p) => p.steps.map((s) => s.op))).toEqual([
      ["create"],
      ["same"],
      ["refresh"],
      ["delete"],
    ]);
    const outputs = phases[0].outputs;
    const id = outputs.taskId as string;
    expect(["RUNNING", "MIGRATE_SUCCESS"]).toContain(outputs.status);
    expect(typeof outputs.progress).toBe("number");
    const created = emulator.requests().filter((r) => r.operation === "CreateTask");
    expect(created.map((r) => r.status)).toEqual([200]);
    expect(await client.findTask(id)).toBeUndefined();
  });
});
