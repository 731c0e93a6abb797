/**
 * examples/mse-nacos-registry under the real Pulumi CLI, against the emulator: create, no-op,
 * an in-place update, drift, the exported state and destroy, as the engine itself runs them.
 * An MSE migration task has no lifecycle of its own to declare (no start, pause or cutover).
 */
import { resolveAlicloudSettings } from "../../sdk/alibaba/credentials";
import { MseClient } from "../../sdk/alibaba/mse/client";
import { requireBuild } from "../helpers";
import { exampleStack, type CliEmulator, type ExampleStack } from "./harness";
import type { PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

const TYPE = "pulumi-nodejs:dynamic/alicloud/mse:MigrationTask";
let emu: CliEmulator;
let cli: PulumiCli;
let stack: ExampleStack;
let mse: MseClient;
let taskId: string;

const apiCalls = () => emu.emulator.requests().filter((r) => r.service === "mse");
/** The example's tasks: the emulator's demo data holds others. */
const ours = () => emu.tasks("mse").filter((t) => t.OriginInstanceName === "orders-nacos");

beforeAll(async () => {
  requireBuild();
  stack = await exampleStack("mse-nacos-registry");
  ({ emu, cli } = stack);
  mse = MseClient.fromSettings(resolveAlicloudSettings({ env: emu.emulator.env(), homeDir: "/nonexistent" }));
});

afterAll(async () => stack?.close());

describe("examples/mse-nacos-registry with the pulumi CLI", () => {
  it("creates the registry migration task", async () => {
    expect((await cli.up()).output).toMatch(/\+ 2 created/);
    const outputs = await cli.outputs();
    taskId = outputs.taskId as string;
    expect(outputs.namespaces).toEqual(["orders", "public"]);
    expect(ours().map((t) => String(t.Id))).toEqual([taskId]);
    const res = await cli.resources();
    expect(res.filter((r) => r.type === TYPE).map((r) => r.id)).toEqual([taskId]);
  });

  it("makes no API call on a second up or on preview --expect-no-changes", async () => {
    emu.emulator.clearRequests();
    expect((await cli.up()).output).toMatch(/2 unchanged/);
    await cli.preview(["--expect-no-changes"]);
    expect(apiCalls()).toEqual([]);
  });

  it("changes the sync type in place", async () => {
    await cli.config("syncType", "Config");
    const up = await cli.up();
    expect(up.output).toMatch(/MigrationTask orders-registry updated .*\[diff: ~syncType\]/);
    expect((await mse.findMigrationTask(taskId))?.SyncType).toBe("Config");
    expect((await cli.outputs()).taskId).toBe(taskId);
  });

  it("shows drift made outside Pulumi on refresh, and the next up converges it", async () => {
    await mse.updateMigrationTask(taskId, { TargetClusterName: "changed-by-hand" });
    const refresh = await cli.refresh();
    expect(refresh.output).toMatch(/MigrationTask orders-registry updated .*\[diff: ~targetClusterName\]/);
    await cli.up();
    expect((await mse.findMigrationTask(taskId))?.TargetClusterName).toBe("orders");
    emu.emulator.clearRequests();
    await cli.preview(["--expect-no-changes"]);
    expect(apiCalls()).toEqual([]);
  });

  it("keeps the access key secret out of the stack's state", async () => {
    expect(await cli.exportState()).not.toContain(emu.emulator.env().ALICLOUD_SECRET_KEY);
  });

  it("destroys the task and leaves nothing in the cloud", async () => {
    expect((await cli.destroy()).output).toMatch(/2 deleted/);
    expect(ours()).toEqual([]);
    expect(await mse.findMigrationTask(taskId)).toBeUndefined();
  });
});
