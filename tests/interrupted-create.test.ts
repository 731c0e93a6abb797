/**
 * A create whose provider process dies while it waits (a killed `pulumi up`): the engine keeps
 * no record of the task (a pending CREATE) and the next `up` calls check and create again with
 * the same inputs. That up must take over the task the first create made, say so, and neither
 * create a second one nor fail; a task that differs is never taken. Driven through the real
 * dynamic-provider process, killed with SIGKILL mid-wait.
 */
import type { Emulator } from "../emulator";
import { dcsDemoIds, emulatorDefaults, mseDemoIds, smsDemoIds } from "../emulator";
import type { PulumiProgram } from "../harness";
import { MiniEngine } from "../harness";
import { alicloud, huaweicloud } from "../index";
import { emulatorForTests, repoRoot, requireBuild } from "./helpers";

let emulator: Emulator;
let engine: MiniEngine;

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearFaults();
  engine = new MiniEngine({ projectDir: repoRoot, project: "interrupted", stack: "test" });
});
afterEach(async () => {
  await engine.close();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface CloudTask {
  id: string;
  name: string;
}
/** The tasks the emulator holds for a service (lifecycles settled to now). */
function cloudTasks(service: "sms" | "dcs" | "mse"): CloudTask[] {
  const services = emulator.state().services as Record<string, { tasks: Record<string, unknown>[] }>;
  // A deleted DCS task stays in the dump for a while (it keeps answering its detail call).
  return services[service].tasks
    .filter((t) => t.deleted !== true)
    .map((t) => ({
      id: String(t.id ?? t.task_id ?? t.Id),
      name: String(t.name ?? t.task_name ?? t.OriginInstanceName),
    }));
}

/**
 * Starts an up, kills the provider process once the cloud has the task (so the create is mid-wait
 * or mid-call), and checks the up failed with nothing recorded, as after `kill -9` of the CLI.
 */
async function killMidCreate(program: PulumiProgram, service: "sms" | "dcs" | "mse", name: string) {
  const up = engine.up(program).then(
    () => undefined,
    (e: unknown) => e,
  );
  for (let i = 0; i < 1500 && cloudTasks(service).length === 0; i++) await sleep(10);
  expect(cloudTasks(service)).toHaveLength(1);
  await engine.killProvider();
  expect(await up).toBeInstanceOf(Error);
  expect(engine.find(name)).toBeUndefined();
  return cloudTasks(service)[0];
}

const tookOver = (id: string) =>
  engine.providerLogs().some((l) => l.includes(`task ${id}`) && l.includes("taking it over"));

describe("SMS", () => {
  const args = (
    over: Partial<huaweicloud.sms.MigrationTaskArgs> = {},
  ): huaweicloud.sms.MigrationTaskArgs => ({
    name: "web-01-to-ecs",
    type: "MIGRATE_BLOCK",
    osType: "LINUX",
    sourceServerId: smsDemoIds.sources.web01,
    target: { vmId: smsDemoIds.targets.ecsWeb01 },
    region: emulatorDefaults.region,
    projectId: emulatorDefaults.projectId,
    state: "cutover",
    ...over,
  });
  const program = (a: huaweicloud.sms.MigrationTaskArgs) => () => {
    new huaweicloud.sms.MigrationTask("web-01", a);
  };

  test("the next up takes over the task, converges it, and destroy removes it", async () => {
    emulator.configure({ durations: { replication: 600 } });
    const first = await killMidCreate(program(args()), "sms", "web-01");
    await engine.up(program(args()));
    expect(engine.find("web-01")?.id).toBe(first.id);
    expect(engine.find("web-01")?.outputs.migrationCycle).toBe("cutovered");
    expect(cloudTasks("sms").map((t) => t.id)).toEqual([first.id]);
    expect(tookOver(first.id)).toBe(true);
    await engine.destroy();
    expect(cloudTasks("sms")).toEqual([]);
  });

  test("a task on the source server that differs (another name) is not taken over", async () => {
    emulator.configure({ durations: { replication: 600 } });
    const first = await killMidCreate(program(args()), "sms", "web-01");
    await expect(engine.up(program(args({ name: "web-01-renamed" })))).rejects.toThrow(/SMS\.2218/);
    expect(engine.find("web-01")).toBeUndefined();
    expect(cloudTasks("sms").map((t) => t.id)).toEqual([first.id]);
    expect(tookOver(first.id)).toBe(false);
  });
});

describe("DCS", () => {
  const NETWORK = {
    vpcId: dcsDemoIds.vpcId,
    subnetId: dcsDemoIds.subnetId,
    securityGroupId: dcsDemoIds.securityGroupId,
  };
  const args = (
    over: Partial<huaweicloud.dcs.MigrationTaskArgs> = {},
  ): huaweicloud.dcs.MigrationTaskArgs => ({
    kind: "online",
    name: "sessions-to-dcs",
    region: emulatorDefaults.region,
    projectId: emulatorDefaults.projectId,
    network: NETWORK,
    migrationMethod: "incremental_migration",
    source: { address: dcsDemoIds.selfBuiltAddress, password: dcsDemoIds.passwords.selfBuilt },
    target: { instanceId: dcsDemoIds.instances.target, password: dcsDemoIds.passwords.target },
    state: "running",
    ...over,
  });
  const program = (a: huaweicloud.dcs.MigrationTaskArgs) => () => {
    new huaweicloud.dcs.MigrationTask("sessions", a);
  };

  test("the next up takes over the task instead of migrating twice into one Redis", async () => {
    // The migration ECS takes a second to create: the provider is killed while it waits.
    emulator.configure({ dcs: { durations: { createEcs: 600 } } });
    const first = await killMidCreate(program(args()), "dcs", "sessions");
    await engine.up(program(args()));
    expect(engine.find("sessions")?.id).toBe(first.id);
    expect(engine.find("sessions")?.outputs.status).toBe("INCRMIGEATING");
    expect(cloudTasks("dcs").map((t) => t.id)).toEqual([first.id]);
    expect(tookOver(first.id)).toBe(true);
    await engine.destroy();
    expect(cloudTasks("dcs")).toEqual([]);
  });

  test("a task of that name in another network is not taken over", async () => {
    emulator.configure({ dcs: { durations: { createEcs: 600 } } });
    const first = await killMidCreate(program(args()), "dcs", "sessions");
    emulator.seed({
      dcs: {
        networks: [{ vpc_id: "vpc-other", subnet_ids: ["subnet-other"], security_group_ids: ["sg-other"] }],
      },
    });
    const other = args({
      network: { vpcId: "vpc-other", subnetId: "subnet-other", securityGroupId: "sg-other" },
    });
    await engine.up(program(other));
    const id = engine.find("sessions")?.id;
    expect(id).toBeDefined();
    expect(id).not.toBe(first.id);
    expect(tookOver(first.id)).toBe(false);
  });
});

describe("MSE", () => {
  const args = (over: Partial<alicloud.mse.MigrationTaskArgs> = {}): alicloud.mse.MigrationTaskArgs => ({
    region: "cn-hangzhou",
    clusterType: "Nacos-Ans",
    originInstanceName: "orders-nacos",
    originInstanceAddress: "192.168.1.1:8848",
    originInstanceNamespaces: ["public", "orders"],
    targetInstanceId: mseDemoIds.instances.ordersNacos,
    syncType: "All",
    ...over,
  });
  const program = (a: alicloud.mse.MigrationTaskArgs) => () => {
    new alicloud.mse.MigrationTask("orders-registry", a);
  };
  const ours = () => cloudTasks("mse").filter((t) => t.name === "orders-nacos");

  test("the next up takes over the task the killed create added, and updates what changed", async () => {
    const before = new Set(cloudTasks("mse").map((t) => t.id));
    // The answer is held back, so the process dies after the task was added but before create returns.
    emulator.injectFault({
      kind: "latency",
      service: "mse",
      operation: "AddMigrationTask",
      latencyMs: 5_000,
    });
    const up = engine.up(program(args())).then(
      () => undefined,
      (e: unknown) => e,
    );
    for (let i = 0; i < 1500 && ours().length === 0; i++) await sleep(10);
    await engine.killProvider();
    expect(await up).toBeInstanceOf(Error);
    const [first] = ours();
    expect(first && !before.has(first.id)).toBe(true);

    await engine.up(program(args({ description: "declared after the interruption" })));
    expect(engine.find("orders-registry")?.id).toBe(first.id);
    expect(ours().map((t) => t.id)).toEqual([first.id]);
    expect(tookOver(first.id)).toBe(true);
    await engine.destroy();
    expect(ours()).toEqual([]);
  });
});
