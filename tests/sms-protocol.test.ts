/**
 * huaweicloud.sms.MigrationTask through the real @pulumi/pulumi dynamic-provider process,
 * driven over gRPC as `pulumi up` drives it, against the emulator.
 */
import type { Emulator } from "../emulator";
import { smsDemoIds, emulatorDefaults } from "../emulator";
import { containsPlaintext, isSecret, MiniEngine, unwrapSecret } from "../harness";
import type { ResourceState } from "../harness";
import { huaweicloud } from "../index";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { SmsClient } from "../sdk/huawei/sms/client";
import { emulatorForTests, repoRoot, requireBuild, writes } from "./helpers";

type Args = huaweicloud.sms.MigrationTaskArgs;

const base = (over: Partial<Args> = {}): Args => ({
  name: "web-01-to-ecs",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: smsDemoIds.sources.web01,
  target: { vmId: smsDemoIds.targets.ecsWeb01 },
  region: "cn-north-4",
  projectId: emulatorDefaults.projectId,
  speedLimitMbps: 100,
  state: "running",
  ...over,
});

let emulator: Emulator;
let engine: MiniEngine;
let client: SmsClient;

const program = (args: Args, extra?: () => void) => () => {
  const task = new huaweicloud.sms.MigrationTask("web-01", args);
  extra?.();
  return { status: task.status, taskId: task.taskId };
};
const task = (): ResourceState => {
  const t = engine.find("web-01");
  if (!t) throw new Error("web-01 is not in state");
  return t;
};
const ops = (steps: { op: string; name: string }[]) => steps.map((s) => `${s.op} ${s.name}`);

beforeAll(async () => {
  requireBuild();
  // Replication takes a minute of wall time, so a running task stays running through the tests.
  emulator = await emulatorForTests({ durations: { replication: 36_000 } });
  client = new SmsClient(new HuaweiClient("sms", resolveHuaweiSettings({ env: emulator.env() })));
  engine = new MiniEngine({ projectDir: repoRoot, project: "protocol", stack: "test" });
});

afterAll(async () => {
  await engine?.close();
  await emulator?.close();
});

beforeEach(() => emulator.clearRequests());

describe("huaweicloud.sms.MigrationTask over the provider protocol", () => {
  it("previews with unknown inputs without calling the cloud", async () => {
    const summary = await engine.up(
      () => {
        const first = new huaweicloud.sms.MigrationTask("web-01", base());
        // Unknown during preview: the first task does not exist yet.
        new huaweicloud.sms.MigrationTask(
          "web-02",
          base({
            name: "web-02-to-ecs",
            sourceServerId: smsDemoIds.sources.web02,
            target: { vmId: smsDemoIds.targets.ecsWeb02 },
            speedLimitMbps: first.progress.apply(() => 50),
          }),
        );
      },
      { preview: true },
    );
    expect(ops(summary.steps)).toEqual(["preview-create web-01", "preview-create web-02"]);
    expect(emulator.requests()).toEqual([]);
  });

  it("creates and starts the task, reporting the cloud's state", async () => {
    const summary = await engine.up(program(base()));
    expect(ops(summary.steps)).toEqual(["create web-01"]);
    const t = task();
    const cloud = await client.showTask(t.id);
    expect(cloud.state).toBe("RUNNING");
    expect(t.outputs.status).toBe("RUNNING");
    expect(t.outputs.state).toBe("running");
    expect(summary.outputs.taskId).toBe(t.id);
    expect(writes(emulator).map((w) => w.operation)).toEqual(["CreateTask", "UpdateTaskStatus"]);
    expect(isSecret(t.outputs.passphrase)).toBe(true);
    for (const [k, v] of Object.entries(t.outputs)) expect([k, v ?? null]).not.toEqual([k, null]);
  });

  it("makes no call at all on an up without changes", async () => {
    const summary = await engine.up(program(base()));
    expect(ops(summary.steps)).toEqual(["same web-01"]);
    expect(emulator.requests()).toEqual([]);
  });

  it("updates name and speed limit in place through PUT /v3/tasks/{id}", async () => {
    const id = task().id;
    const summary = await engine.up(program(base({ name: "web-01-renamed", speedLimitMbps: 40 })));
    expect(ops(summary.steps)).toEqual(["update web-01"]);
    expect(task().id).toBe(id);
    const put = writes(emulator);
    expect(put.map((w) => `${w.method} ${w.path}`)).toEqual([`PUT /v3/tasks/${id}`]);
    const cloud = await client.showTask(id);
    expect([cloud.name, cloud.speed_limit]).toEqual(["web-01-renamed", 40]);
  });

  it("pauses and resumes the task through the action API", async () => {
    const paused = await engine.up(
      program(base({ name: "web-01-renamed", speedLimitMbps: 40, state: "paused" })),
    );
    expect(ops(paused.steps)).toEqual(["update web-01"]);
    expect((await client.showTask(task().id)).state).toBe("ABORT");
    expect(task().outputs.status).toBe("ABORT");
    const resumed = await engine.up(program(base({ name: "web-01-renamed", speedLimitMbps: 40 })));
    expect(ops(resumed.steps)).toEqual(["update web-01"]);
    expect(["RUNNING", "MIGRATE_SUCCESS"]).toContain((await client.showTask(task().id)).state);
  });

  it("fails the preview of a transition the cloud cannot make", async () => {
    await expect(
      engine.up(program(base({ name: "web-01-renamed", speedLimitMbps: 40, state: "ready" })), {
        preview: true,
      }),
    ).rejects.toThrow(/cannot return to ready/);
    expect(writes(emulator)).toEqual([]);
  });

  it("shows drift after a refresh and converges it on the next up", async () => {
    const id = task().id;
    await client.updateTask(id, { speed_limit: 7 });
    emulator.forceState({ service: "sms", kind: "task", id, state: "MIGRATE_FAIL" });
    await engine.refresh();
    expect(task().outputs.speedLimitMbps).toBe(7);
    expect(task().outputs.status).toBe("MIGRATE_FAIL");
    emulator.clearRequests();
    const summary = await engine.up(program(base({ name: "web-01-renamed", speedLimitMbps: 40 })));
    expect(ops(summary.steps)).toEqual(["update web-01"]);
    const ops2 = writes(emulator).map((w) => w.operation);
    expect(ops2).toContain("UpdateTask");
    expect(ops2).toContain("UpdateTaskStatus");
    const cloud = await client.showTask(id);
    expect(cloud.speed_limit).toBe(40);
    expect(["RUNNING", "MIGRATE_SUCCESS"]).toContain(cloud.state);
  });

  it("replaces the task when an immutable field changes, deleting the old one first", async () => {
    const oldId = task().id;
    const summary = await engine.up(
      program(base({ name: "web-01-renamed", speedLimitMbps: 40, priority: 2 })),
    );
    expect(summary.steps.map((s) => s.op)).toContain("replace");
    const newId = task().id;
    expect(newId).not.toBe(oldId);
    expect(await client.findTask(oldId)).toBeUndefined();
    const order = writes(emulator).map((w) => w.operation);
    expect(order.indexOf("DeleteTask")).toBeLessThan(order.indexOf("CreateTask"));
  });

  it("a task deleted outside Pulumi is dropped by refresh and recreated by up", async () => {
    const id = task().id;
    emulator.forceState({ service: "sms", kind: "task", id, delete: true });
    const refreshed = await engine.refresh();
    expect(ops(refreshed.steps)).toEqual(["refresh-delete web-01"]);
    expect(engine.find("web-01")).toBeUndefined();
    const summary = await engine.up(program(base()));
    expect(ops(summary.steps)).toEqual(["create web-01"]);
  });

  it("destroy stops the running task, deletes it and waits until it is gone", async () => {
    const id = task().id;
    const summary = await engine.destroy();
    expect(ops(summary.steps)).toEqual(["delete web-01"]);
    expect(await client.findTask(id)).toBeUndefined();
    const order = writes(emulator).map((w) => `${w.operation}`);
    expect(order).toEqual(["UpdateTaskStatus", "DeleteTask"]);
  });

  it("adopts an existing task by id instead of creating one", async () => {
    const created = await client.createTask({
      name: "adopt-me",
      type: "MIGRATE_BLOCK",
      os_type: "LINUX",
      source_server: { id: smsDemoIds.sources.web02 },
      target_server: { name: "ecs-web-02", vm_id: smsDemoIds.targets.ecsWeb02 },
      region_name: "cn-north-4",
      region_id: "cn-north-4",
      project_name: "cn-north-4",
      project_id: emulatorDefaults.projectId,
      exist_server: true,
    });
    emulator.clearRequests();
    const args = base({
      name: "adopted",
      sourceServerId: smsDemoIds.sources.web02,
      target: { vmId: smsDemoIds.targets.ecsWeb02 },
      state: "ready",
      adoptTaskId: created.id,
    });
    const summary = await engine.up(() => {
      new huaweicloud.sms.MigrationTask("adopted", args);
    });
    expect(ops(summary.steps)).toEqual(["create adopted"]);
    expect(engine.find("adopted")?.id).toBe(created.id);
    expect(writes(emulator).map((w) => w.operation)).not.toContain("CreateTask");
    expect((await client.showTask(created.id)).name).toBe("adopted");
    await engine.destroy();
    expect(await client.findTask(created.id)).toBeUndefined();
  });

  it("keeps a task that failed to start in state with its id, and converges it next time", async () => {
    // Every start fails until the create deadline passes.
    emulator.injectFault({
      kind: "error5xx",
      service: "sms",
      operation: "UpdateTaskStatus",
      count: 1_000_000,
      status: 500,
    });
    await expect(engine.up(program(base({ timeouts: { create: "2s" } })))).rejects.toThrow(
      /did not reach its declared state: .*timed out.*UpdateTaskStatus/,
    );
    const t = task();
    expect(t.id).not.toBe("");
    expect(t.initErrors.length).toBeGreaterThan(0);
    expect((await client.showTask(t.id)).state).toBe("READY");
    emulator.clearFaults();
    const summary = await engine.up(program(base({ timeouts: { create: "2s" } })));
    expect(ops(summary.steps)).toEqual(["update web-01"]);
    expect(task().id).toBe(t.id);
    expect((await client.showTask(t.id)).state).toBe("RUNNING");
    await engine.destroy();
  });

  it("keeps resource-level credentials and the passphrase secret, in state and in logs", async () => {
    const secretKey = emulatorDefaults.secretKey;
    await engine.up(program(base({ credentials: { accessKey: emulatorDefaults.accessKey, secretKey } })));
    const t = task();
    expect(isSecret(t.outputs.credentials)).toBe(true);
    expect(isSecret(t.inputs.credentials)).toBe(true);
    expect((unwrapSecret(t.outputs.credentials) as { secretKey: string }).secretKey).toBe(secretKey);
    const passphrase = unwrapSecret(t.outputs.passphrase) as string;
    expect(passphrase.length).toBeGreaterThan(0);
    expect(containsPlaintext(engine.state, secretKey)).toBe(false);
    expect(containsPlaintext(engine.state, passphrase)).toBe(false);
    expect(engine.providerLogs().join("\n")).not.toContain(secretKey);
    await engine.destroy();
  });
});
