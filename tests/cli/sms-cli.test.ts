/**
 * examples/sms-block-migration under the real Pulumi CLI, against the emulator: the engine's own
 * diff, refresh, secrets, pending operations and display, not the harness's.
 */
import { HuaweiClient } from "../../sdk/huawei/client";
import { resolveHuaweiSettings } from "../../sdk/huawei/credentials";
import { SmsClient } from "../../sdk/huawei/sms/client";
import { requireBuild } from "../helpers";
import { exampleStack, lineIndex, type CliEmulator, type ExampleStack } from "./harness";
import type { PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

const TYPE = "pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask";
let emu: CliEmulator;
let cli: PulumiCli;
let stack: ExampleStack;
let sms: SmsClient;
let taskId: string;

const apiCalls = () => emu.emulator.requests().filter((r) => r.service === "sms");

beforeAll(async () => {
  requireBuild();
  stack = await exampleStack("sms-block-migration", {
    emulator: { durations: { replication: 30 * 86_400 } },
  });
  ({ emu, cli } = stack);
  sms = new SmsClient(new HuaweiClient("sms", resolveHuaweiSettings({ env: emu.emulator.env() })));
});

afterAll(async () => stack?.close());

describe("examples/sms-block-migration with the pulumi CLI", () => {
  it("creates and starts the task, showing the provider's progress while the create waits", async () => {
    const up = await cli.up();
    expect(up.output).toMatch(/\+ 2 created/);
    // Progress reaches the display while the create is still in flight, not after it.
    const progress = lineIndex(up.output, /waiting for task [0-9a-f-]+ to be running/);
    const created = lineIndex(up.output, /MigrationTask web-01 created/);
    expect(progress).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(progress);

    const outputs = await cli.outputs();
    taskId = outputs.taskId as string;
    expect(outputs.status).toMatch(/^(RUNNING|SYNCING|MIGRATE_SUCCESS|SYNC_SUCCESS)$/);
    const tasks = emu.tasks("sms");
    expect(tasks.map((t) => t.id)).toEqual([taskId]);
    const res = await cli.resources();
    expect(res.filter((r) => r.type === TYPE).map((r) => r.id)).toEqual([taskId]);
  });

  it("makes no API call on a second up or on preview --expect-no-changes", async () => {
    emu.emulator.clearRequests();
    const again = await cli.up();
    expect(again.output).toMatch(/2 unchanged/);
    await cli.preview(["--expect-no-changes"]);
    expect(apiCalls()).toEqual([]);
  });

  it("updates the speed limit in place", async () => {
    await cli.config("speedLimitMbps", "50");
    const up = await cli.up();
    expect(up.output).toMatch(/MigrationTask web-01 updated .*\[diff: ~speedLimitMbps\]/);
    expect((await sms.findTask(taskId))?.speed_limit).toBe(50);
    expect((await cli.outputs()).taskId).toBe(taskId);
  });

  it("pauses the migration when the declared state becomes paused", async () => {
    await cli.config("state", "paused");
    await cli.up();
    expect((await sms.findTask(taskId))?.state).toBe("ABORT");
    expect((await cli.outputs()).status).toBe("ABORT");
  });

  it("shows drift made outside Pulumi on refresh, and the next up converges it", async () => {
    await sms.updateTask(taskId, { speed_limit: 77 } as never);
    const refresh = await cli.refresh();
    expect(refresh.output).toMatch(/MigrationTask web-01 updated .*\[diff: ~speedLimitMbps\]/);
    const preview = await cli.preview();
    expect(preview.output).toMatch(/~ +pulumi-nodejs:dynamic\/huaweicloud\/sms:MigrationTask web-01 update/);
    await cli.up();
    expect((await sms.findTask(taskId))?.speed_limit).toBe(50);
    emu.emulator.clearRequests();
    await cli.preview(["--expect-no-changes"]);
    expect(apiCalls()).toEqual([]);
  });

  it("keeps the secret key and the task's passphrase out of the stack's state", async () => {
    const state = await cli.exportState();
    expect(state).not.toContain(emu.emulator.env().HW_SECRET_KEY);
    const passphrase = await sms.passphrase(taskId);
    expect(passphrase.length).toBeGreaterThan(0);
    expect(state).not.toContain(passphrase);
    expect(
      JSON.parse(state).deployment.resources.find((r: { type: string }) => r.type === TYPE).outputs
        .passphrase,
    ).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
  });

  it("destroys the task and leaves nothing in the cloud", async () => {
    const down = await cli.destroy();
    expect(down.output).toMatch(/2 deleted/);
    expect(emu.tasks("sms")).toEqual([]);
    expect(await cli.resources()).toEqual([]);
  });
});
