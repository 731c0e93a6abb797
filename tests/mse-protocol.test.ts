/**
 * alicloud.mse.MigrationTask through the real @pulumi/pulumi dynamic-provider process, driven
 * over gRPC as `pulumi up` drives it, against the emulator.
 */
import type { Emulator } from "../emulator";
import { alicloudDefaults, MSE_DEFAULT_PAGE_SIZE, MSE_MAX_PAGE_SIZE, mseDemoIds } from "../emulator";
import { containsPlaintext, isSecret, MiniEngine, unwrapSecret } from "../harness";
import type { ResourceState } from "../harness";
import { alicloud } from "../index";
import { resolveAlicloudSettings } from "../sdk/alibaba/credentials";
import { MseClient } from "../sdk/alibaba/mse/client";
import { emulatorForTests, repoRoot, requireBuild } from "./helpers";

type Args = alicloud.mse.MigrationTaskArgs;

const base = (over: Partial<Args> = {}): Args => ({
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "orders-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  originInstanceNamespaces: ["public", "orders"],
  targetInstanceId: mseDemoIds.instances.ordersNacos,
  targetClusterName: "orders",
  targetClusterUrl: "mse-66xxxxx-nacos-ans.mse.aliyuncs.com:8848",
  syncType: "All",
  description: "orders registry into MSE",
  ...over,
});

let emulator: Emulator;
let engine: MiniEngine;
let client: MseClient;

const program = (args: Args) => () => {
  const task = new alicloud.mse.MigrationTask("orders-registry", args);
  return { taskId: task.taskId };
};
const task = (): ResourceState => {
  const t = engine.find("orders-registry");
  if (!t) throw new Error("orders-registry is not in state");
  return t;
};
const ops = (steps: { op: string; name: string }[]) => steps.map((s) => `${s.op} ${s.name}`);
/** MSE calls that change something: every call is a POST, so reads are told apart by name. */
const mseWrites = () =>
  emulator
    .requests()
    .filter((r) => r.service === "mse" && r.operation !== "ListMigrationTask")
    .map((r) => r.operation);
const cloudTask = (id: string) => client.findMigrationTask(id);

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
  client = MseClient.fromSettings(resolveAlicloudSettings({ env: emulator.env(), homeDir: "/nonexistent" }));
  engine = new MiniEngine({ projectDir: repoRoot, project: "protocol-mse", stack: "test" });
});

afterAll(async () => {
  await engine?.close();
  await emulator?.close();
});

beforeEach(() => emulator.clearRequests());

describe("alicloud.mse.MigrationTask over the provider protocol", () => {
  it("previews without calling the cloud, and fails bad inputs at preview", async () => {
    const summary = await engine.up(program(base()), { preview: true });
    expect(ops(summary.steps)).toEqual(["preview-create orders-registry"]);
    await expect(
      engine.up(program(base({ clusterType: "Eureka", originInstanceAddress: "nacos.local" })), {
        preview: true,
      }),
    ).rejects.toThrow(/originInstanceAddress|originInstanceNamespaces/);
    expect(emulator.requests()).toEqual([]);
  });

  it("creates the task with AddMigrationTask and reports its id", async () => {
    const summary = await engine.up(program(base()));
    expect(ops(summary.steps)).toEqual(["create orders-registry"]);
    const t = task();
    expect(summary.outputs.taskId).toBe(t.id);
    expect(mseWrites()).toEqual(["AddMigrationTask"]);
    const cloud = await cloudTask(t.id);
    expect(cloud).toMatchObject({
      OriginInstanceName: "orders-nacos",
      OriginInstanceNamespace: "orders,public",
      TargetInstanceId: mseDemoIds.instances.ordersNacos,
      SyncType: "All",
      ProjectDesc: "orders registry into MSE",
    });
    expect(t.outputs.userId).toBe(alicloudDefaults.userId);
  });

  it("makes no call on an up without changes, namespaces in another order included", async () => {
    const summary = await engine.up(program(base({ originInstanceNamespaces: ["orders", "public"] })));
    expect(ops(summary.steps)).toEqual(["same orders-registry"]);
    expect(emulator.requests()).toEqual([]);
  });

  it("updates every changed field in place with one UpdateMigrationTask", async () => {
    const id = task().id;
    const summary = await engine.up(
      program(
        base({
          originInstanceNamespaces: ["public", "orders", "payments"],
          syncType: "Service",
          originInstanceAddress: "192.168.1.2:8848",
          description: undefined,
        }),
      ),
    );
    expect(ops(summary.steps)).toEqual(["update orders-registry"]);
    expect(task().id).toBe(id);
    expect(mseWrites()).toEqual(["UpdateMigrationTask"]);
    const cloud = await cloudTask(id);
    expect(cloud?.OriginInstanceNamespace?.split(",").sort()).toEqual(["orders", "payments", "public"]);
    expect([cloud?.SyncType, cloud?.OriginInstanceAddress, cloud?.ProjectDesc]).toEqual([
      "Service",
      "192.168.1.2:8848",
      undefined,
    ]);
  });

  it("shows drift after a refresh, found by paging, and converges it on the next up", async () => {
    const id = task().id;
    // A page cap as low as the default page size makes these tasks span pages.
    emulator.configure({ mse: { pageSize: MSE_DEFAULT_PAGE_SIZE } });
    // More tasks than a page, several with the same source name, so the read must page.
    emulator.seed({
      mse: {
        tasks: Array.from({ length: MSE_DEFAULT_PAGE_SIZE * 2 }, (_, i) => ({
          clusterType: "Nacos-Ans" as const,
          originInstanceAddress: `10.0.0.${i + 1}:8848`,
          originInstanceName: i % 2 ? "orders-nacos" : `other-${i}`,
          targetInstanceId: mseDemoIds.instances.ordersNacos,
        })),
      },
    });
    emulator.forceState({
      service: "mse",
      kind: "task",
      id,
      fields: { targetClusterName: "renamed-by-hand", syncType: "Config" },
    });
    emulator.clearRequests();
    const refreshed = await engine.refresh();
    expect(ops(refreshed.steps)).toEqual(["refresh orders-registry"]);
    expect(refreshed.steps[0]).toMatchObject({ changed: true });
    expect([task().outputs.targetClusterName, task().outputs.syncType]).toEqual([
      "renamed-by-hand",
      "Config",
    ]);
    expect(emulator.requests().filter((r) => r.operation === "ListMigrationTask").length).toBeGreaterThan(1);
    emulator.configure({ mse: { pageSize: MSE_MAX_PAGE_SIZE } });
    emulator.clearRequests();
    const args = base({
      originInstanceNamespaces: ["public", "orders", "payments"],
      syncType: "Service",
      originInstanceAddress: "192.168.1.2:8848",
      description: undefined,
    });
    const summary = await engine.up(program(args));
    expect(ops(summary.steps)).toEqual(["update orders-registry"]);
    expect(mseWrites()).toEqual(["UpdateMigrationTask"]);
    expect((await cloudTask(id))?.TargetClusterName).toBe("orders");
    expect((await cloudTask(id))?.SyncType).toBe("Service");
  });

  it("finds a task whose source name was changed outside Pulumi", async () => {
    const id = task().id;
    emulator.forceState({ service: "mse", kind: "task", id, fields: { originInstanceName: "renamed-src" } });
    await engine.refresh();
    expect(task().id).toBe(id);
    expect(task().outputs.originInstanceName).toBe("renamed-src");
  });

  it("replaces the task when the region changes", async () => {
    const oldId = task().id;
    const summary = await engine.up(program(base({ region: "cn-shanghai" })));
    expect(summary.steps.map((s) => s.op)).toContain("replace");
    expect(task().id).not.toBe(oldId);
    expect(await cloudTask(oldId)).toBeUndefined();
    expect(mseWrites()).toEqual(["AddMigrationTask", "DeleteMigrationTask"]);
  });

  it("a task deleted outside Pulumi is dropped by refresh and recreated by up", async () => {
    const id = task().id;
    emulator.forceState({ service: "mse", kind: "task", id, delete: true });
    const refreshed = await engine.refresh();
    expect(ops(refreshed.steps)).toEqual(["refresh-delete orders-registry"]);
    expect(engine.find("orders-registry")).toBeUndefined();
    const summary = await engine.up(program(base()));
    expect(ops(summary.steps)).toEqual(["create orders-registry"]);
    expect(await cloudTask(task().id)).toBeDefined();
  });

  it("destroy deletes the task", async () => {
    const id = task().id;
    const summary = await engine.destroy();
    expect(ops(summary.steps)).toEqual(["delete orders-registry"]);
    expect(await cloudTask(id)).toBeUndefined();
    expect(mseWrites()).toEqual(["DeleteMigrationTask"]);
  });

  it("destroy of a task already gone succeeds; any other delete failure does not", async () => {
    await engine.up(program(base()));
    emulator.forceState({ service: "mse", kind: "task", id: task().id, delete: true });
    const gone = await engine.destroy();
    expect(ops(gone.steps)).toEqual(["delete orders-registry"]);
    await engine.up(program(base()));
    emulator.injectFault({
      kind: "error5xx",
      service: "mse",
      operation: "DeleteMigrationTask",
      count: 50,
      status: 500,
    });
    await expect(engine.destroy()).rejects.toThrow(/InternalError|500/);
    expect(engine.find("orders-registry")).toBeDefined();
    emulator.clearFaults();
    await engine.destroy();
  });

  it("adopts an existing task by id and updates it to the declared fields", async () => {
    const created = await client.addMigrationTask({
      ClusterType: "Nacos-Ans",
      OriginInstanceName: "orders-nacos",
      OriginInstanceAddress: "192.168.1.1:8848",
      TargetInstanceId: mseDemoIds.instances.ordersNacos,
      ProjectDesc: "made by hand",
    });
    emulator.clearRequests();
    const summary = await engine.up(program(base({ adoptTaskId: created.id })));
    expect(ops(summary.steps)).toEqual(["create orders-registry"]);
    expect(task().id).toBe(created.id);
    expect(mseWrites()).toEqual(["UpdateMigrationTask"]);
    expect((await cloudTask(created.id))?.ProjectDesc).toBe("orders registry into MSE");
    await engine.destroy();
    expect(await cloudTask(created.id)).toBeUndefined();
  });

  it("keeps resource-level credentials secret, in state and in logs", async () => {
    const secretKey = alicloudDefaults.accessKeySecret;
    await engine.up(program(base({ credentials: { accessKey: alicloudDefaults.accessKeyId, secretKey } })));
    const t = task();
    expect(isSecret(t.outputs.credentials)).toBe(true);
    expect((unwrapSecret(t.outputs.credentials) as { secretKey: string }).secretKey).toBe(secretKey);
    expect(containsPlaintext(engine.state, secretKey)).toBe(false);
    expect(engine.providerLogs().join("\n")).not.toContain(secretKey);
    await engine.destroy();
  });
});
