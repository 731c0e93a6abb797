/**
 * The provider methods of huaweicloud.dcs.MigrationTask, in process, against the emulator with
 * injected faults: lost answers, throttling, 5xx, failed jobs, deadlines, adoption, read quirks.
 */
import type { Emulator } from "../emulator";
import { dcsDemoIds } from "../emulator";
import { setLogSink } from "../provider/common/log";
import { validOnlineInputs } from "../provider/huaweicloud/dcs/fixtures";
import * as impl from "../provider/huaweicloud/dcs/impl";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { DcsClient } from "../sdk/huawei/dcs/client";
import { emulatorForTests } from "./helpers";

let emulator: Emulator;
let client: DcsClient;
const logs: string[] = [];
const errors: unknown[] = [];

const inputs = async (over: Record<string, unknown> = {}) =>
  (await impl.check({}, { ...validOnlineInputs, ...over })).inputs as Record<string, unknown>;
const attempt = async <T>(p: Promise<T>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => {
      errors.push(e);
      return e;
    },
  );
const listed = async () => {
  const ids: string[] = [];
  for await (const t of client.listTasks()) ids.push(t.task_id);
  return ids;
};

beforeAll(async () => {
  emulator = await emulatorForTests();
  client = new DcsClient(new HuaweiClient("dcs", resolveHuaweiSettings({ env: emulator.env() })));
  setLogSink((m) => logs.push(m));
});
afterAll(async () => {
  // No password in any log line or error message of this file.
  const text = logs.join("\n") + errors.map((e) => String((e as Error)?.message ?? e)).join("\n");
  for (const p of Object.values(dcsDemoIds.passwords)) expect(text).not.toContain(p);
  await emulator?.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearFaults();
  emulator.clearRequests();
});

describe("create", () => {
  test("a lost create answer is recovered by name: exactly one task", async () => {
    emulator.injectFault({ kind: "drop-after", service: "dcs", operation: "CreateOnlineMigrationTask" });
    const res = await impl.create(await inputs());
    expect(await listed()).toEqual([res.id]);
    expect(res.outs.status).toBe("INCRMIGEATING");
    expect(logs.join("\n")).toMatch(/lost its answer; found it/);
  });

  test("throttled configure and a 500 on the detail call are retried", async () => {
    emulator.injectFault({ kind: "throttle", service: "dcs", operation: "SetOnlineMigrationTask", count: 2 });
    emulator.injectFault({ kind: "error5xx", service: "dcs", operation: "ShowMigrationTask", status: 500 });
    const res = await impl.create(await inputs());
    expect(res.outs.status).toBe("INCRMIGEATING");
    const sets = emulator.requests().filter((r) => r.operation === "SetOnlineMigrationTask");
    expect(sets.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  test("a failed ECS job is a partial failure: the task id is kept, the passwords are not", async () => {
    const e = (await attempt(
      impl.create(await inputs({ network: { vpcId: "no-such-vpc", subnetId: "s", securityGroupId: "g" } })),
    )) as Error & { id?: string; properties?: Record<string, unknown> };
    expect(e.message).toMatch(/could not be created: VPC no-such-vpc does not exist/);
    expect(e.id).toBeTruthy();
    // The engine shows the reasons, not the message: the one reason is the whole message,
    // which names the task that was kept.
    expect((e as { reasons?: string[] }).reasons).toEqual([e.message]);
    expect(e.message).toContain(`task ${e.id} was created but did not reach its declared state`);
    expect(e.properties?.taskId).toBe(e.id);
    expect(e.properties).not.toHaveProperty("sourcePassword");
    expect(e.properties).not.toHaveProperty("targetPassword");
    // The recorded task can be destroyed.
    await impl.deleteTask(e.id as string, e.properties ?? {});
    expect(await listed()).toEqual([]);
  });

  test("a wrong password fails with the cloud's message, never the password", async () => {
    const e = (await attempt(impl.create(await inputs({ sourcePassword: "Wrong-Passw0rd-123" })))) as Error;
    expect(e.message).toMatch(/MIGRATION_FAILED.*WRONGPASS/);
    expect(e.message).not.toContain("Wrong-Passw0rd-123");
    expect(logs.join("\n")).not.toContain("Wrong-Passw0rd-123");
  });

  test("the create deadline comes from the timeouts input", async () => {
    emulator.configure({ dcs: { durations: { fullMigration: 36_000 } } });
    try {
      const e = (await attempt(impl.create(await inputs({ timeouts: { create: "1s" } })))) as Error;
      expect(e.message).toMatch(/timed out after 1s .*FULLMIGRATING.*timeouts/);
    } finally {
      emulator.configure({ dcs: { durations: { fullMigration: 30 } } });
    }
  });

  test("progress lines report the full-migration percentage", async () => {
    emulator.configure({ dcs: { durations: { fullMigration: 600 } } });
    try {
      logs.length = 0;
      await impl.create(await inputs());
      expect(logs.some((l) => /full migration \d+%/.test(l))).toBe(true);
    } finally {
      emulator.configure({ dcs: { durations: { fullMigration: 30 } } });
    }
  });
});

describe("adopt, read and delete", () => {
  test("adoption by id takes over an existing task; a different name is refused", async () => {
    const first = await impl.create(await inputs());
    emulator.clearRequests();
    const adopted = await impl.create(await inputs({ adoptTaskId: first.id }));
    expect(adopted.id).toBe(first.id);
    expect(emulator.requests().map((r) => r.operation)).not.toContain("CreateOnlineMigrationTask");
    const e = (await attempt(
      impl.create(await inputs({ adoptTaskId: first.id, name: "another-name" })),
    )) as Error;
    expect(e.message).toMatch(/adoptTaskId: .* name is sessions-to-dcs, declared another-name/);
    const missing = (await attempt(impl.create(await inputs({ adoptTaskId: "nope" })))) as Error;
    expect(missing.message).toMatch(/does not exist/);
  });

  test("read: absent from the list means gone even while the detail answers; DCS.4133 means gone", async () => {
    const res = await impl.create(await inputs());
    const read = await impl.read(res.id, res.outs);
    expect(read.id).toBe(res.id);
    expect(read.props?.sourcePassword).toBe(dcsDemoIds.passwords.selfBuilt);
    await client.stopTask(res.id);
    emulator.advance(10);
    await client.deleteTasks([res.id]);
    expect((await client.showTask(res.id)).status).toBe("SUCCESS");
    expect((await impl.read(res.id, res.outs)).id).toBe("");
    expect((await impl.read("no-such-task", res.outs)).id).toBe("");
  });

  test("delete of a task already gone succeeds; a 503 during delete is retried", async () => {
    const res = await impl.create(await inputs());
    emulator.injectFault({ kind: "error5xx", service: "dcs", operation: "DeleteMigrationTask", status: 503 });
    await impl.deleteTask(res.id, res.outs);
    expect(await listed()).toEqual([]);
    await impl.deleteTask(res.id, res.outs);
  });
});

describe("actions whose answer was lost are not sent again blindly", () => {
  const sent = (operation: string) => emulator.requests().filter((r) => r.operation === operation);

  test.each(["drop-after", "error5xx"] as const)(
    "configure (%s): the first create succeeds and configures the task once",
    async (kind) => {
      // drop-after: configure took effect, its answer was lost; error5xx: it did not take effect.
      emulator.injectFault({
        kind,
        service: "dcs",
        operation: "SetOnlineMigrationTask",
        status: 503 as const,
      });
      const res = await impl.create(await inputs());
      expect(res.outs.status).toBe("INCRMIGEATING");
      const applied = sent("SetOnlineMigrationTask").filter(
        (r) => r.status === 200 || r.fault === "drop-after",
      );
      expect(applied).toHaveLength(1);
      expect(sent("SetOnlineMigrationTask").filter((r) => r.errorCode === "DCS.4026")).toEqual([]);
    },
  );

  test("stop (drop-after): the update to stopped succeeds without a refused second stop", async () => {
    const res = await impl.create(await inputs());
    emulator.injectFault({ kind: "drop-after", service: "dcs", operation: "StopMigrationTask" });
    const olds = res.outs as Record<string, unknown>;
    const upd = await impl.update(res.id, olds, await inputs({ state: "stopped" }));
    expect(upd.outs.status).toBe("TERMINATED");
    expect(sent("StopMigrationTask").filter((r) => r.errorCode === "DCS.4026")).toEqual([]);
  });

  test("stop before delete (drop-after): destroy succeeds and the task is gone", async () => {
    const res = await impl.create(await inputs());
    emulator.injectFault({ kind: "drop-after", service: "dcs", operation: "StopMigrationTask" });
    await impl.deleteTask(res.id, res.outs);
    expect(await listed()).toEqual([]);
  });

  test("an IP exchange whose answer was lost is not refused on a resend", async () => {
    const res = await impl.create(await inputs());
    emulator.injectFault({ kind: "drop-after", service: "dcs", operation: "ExchangeInstanceIp" });
    const upd = await impl.update(
      res.id,
      res.outs,
      await inputs({ ipSwitch: { exchanged: true, ips: ["192.168.0.200", "192.168.0.153"] } }),
    );
    expect(upd.outs.ipSwitchStatus).toBe("EXCHANGE_SUCCESS");
  });
});
