/**
 * An endpoint that accepts the connection and never answers: the read timeout comes from config,
 * and the error names the operation that timed out; for a create, what the lookup found.
 */
import * as net from "node:net";
import type { Emulator } from "../emulator";
import { emulatorDefaults, mseDemoIds, startEmulator } from "../emulator";
import * as mseImpl from "../provider/alicloud/mse/impl";
import { setLogSink } from "../provider/common/log";
import { setTransport } from "../provider/common/transport";
import { resolveAlicloudSettings } from "../sdk/alibaba/credentials";
import { MseClient } from "../sdk/alibaba/mse/client";
import { CloudError } from "../sdk/core/errors";
import type { HttpSender } from "../sdk/core/http";
import { axiosSender } from "../sdk/core/http";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { SmsClient } from "../sdk/huawei/sms/client";

let emu: Emulator;
let hung: net.Server;
let hungUrl: string;
let connections = 0;
const sockets = new Set<net.Socket>();
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  hung = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
  hungUrl = `http://127.0.0.1:${(hung.address() as net.AddressInfo).port}`;
  setLogSink(() => undefined);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => hung.close(() => r()));
  await emu.close();
  process.env = saved;
});
beforeEach(() => {
  connections = 0;
  setTransport({});
});

async function failure(p: Promise<unknown>): Promise<CloudError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!CloudError.isInstance(e)) throw new Error(`expected a CloudError, got ${String(e)}`);
  return e;
}

const retry = { maxAttempts: 2, maxElapsedMs: 60_000, baseDelayMs: 1, maxDelayMs: 1 };

/** Sends AddMigrationTask to the silent endpoint and every other call to the emulator. */
const silentAdd: HttpSender = (req, timeoutMs, connectTimeoutMs) =>
  req.url.includes("AddMigrationTask") || req.headers["x-acs-action"] === "AddMigrationTask"
    ? axiosSender({ ...req, url: req.url.replace(emu.url, hungUrl) }, timeoutMs, connectTimeoutMs)
    : axiosSender(req, timeoutMs, connectTimeoutMs);

const mseInputs = {
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "silent-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  targetInstanceId: mseDemoIds.instances.ordersNacos,
};

test("an MSE create whose answer never comes names AddMigrationTask, the read timeout from config, and what the lookup found", async () => {
  Object.assign(process.env, emu.env(), { MIGRATION_TASKS_READ_TIMEOUT_MS: "150" });
  setTransport({ sender: silentAdd });
  const checked = await mseImpl.check({}, mseInputs);
  const e = await failure(mseImpl.create(checked.inputs ?? mseInputs));
  expect(e.operation).toBe("AddMigrationTask");
  expect(e.message).toContain("AddMigrationTask failed");
  expect(e.message).toContain("read timeout of 150 ms");
  expect(e.message).toContain("the lookup by ListMigrationTask found no task created by it");
  process.env = { ...saved };
});

test("an MSE create against an endpoint that never answers fails on its first call, naming it, and creates nothing", async () => {
  Object.assign(process.env, emu.env(), {
    MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT: hungUrl,
    MIGRATION_TASKS_READ_TIMEOUT_MS: "150",
  });
  const checked = await mseImpl.check({}, mseInputs);
  const e = await failure(mseImpl.create(checked.inputs ?? mseInputs));
  // The first call is the look-up for a task an interrupted create may have left.
  expect(e.operation).toBe("ListMigrationTask");
  expect(e.message).toContain("read timeout of 150 ms");
  // Its own bounded attempts, and no AddMigrationTask after them.
  expect(connections).toBeGreaterThanOrEqual(1);
  expect(connections).toBeLessThanOrEqual(6);
  process.env = { ...saved };
});

test("an SMS create whose answer never comes and whose lookup finds nothing says so, naming CreateTask", async () => {
  const settings = resolveHuaweiSettings({ env: emu.env(), homeDir: "/nonexistent" });
  // CreateTask goes to the silent endpoint; every other call reaches the emulator.
  const sender: HttpSender = (req, timeoutMs, connectTimeoutMs) =>
    req.method === "POST" && new URL(req.url).pathname === "/v3/tasks"
      ? axiosSender({ ...req, url: req.url.replace(emu.url, hungUrl) }, timeoutMs, connectTimeoutMs)
      : axiosSender(req, timeoutMs, connectTimeoutMs);
  const c = new SmsClient(new HuaweiClient("sms", settings, { sender, timeoutMs: 150, retry }));
  const e = await failure(
    c.createTask({
      name: "silent-task",
      type: "MIGRATE_BLOCK",
      os_type: "LINUX",
      source_server: { id: "a1b2c3d4-0001-4000-8000-000000000001" },
      target_server: { name: "t", vm_id: "" },
      region_name: "cn-north-4",
      region_id: "cn-north-4",
      project_name: "cn-north-4",
      project_id: emulatorDefaults.projectId,
    } as Parameters<SmsClient["createTask"]>[0]),
  );
  expect(e.operation).toBe("CreateTask");
  expect(e.message).toContain("read timeout of 150 ms");
  expect(e.message).toContain("the lookup by ListTasks found no task created by it");
  expect(e.attempts).toBe(2);
  expect(connections).toBe(2);
});

test("MSE through a client: the lookup after a lost create found nothing, and the error says so", async () => {
  const settings = resolveAlicloudSettings({ env: emu.env(), homeDir: "/nonexistent" });
  const sender: HttpSender = (req, timeoutMs, connectTimeoutMs) =>
    req.url.includes("AddMigrationTask") || req.headers["x-acs-action"] === "AddMigrationTask"
      ? axiosSender({ ...req, url: req.url.replace(emu.url, hungUrl) }, timeoutMs, connectTimeoutMs)
      : axiosSender(req, timeoutMs, connectTimeoutMs);
  const c = MseClient.fromSettings(settings, { sender, timeoutMs: 150, retry });
  const e = await failure(
    c.addMigrationTask({ OriginInstanceName: "nobody-nacos", ClusterType: "Nacos-Ans" }),
  );
  expect(e.operation).toBe("AddMigrationTask");
  expect(e.message).toContain("the lookup by ListMigrationTask found no task created by it");
  expect(e.attempts).toBe(2);
  expect(connections).toBe(2);
});
