/**
 * examples/dcs-redis-online under the real Pulumi CLI, against the emulator: passwords from stack
 * config as secrets, in-place settings, stop, drift and destroy, as the engine itself runs them.
 */
import { dcsDemoIds } from "../../emulator";
import { HuaweiClient } from "../../sdk/huawei/client";
import { resolveHuaweiSettings } from "../../sdk/huawei/credentials";
import { DcsClient } from "../../sdk/huawei/dcs/client";
import { requireBuild } from "../helpers";
import { type CliEmulator, exampleStack, type ExampleStack, lineIndex, redisPasswords } from "./harness";
import type { PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

const TYPE = "pulumi-nodejs:dynamic/huaweicloud/dcs:MigrationTask";
let emu: CliEmulator;
let cli: PulumiCli;
let stack: ExampleStack;
let dcs: DcsClient;
let taskId: string;

/** Tasks the emulator still holds (a deleted task is kept, marked, until it is released). */
const liveTasks = () => emu.tasks("dcs").filter((t) => t.deleted !== true);
const apiCalls = () => emu.emulator.requests().filter((r) => r.service === "dcs");

beforeAll(async () => {
  requireBuild();
  stack = await exampleStack("dcs-redis-online", { config: redisPasswords });
  ({ emu, cli } = stack);
  dcs = new DcsClient(new HuaweiClient("dcs", resolveHuaweiSettings({ env: emu.emulator.env() })));
});

afterAll(async () => stack?.close());

describe("examples/dcs-redis-online with the pulumi CLI", () => {
  it("creates the online migration and shows its progress while it waits", async () => {
    const up = await cli.up();
    expect(up.output).toMatch(/\+ 2 created/);
    const progress = lineIndex(up.output, /waiting for (the migration ECS of )?task [0-9a-f-]+/);
    const created = lineIndex(up.output, /MigrationTask sessions created/);
    expect(progress).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(progress);
    const outputs = await cli.outputs();
    taskId = outputs.taskId as string;
    expect(outputs.status).toBe("INCRMIGEATING");
    expect(liveTasks().map((t) => t.task_id)).toEqual([taskId]);
  });

  it("makes no API call on a second up or on preview --expect-no-changes", async () => {
    emu.emulator.clearRequests();
    expect((await cli.up()).output).toMatch(/2 unchanged/);
    await cli.preview(["--expect-no-changes"]);
    expect(apiCalls()).toEqual([]);
  });

  it("applies a new bandwidth limit in place", async () => {
    await cli.config("bandwidthLimitMb", "200");
    const up = await cli.up();
    expect(up.output).toMatch(/MigrationTask sessions updated .*\[diff: ~bandwidthLimitMb\]/);
    const task = await dcs.findTask(taskId);
    expect(Number(task?.bandwidth_limit_mb)).toBe(200);
    expect((await cli.outputs()).taskId).toBe(taskId);
  });

  it("stops the migration when the declared state becomes stopped", async () => {
    await cli.config("state", "stopped");
    await cli.up();
    expect((await dcs.findTask(taskId))?.status).toBe("TERMINATED");
    expect((await cli.outputs()).status).toBe("TERMINATED");
  });

  it("shows drift made outside Pulumi on refresh, and the next up converges it", async () => {
    await dcs.updateResumeMode(taskId, "manual");
    const refresh = await cli.refresh();
    expect(refresh.output).toMatch(/MigrationTask sessions updated .*\[diff: ~resumeMode\]/);
    await cli.up();
    expect((await dcs.findTask(taskId))?.resume_mode).toBe("auto");
    emu.emulator.clearRequests();
    await cli.preview(["--expect-no-changes"]);
    expect(apiCalls()).toEqual([]);
  });

  it("keeps the Redis passwords and the secret key out of the stack's state", async () => {
    const state = await cli.exportState();
    for (const p of [...Object.values(dcsDemoIds.passwords), emu.emulator.env().HW_SECRET_KEY]) {
      expect(state).not.toContain(p);
    }
    const outputs = JSON.parse(state).deployment.resources.find(
      (r: { type: string }) => r.type === TYPE,
    ).outputs;
    expect(outputs.sourcePassword).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    });
  });

  it("destroys the task and leaves nothing in the cloud", async () => {
    expect((await cli.destroy()).output).toMatch(/2 deleted/);
    expect(liveTasks()).toEqual([]);
    expect(await cli.resources()).toEqual([]);
  });
});
