/**
 * huaweicloud.dcs.MigrationTask through the real @pulumi/pulumi dynamic-provider process,
 * driven over gRPC as `pulumi up` drives it, against the emulator.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Emulator } from "../emulator";
import { dcsDemoIds, emulatorDefaults } from "../emulator";
import { containsPlaintext, DeploymentError, isSecret, MiniEngine, unwrapSecret } from "../harness";
import type { ResourceState } from "../harness";
import { huaweicloud } from "../index";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { DcsClient } from "../sdk/huawei/dcs/client";
import { emulatorForTests, repoRoot, requireBuild, writes } from "./helpers";

type Args = huaweicloud.dcs.MigrationTaskArgs;

const SOURCE_PASSWORD = dcsDemoIds.passwords.selfBuilt;
const TARGET_PASSWORD = dcsDemoIds.passwords.target;
const WRONG_PASSWORD = "Not-The-Source-Passw0rd";

const online = (over: Partial<Args> = {}, sourcePassword: string = SOURCE_PASSWORD): Args => ({
  kind: "online",
  name: "sessions-to-dcs",
  region: "cn-north-4",
  projectId: emulatorDefaults.projectId,
  network: {
    vpcId: dcsDemoIds.vpcId,
    subnetId: dcsDemoIds.subnetId,
    securityGroupId: dcsDemoIds.securityGroupId,
  },
  migrationMethod: "incremental_migration",
  resumeMode: "auto",
  bandwidthLimitMb: 100,
  source: { address: dcsDemoIds.selfBuiltAddress, password: pulumi.secret(sourcePassword) },
  target: { instanceId: dcsDemoIds.instances.target, password: pulumi.secret(TARGET_PASSWORD) },
  state: "running",
  ...over,
});

let emulator: Emulator;
let engine: MiniEngine;
let client: DcsClient;

const program = (args: Args) => () => {
  const task = new huaweicloud.dcs.MigrationTask("sessions", args);
  return { status: task.status, taskId: task.taskId, progress: task.progress };
};
const task = (): ResourceState => {
  const t = engine.find("sessions");
  if (!t) throw new Error("sessions is not in state");
  return t;
};
const ops = (steps: { op: string; name: string }[]) => steps.map((s) => `${s.op} ${s.name}`);
const operations = () => emulator.requests().map((r) => r.operation);
const writeOps = () => writes(emulator).map((r) => r.operation);

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
  client = new DcsClient(new HuaweiClient("dcs", resolveHuaweiSettings({ env: emulator.env() })));
  engine = new MiniEngine({ projectDir: repoRoot, project: "dcs-protocol", stack: "test" });
});

afterAll(async () => {
  await engine?.close();
  await emulator?.close();
});

beforeEach(() => emulator.clearRequests());

describe("huaweicloud.dcs.MigrationTask (online) over the provider protocol", () => {
  it("previews without calling the cloud", async () => {
    const summary = await engine.up(program(online()), { preview: true });
    expect(ops(summary.steps)).toEqual(["preview-create sessions"]);
    expect(emulator.requests()).toEqual([]);
  });

  it("rejects invalid inputs at preview, naming the field", async () => {
    const err = await engine
      .up(program(online({ bandwidthLimitMb: 20_000, source: { address: "192.168.0.200" } })), {
        preview: true,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeploymentError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/bandwidthLimitMb/);
    expect(msg).toMatch(/source\.address: must be ip:port/);
    expect(emulator.requests()).toEqual([]);
  });

  it("creates the task, waits for its migration ECS, configures it and reaches INCRMIGEATING", async () => {
    const up = await engine.up(program(online()));
    expect(ops(up.steps)).toEqual(["create sessions"]);
    const out = task().outputs;
    expect(out.status).toBe("INCRMIGEATING");
    expect(out.progress).toBe(100);
    expect(out.ecsAddress).toMatch(/^192\.168\.0\.\d+$/);
    expect(typeof out.createdAt).toBe("string");
    expect(out.id ?? task().id).toBe(out.taskId);
    expect(operations()).toEqual(
      expect.arrayContaining(["CreateOnlineMigrationTask", "ShowJobInfo", "SetOnlineMigrationTask"]),
    );
    const t = await client.showTask(task().id);
    expect(t.status).toBe("INCRMIGEATING");
    expect(t.source_instance?.addrs).toBe(dcsDemoIds.selfBuiltAddress);
    expect(t.bandwidth_limit_mb).toBe("100");
    expect(up.outputs.status).toBe("INCRMIGEATING");
  });

  it("keeps both passwords secret in state, and out of logs and the closure", async () => {
    const t = task();
    expect(isSecret(t.outputs.sourcePassword)).toBe(true);
    expect(isSecret(t.outputs.targetPassword)).toBe(true);
    expect(isSecret(t.inputs.sourcePassword)).toBe(true);
    expect(unwrapSecret(t.outputs.sourcePassword)).toBe(SOURCE_PASSWORD);
    // The endpoints themselves stay readable: only the passwords were lifted out and hidden.
    expect(isSecret(t.outputs.source)).toBe(false);
    const closure = t.inputs.__provider;
    expect(typeof closure).toBe("string");
    // The closure only loads the runtime by package name: it captures no values at all.
    expect(String(closure)).toContain('require("pulumi-migration-tasks/runtime")');
    for (const p of [SOURCE_PASSWORD, TARGET_PASSWORD]) {
      expect(String(closure)).not.toContain(p);
      expect(containsPlaintext(engine.snapshot(), p)).toBe(false);
      expect(engine.providerLogs().join("\n")).not.toContain(p);
      expect(JSON.stringify(emulator.requests())).not.toContain(p);
      expect(JSON.stringify(emulator.state())).not.toContain(p);
    }
  });

  it("does nothing on a second up", async () => {
    const again = await engine.up(program(online()));
    expect(ops(again.steps)).toEqual(["same sessions"]);
    expect(writeOps()).toEqual([]);
  });

  it("changes the resume mode in place through the PUT, without stopping the migration", async () => {
    const up = await engine.up(program(online({ resumeMode: "manual" })));
    expect(ops(up.steps)).toEqual(["update sessions"]);
    expect(writeOps()).toEqual(["UpdateMigrationTask"]);
    expect((await client.showTask(task().id)).resume_mode).toBe("manual");
    expect(task().outputs.status).toBe("INCRMIGEATING");
  });

  it("reconfigures a new bandwidth in place: stop, wait for TERMINATED, configure", async () => {
    const id = task().id;
    const up = await engine.up(program(online({ resumeMode: "manual", bandwidthLimitMb: 200 })));
    expect(ops(up.steps)).toEqual(["update sessions"]);
    expect(task().id).toBe(id);
    expect(writeOps()).toEqual(["StopMigrationTask", "SetOnlineMigrationTask"]);
    const t = await client.showTask(id);
    expect(t.bandwidth_limit_mb).toBe("200");
    expect(t.status).toBe("INCRMIGEATING");
  });

  it("applies a password change without replacing the task, and never echoes the password in errors", async () => {
    const id = task().id;
    const wrong = await engine
      .up(program(online({ resumeMode: "manual", bandwidthLimitMb: 200 }, WRONG_PASSWORD)))
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(DeploymentError);
    const summary = (wrong as DeploymentError).summary;
    expect((wrong as Error).message).toMatch(/WRONGPASS/);
    expect(JSON.stringify(summary)).not.toContain(WRONG_PASSWORD);
    expect(engine.providerLogs().join("\n")).not.toContain(WRONG_PASSWORD);
    expect(containsPlaintext(engine.snapshot(), WRONG_PASSWORD)).toBe(false);
    expect(task().id).toBe(id);

    const fixed = await engine.up(program(online({ resumeMode: "manual", bandwidthLimitMb: 200 })));
    expect(ops(fixed.steps)).toEqual(["update sessions"]);
    expect(task().id).toBe(id);
    expect(writeOps()).toContain("SetOnlineMigrationTask");
    expect(writeOps()).not.toContain("CreateOnlineMigrationTask");
    expect(task().outputs.status).toBe("INCRMIGEATING");
  });

  it("stops and restarts by the declared state", async () => {
    const stopped = await engine.up(
      program(online({ resumeMode: "manual", bandwidthLimitMb: 200, state: "stopped" })),
    );
    expect(ops(stopped.steps)).toEqual(["update sessions"]);
    expect(task().outputs.status).toBe("TERMINATED");
    expect(writeOps()).toEqual(["StopMigrationTask"]);
    emulator.clearRequests();

    const running = await engine.up(program(online({ resumeMode: "manual", bandwidthLimitMb: 200 })));
    expect(ops(running.steps)).toEqual(["update sessions"]);
    expect(writeOps()).toEqual(["BatchRestartOnlineMigrationTasks"]);
    expect(task().outputs.status).toBe("INCRMIGEATING");
  });

  it("records a settings change made while stopped, and applies it with the next start", async () => {
    const base = { resumeMode: "manual" as const, state: "stopped" as const };
    const id = task().id;
    await engine.up(program(online({ ...base, bandwidthLimitMb: 200 })));
    expect(task().outputs.status).toBe("TERMINATED");
    emulator.clearRequests();

    // Configuring would start the task, so the new bandwidth waits for the declared start.
    const changed = await engine.up(program(online({ ...base, bandwidthLimitMb: 300 })));
    expect(ops(changed.steps)).toEqual(["update sessions"]);
    expect(writeOps()).toEqual([]);
    expect(task().outputs.pendingReconfigure).toBe(true);
    expect((await client.showTask(id)).bandwidth_limit_mb).toBe("200");

    const still = await engine.up(program(online({ ...base, bandwidthLimitMb: 300 })));
    expect(ops(still.steps)).toEqual(["same sessions"]);
    emulator.clearRequests();

    const started = await engine.up(program(online({ ...base, state: "running", bandwidthLimitMb: 300 })));
    expect(ops(started.steps)).toEqual(["update sessions"]);
    // Configured afresh with the recorded settings rather than restarted with the old ones.
    expect(writeOps()).toEqual(["SetOnlineMigrationTask"]);
    const t = await client.showTask(id);
    expect([t.bandwidth_limit_mb, t.status]).toEqual(["300", "INCRMIGEATING"]);
    expect(task().outputs.pendingReconfigure).toBeUndefined();
    expect(task().id).toBe(id);

    // Back to the settings the next tests start from.
    await engine.up(program(online({ resumeMode: "manual", bandwidthLimitMb: 200 })));
    expect((await client.showTask(id)).bandwidth_limit_mb).toBe("200");
  });

  it("exchanges the IPs when declared, and rolls them back when no longer declared exchanged", async () => {
    const ips = ["192.168.0.200", "192.168.0.153"];
    const base = { resumeMode: "manual" as const, bandwidthLimitMb: 200 };
    const ex = await engine.up(program(online({ ...base, ipSwitch: { exchanged: true, ips } })));
    expect(ops(ex.steps)).toEqual(["update sessions"]);
    expect(writeOps()).toEqual(["ExchangeInstanceIp"]);
    expect(task().outputs.ipSwitchStatus).toBe("EXCHANGE_SUCCESS");
    expect((await client.showTask(task().id)).task_status).toBe("EXCHANGE_SUCCESS");
    emulator.clearRequests();

    const same = await engine.up(program(online({ ...base, ipSwitch: { exchanged: true, ips } })));
    expect(ops(same.steps)).toEqual(["same sessions"]);

    const back = await engine.up(program(online({ ...base, ipSwitch: { exchanged: false, ips } })));
    expect(ops(back.steps)).toEqual(["update sessions"]);
    expect(writeOps()).toEqual(["RollbackExchangeInstanceIp"]);
    expect(task().outputs.ipSwitchStatus).toBe("ROLLBACK_SUCCESS");
  });

  it("refresh shows a stop made outside Pulumi, and the next up restarts the task", async () => {
    const base = { resumeMode: "manual" as const, bandwidthLimitMb: 200 };
    emulator.forceState({ service: "dcs", kind: "task", id: task().id, status: "TERMINATED" });
    const refresh = await engine.refresh();
    expect(refresh.steps.map((s) => [s.op, s.changed])).toEqual([["refresh", true]]);
    expect(task().outputs.status).toBe("TERMINATED");
    // Refresh read through show plus the list, and changed nothing.
    expect(operations()).toEqual(expect.arrayContaining(["ShowMigrationTask", "ListMigrationTask"]));
    expect(writeOps()).toEqual([]);

    const up = await engine.up(program(online(base)));
    expect(ops(up.steps)).toEqual(["update sessions"]);
    expect(writeOps()).toEqual(["BatchRestartOnlineMigrationTasks"]);
    expect(task().outputs.status).toBe("INCRMIGEATING");
  });

  it("refresh shows a failure with the cloud's message, and the next up restarts the task", async () => {
    const base = { resumeMode: "manual" as const, bandwidthLimitMb: 200 };
    emulator.forceState({
      service: "dcs",
      kind: "task",
      id: task().id,
      status: "MIGRATION_FAILED",
      error_message: "source Redis closed the connection",
    });
    await engine.refresh();
    expect(task().outputs.status).toBe("MIGRATION_FAILED");
    expect(task().outputs.errorMessage).toBe("source Redis closed the connection");
    const up = await engine.up(program(online(base)));
    expect(ops(up.steps)).toEqual(["update sessions"]);
    expect(task().outputs.status).toBe("INCRMIGEATING");
    expect(task().outputs.errorMessage).toBeUndefined();
  });

  it("destroys: stops the incremental migration, deletes, and waits until the list no longer has it", async () => {
    const id = task().id;
    // Long enough for the checks below to see the deleted task's detail on a loaded machine.
    emulator.configure({ dcs: { durations: { ghost: 600 } } });
    const down = await engine.destroy();
    expect(ops(down.steps)).toEqual(["delete sessions"]);
    expect(writeOps()).toEqual(["StopMigrationTask", "DeleteMigrationTask"]);
    expect(await client.isListed(id)).toBe(false);
    // The detail call still answers for a while, as the real service's does; it does not count.
    expect((await client.showTask(id)).status).toBe("SUCCESS");
    expect(await client.findTask(id)).toBeUndefined();
  });

  it("refresh drops a task deleted outside Pulumi", async () => {
    await engine.up(program(online()));
    emulator.forceState({ service: "dcs", kind: "task", id: task().id, delete: true });
    const refresh = await engine.refresh();
    expect(ops(refresh.steps)).toEqual(["refresh-delete sessions"]);
    expect(engine.find("sessions")).toBeUndefined();
  });
});

describe("huaweicloud.dcs.MigrationTask (backup import) over the provider protocol", () => {
  const backup = (over: Partial<Args> = {}): Args => ({
    kind: "backup",
    name: "sessions-import",
    region: "cn-north-4",
    projectId: emulatorDefaults.projectId,
    migrationMethod: "full_amount_migration",
    backupFiles: {
      fileSource: "self_build_obs",
      bucketName: dcsDemoIds.bucket,
      files: [{ name: dcsDemoIds.backupFile }],
    },
    target: { instanceId: dcsDemoIds.instances.target, password: pulumi.secret(TARGET_PASSWORD) },
    ...over,
  });
  const prog = (args: Args) => () => {
    new huaweicloud.dcs.MigrationTask("import", args);
  };
  const imp = () => engine.find("import") as ResourceState;

  it("imports, stays unchanged, records a new password without replacing, and is replaced on new files", async () => {
    const up = await engine.up(prog(backup()));
    expect(ops(up.steps)).toEqual(["create import"]);
    expect(imp().outputs.status).toBe("SUCCESS");
    expect(writeOps()).toEqual(["CreateMigrationTask"]);
    emulator.clearRequests();

    expect(ops((await engine.up(prog(backup()))).steps)).toEqual(["same import"]);
    expect(writeOps()).toEqual([]);

    // The target password is used only while importing: a new one is recorded, not applied.
    const rotated = await engine.up(
      prog(
        backup({
          target: { instanceId: dcsDemoIds.instances.target, password: pulumi.secret("Rotated-Passw0rd") },
        }),
      ),
    );
    expect(ops(rotated.steps)).toEqual(["update import"]);
    expect(writeOps()).toEqual([]);
    expect(unwrapSecret(imp().outputs.targetPassword)).toBe("Rotated-Passw0rd");

    const id = imp().id;
    const replaced = await engine.up(
      prog(
        backup({
          backupFiles: {
            fileSource: "self_build_obs",
            bucketName: dcsDemoIds.bucket,
            files: [{ name: "sessions-20240402.rdb" }],
          },
        }),
      ),
    );
    // Same target Redis: the old import is deleted before the new one writes into it.
    expect(ops(replaced.steps)).toEqual(["delete-replaced import", "replace import"]);
    expect(imp().id).not.toBe(id);
    expect(await client.isListed(id)).toBe(false);
    await engine.destroy();
    expect(engine.find("import")).toBeUndefined();
  });

  it("stops an import declared stopped, and refuses at preview to start it again", async () => {
    // A long import, so that the stop lands while data is still moving.
    emulator.configure({ dcs: { durations: { fullMigration: 36000 } } });
    try {
      const up = await engine.up(prog(backup({ state: "stopped" })));
      expect(ops(up.steps)).toEqual(["create import"]);
      expect(writeOps()).toEqual(["CreateMigrationTask", "StopMigrationTask"]);
      expect(imp().outputs.status).toBe("TERMINATED");
      expect(ops((await engine.up(prog(backup({ state: "stopped" })))).steps)).toEqual(["same import"]);

      emulator.clearRequests();
      const again = await engine
        .up(prog(backup({ state: "running" })), { preview: true })
        .catch((e: unknown) => e);
      expect(again).toBeInstanceOf(DeploymentError);
      expect((again as Error).message).toMatch(/an import cannot be restarted, replace the task/);
      expect(writeOps()).toEqual([]);
      await engine.destroy();
      expect(engine.find("import")).toBeUndefined();
    } finally {
      emulator.configure({ dcs: { durations: { fullMigration: 30 } } });
    }
  });

  it("reports a failed import with the cloud's message and keeps the task in state for destroy", async () => {
    const err = await engine
      .up(
        prog(
          backup({
            backupFiles: {
              fileSource: "self_build_obs",
              bucketName: dcsDemoIds.bucket,
              files: [{ name: "missing.rdb" }],
            },
          }),
        ),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeploymentError);
    expect((err as Error).message).toMatch(/missing\.rdb is not in OBS bucket/);
    const id = imp().id;
    expect(id).not.toBe("");
    expect(containsPlaintext(engine.snapshot(), TARGET_PASSWORD)).toBe(false);
    await engine.destroy();
    expect(await client.isListed(id)).toBe(false);
  });
});
