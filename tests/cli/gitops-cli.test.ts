/**
 * examples/gitops under the real Pulumi CLI, against the emulator: three migration files, one
 * task of each kind, changed the way a pull request changes them (by editing the files).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { dcsDemoIds } from "../../emulator";
import { HuaweiClient } from "../../sdk/huawei/client";
import { resolveHuaweiSettings } from "../../sdk/huawei/credentials";
import { SmsClient } from "../../sdk/huawei/sms/client";
import { requireBuild } from "../helpers";
import { type CliEmulator, editFile, exampleStack, type ExampleStack, redisPasswords } from "./harness";
import type { PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

let emu: CliEmulator;
let dir: string;
let cli: PulumiCli;
let stack: ExampleStack;
let sms: SmsClient;

const liveTasks = () => ({
  sms: emu.tasks("sms"),
  dcs: emu.tasks("dcs").filter((t) => t.deleted !== true),
  mse: emu.tasks("mse").filter((t) => t.OriginInstanceName === "orders-nacos"),
});
const webTask = () => {
  const [t] = liveTasks().sms;
  return t as { id: string; state: string; speed_limit: number };
};

beforeAll(async () => {
  requireBuild();
  stack = await exampleStack("gitops", {
    emulator: { durations: { replication: 30 * 86_400 } },
    config: redisPasswords,
  });
  ({ emu, dir, cli } = stack);
  sms = new SmsClient(new HuaweiClient("sms", resolveHuaweiSettings({ env: emu.emulator.env() })));
});

afterAll(async () => stack?.close());

describe("examples/gitops with the pulumi CLI", () => {
  it("creates one task per migration file", async () => {
    expect((await cli.up()).output).toMatch(/\+ 4 created/);
    const tasks = liveTasks();
    expect([tasks.sms.length, tasks.dcs.length, tasks.mse.length]).toEqual([1, 1, 1]);
    expect(webTask().state).toBe("RUNNING");
  });

  it("makes no API call on a second up or on preview --expect-no-changes", async () => {
    emu.emulator.clearRequests();
    expect((await cli.up()).output).toMatch(/4 unchanged/);
    await cli.preview(["--expect-no-changes"]);
    expect(emu.emulator.requests()).toEqual([]);
  });

  it("applies an edited speed limit in place", async () => {
    const id = webTask().id;
    editFile(path.join(dir, "migrations", "web-01.yaml"), "speedLimitMbps: 100", "speedLimitMbps: 40");
    const up = await cli.up();
    expect(up.output).toMatch(/MigrationTask web-01 updated .*\[diff: ~speedLimitMbps\]/);
    expect(up.output).toMatch(/3 unchanged/);
    expect(webTask()).toMatchObject({ id, speed_limit: 40 });
  });

  it("pauses the server migration when its file declares paused", async () => {
    editFile(path.join(dir, "migrations", "web-01.yaml"), "state: running", "state: paused");
    await cli.up();
    expect(webTask().state).toBe("ABORT");
  });

  it("shows drift made outside Pulumi on refresh, and the next up converges it", async () => {
    const id = webTask().id;
    await sms.updateTask(id, { speed_limit: 77 } as never);
    expect((await cli.refresh()).output).toMatch(/MigrationTask web-01 updated .*\[diff: ~speedLimitMbps\]/);
    await cli.up();
    expect(webTask().speed_limit).toBe(40);
    emu.emulator.clearRequests();
    await cli.preview(["--expect-no-changes"]);
    expect(emu.emulator.requests()).toEqual([]);
  });

  it("keeps the Redis passwords and both secret keys out of the stack's state", async () => {
    const state = await cli.exportState();
    const env = emu.emulator.env();
    for (const p of [...Object.values(dcsDemoIds.passwords), env.HW_SECRET_KEY, env.ALICLOUD_SECRET_KEY]) {
      expect(state).not.toContain(p);
    }
  });

  it("deletes the task of a removed file, then destroys the rest, leaving nothing in the cloud", async () => {
    fs.rmSync(path.join(dir, "migrations", "orders-registry.yaml"));
    const up = await cli.up();
    expect(up.output).toMatch(/MigrationTask orders-registry deleted/);
    expect(liveTasks().mse).toEqual([]);
    expect((await cli.destroy()).output).toMatch(/3 deleted/);
    expect(liveTasks()).toEqual({ sms: [], dcs: [], mse: [] });
  });
});
