/**
 * The `migration-tasks` provider plugin over its gRPC protocol, started as the engine starts it
 * (`run-plugin <package folder>`), against the emulator: start-up and schema, provider config
 * and its precedence, secrets, `customTimeouts`, and `pulumi import` (Read with an id and no
 * state, then the engine's Check and Diff, which must find nothing to change).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { dcsDemoIds, emulatorDefaults, mseDemoIds, smsDemoIds } from "../emulator";
import { containsPlaintext, isSecret, secret, unwrapSecret } from "../harness/secrets";
import type { PropertyMap } from "../harness/secrets";
import { packageSchema } from "../plugin/schema";
import { emulatorForTests, repoRoot, requireBuild, writes } from "./helpers";
import { PluginCallError, PluginClient, urnOf } from "./plugin-client";

const SMS = urnOf("migration-tasks:huaweicloud/sms:MigrationTask", "web-01");
const DCS = urnOf("migration-tasks:huaweicloud/dcs:MigrationTask", "sessions");
const MSE = urnOf("migration-tasks:alicloud/mse:MigrationTask", "registry");
const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  version: string;
};

let emulator: Emulator;
let home: string;
/** The plugin's environment: the emulator's, a fast poll, and an empty home (no profile files). */
let env: Record<string, string>;

beforeAll(async () => {
  requireBuild();
  // Replication takes a minute of wall time, so a cutover cannot finish within a short timeout.
  emulator = await emulatorForTests({ durations: { replication: 36_000 } });
  home = fs.mkdtempSync(path.join(os.tmpdir(), "mt-plugin-home-"));
  env = { ...emulator.env(), MIGRATION_TASKS_POLL_MS: "20", HOME: home };
});

afterAll(async () => {
  await emulator?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const smsInputs = (over: PropertyMap = {}): PropertyMap => ({
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

const dcsInputs = (over: PropertyMap = {}): PropertyMap => ({
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
  source: { address: dcsDemoIds.selfBuiltAddress },
  sourcePassword: secret(dcsDemoIds.passwords.selfBuilt),
  target: { instanceId: dcsDemoIds.instances.target },
  targetPassword: secret(dcsDemoIds.passwords.target),
  state: "running",
  ...over,
});

const mseInputs = (over: PropertyMap = {}): PropertyMap => ({
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "orders-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  originInstanceNamespaces: ["public", "orders"],
  targetInstanceId: mseDemoIds.instances.ordersNacos,
  syncType: "All",
  ...over,
});

/** Check then Create, as the engine runs a new resource. */
async function checkAndCreate(p: PluginClient, urn: string, news: PropertyMap, timeout = 0) {
  const checked = await p.check(urn, {}, news);
  expect(checked.failures).toEqual([]);
  const created = await p.create(urn, checked.inputs, timeout);
  return { ...created, inputs: checked.inputs };
}

/** `pulumi import <type> <name> <id>`: Read with no state, then Check and Diff of what it read. */
async function importTask(p: PluginClient, urn: string, id: string) {
  const read = await p.read(urn, id, {});
  const checked = await p.check(urn, {}, read.inputs);
  const diff = await p.diff(urn, id, read.outs, checked.inputs);
  return { read, checked, diff };
}

const secretKeys = (m: PropertyMap) =>
  Object.keys(m)
    .filter((k) => isSecret(m[k]))
    .sort();

describe("starting the plugin", () => {
  let p: PluginClient;
  beforeAll(async () => {
    p = await PluginClient.start(env);
  });
  afterAll(() => p?.close());

  it("prints its port as the first line of output and answers as migration-tasks", async () => {
    expect(p.portLine).toMatch(/^\d+$/);
    expect(await p.pluginVersion()).toBe(version);
    expect(await p.schema()).toEqual(JSON.parse(JSON.stringify(packageSchema())));
    const hs = await p.handshake();
    expect(hs.getAcceptSecrets()).toBe(true);
  });

  it("leaves the library alone: requiring the package from a program starts nothing", () => {
    const r = spawnSync(
      process.execPath,
      ["-e", `const m = require(${JSON.stringify(repoRoot)}); console.log(Object.keys(m).join(","))`],
      { encoding: "utf8", timeout: 30_000 },
    );
    expect([r.status, r.stdout]).toEqual([0, "huaweicloud,alicloud,gitops,CloudError\n"]);
  });
});

describe("provider configuration", () => {
  let p: PluginClient;
  let taskId: string;
  const wrong = { HW_ACCESS_KEY: "HPUAWRONGKEY00000001", HW_SECRET_KEY: "wrongSecretKey" };

  beforeAll(async () => {
    const setup = await PluginClient.start(env);
    try {
      const db01 = {
        name: "db-01-to-ecs",
        sourceServerId: smsDemoIds.sources.db01,
        target: { vmId: smsDemoIds.targets.ecsDb01 },
        state: "ready",
      };
      taskId = (await checkAndCreate(setup, SMS, smsInputs(db01))).id;
    } finally {
      await setup.close();
    }
    // The environment holds a key the cloud refuses and a dead SMS endpoint.
    p = await PluginClient.start({
      ...env,
      ...wrong,
      MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT: "http://127.0.0.1:9",
    });
  });
  afterAll(() => p?.close());

  it("checks the keys and keeps the secret ones secret", async () => {
    const r = await p.checkConfig({
      huaweicloudAccessKey: "AK",
      huaweicloudRegion: "cn-north-4",
      colour: "blue",
    });
    expect(r.failures).toEqual([
      expect.stringMatching(/^colour: unknown configuration key migration-tasks:colour/),
    ]);
    expect(r.inputs.huaweicloudAccessKey).toEqual(secret("AK"));
    expect(r.inputs.huaweicloudRegion).toBe("cn-north-4");
  });

  it("wins over the environment: credentials and the endpoint override", async () => {
    await p.configure({
      huaweicloudAccessKey: secret(emulatorDefaults.accessKey),
      huaweicloudSecretKey: secret(emulatorDefaults.secretKey),
      huaweicloudSmsEndpoint: emulator.url,
    });
    const r = await p.read(SMS, taskId, {});
    expect(r.id).toBe(taskId);
  });

  it("loses to a resource's own credentials", async () => {
    const err = await p
      .read(SMS, taskId, {
        ...smsInputs(),
        credentials: secret({ accessKey: wrong.HW_ACCESS_KEY, secretKey: "x" }),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginCallError);
    expect((err as PluginCallError).details).toMatch(/401|APIGW/);
    expect((err as PluginCallError).details).not.toContain("wrongSecretKey");
  });

  it("falls back to the environment when not set", async () => {
    const q = await PluginClient.start({ ...env, ...wrong });
    try {
      await q.configure({});
      const err = await q.read(SMS, taskId, {}).catch((e: unknown) => e);
      expect((err as PluginCallError).details).toMatch(/401|APIGW/);
    } finally {
      await q.close();
    }
  });
});

describe("resources over the protocol", () => {
  let p: PluginClient;
  beforeAll(async () => {
    p = await PluginClient.start(env);
    await p.configure({});
  });
  afterAll(() => p?.close());

  it("refuses bad inputs at check time, naming the field and the rule", async () => {
    const r = await p.check(SMS, {}, smsInputs({ speedLimitMbps: -1 }));
    expect(r.failures).toEqual([expect.stringMatching(/^speedLimitMbps: /)]);
  });

  describe("huaweicloud/sms", () => {
    let id: string;
    let outs: PropertyMap;
    let inputs: PropertyMap;
    const creds = { accessKey: emulatorDefaults.accessKey, secretKey: emulatorDefaults.secretKey };

    it("creates the task with secret outputs wrapped, and no plaintext secret in the outputs or logs", async () => {
      const c = await checkAndCreate(p, SMS, smsInputs({ credentials: secret(creds) }));
      ({ id, outs, inputs } = c);
      expect(isSecret(c.inputs.credentials)).toBe(true);
      expect(secretKeys(outs)).toEqual(["credentials", "passphrase"]);
      expect(outs.status).toBe("RUNNING");
      expect(outs.speedLimitMbps).toBe(100);
      const passphrase = unwrapSecret(outs.passphrase) as string;
      expect(passphrase.length).toBeGreaterThan(0);
      for (const s of [passphrase, emulatorDefaults.secretKey]) {
        expect(containsPlaintext(outs, s)).toBe(false);
        expect(p.logs.join("\n")).not.toContain(s);
      }
    });

    it("diffs nothing and calls nothing when unchanged, then updates in place", async () => {
      emulator.clearRequests();
      expect(await p.diff(SMS, id, outs, inputs)).toEqual({ changes: false, replaces: [] });
      expect(emulator.requests()).toEqual([]);
      const news = (await p.check(SMS, inputs, smsInputs({ credentials: secret(creds), speedLimitMbps: 40 })))
        .inputs;
      expect(await p.diff(SMS, id, outs, news)).toEqual({ changes: true, replaces: [] });
      outs = await p.update(SMS, id, outs, news);
      expect(writes(emulator).map((w) => `${w.method} ${w.path}`)).toEqual([`PUT /v3/tasks/${id}`]);
      expect(outs.speedLimitMbps).toBe(40);
      expect(secretKeys(outs)).toEqual(["credentials", "passphrase"]);
    });

    it("keeps an input the program marked secret secret in the outputs", async () => {
      const r = await p.read(SMS, id, { ...outs, name: secret(outs.name) });
      expect(isSecret(r.outs.name)).toBe(true);
    });

    it("imports the task by id: Read returns its inputs, and the engine's Check and Diff find no change", async () => {
      const { read, checked, diff } = await importTask(p, SMS, id);
      expect(read.id).toBe(id);
      expect(read.inputs).toMatchObject({
        name: "web-01-to-ecs",
        type: "MIGRATE_BLOCK",
        sourceServerId: smsDemoIds.sources.web01,
        speedLimitMbps: 40,
        state: "running",
      });
      expect(checked.failures).toEqual([]);
      expect(diff).toEqual({ changes: false, replaces: [] });
      expect(isSecret(read.outs.passphrase)).toBe(true);
    });

    it("deletes the task", async () => {
      await p.delete(SMS, id, outs, 600);
      expect((await p.read(SMS, id, outs)).id).toBe("");
    });
  });

  describe("huaweicloud/dcs", () => {
    it("creates with the passwords secret in and out, and imports by id without a change", async () => {
      const c = await checkAndCreate(p, DCS, dcsInputs());
      expect(secretKeys(c.inputs)).toEqual(["sourcePassword", "targetPassword"]);
      expect(secretKeys(c.outs)).toEqual(["sourcePassword", "targetPassword"]);
      for (const pw of [dcsDemoIds.passwords.selfBuilt, dcsDemoIds.passwords.target]) {
        expect(containsPlaintext(c.outs, pw)).toBe(false);
        expect(p.logs.join("\n")).not.toContain(pw);
      }
      const { read, checked, diff } = await importTask(p, DCS, c.id);
      expect(read.inputs).toMatchObject({
        kind: "online",
        name: "sessions-to-dcs",
        region: "cn-north-4",
        projectId: emulatorDefaults.projectId,
        state: "running",
      });
      expect(checked.failures).toEqual([]);
      expect(diff).toEqual({ changes: false, replaces: [] });
      await p.delete(DCS, c.id, c.outs, 600);
    });
  });

  describe("alicloud/mse", () => {
    it("creates, and imports by id without a change", async () => {
      const c = await checkAndCreate(p, MSE, mseInputs());
      expect(c.outs.taskId).toBe(c.id);
      const { read, checked, diff } = await importTask(p, MSE, c.id);
      expect(checked.failures).toEqual([]);
      expect(read.inputs.region).toBe("cn-hangzhou");
      expect(read.inputs).toMatchObject({
        originInstanceName: "orders-nacos",
        targetInstanceId: mseDemoIds.instances.ordersNacos,
      });
      expect(diff).toEqual({ changes: false, replaces: [] });
      await p.delete(MSE, c.id, c.outs);
    });
  });
});

describe("customTimeouts", () => {
  let p: PluginClient;
  beforeAll(async () => {
    p = await PluginClient.start(env);
    await p.configure({});
  });
  afterAll(() => p?.close());

  it("bounds the create's wait by the engine's timeout, and keeps the task in state", async () => {
    const err = await checkAndCreate(
      p,
      SMS,
      smsInputs({
        sourceServerId: smsDemoIds.sources.web02,
        target: { vmId: smsDemoIds.targets.ecsWeb02 },
        name: "web-02-to-ecs",
        state: "cutover",
      }),
      1,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginCallError);
    const e = err as PluginCallError;
    expect(e.details).toContain("timed out after 1s");
    expect(e.initFailure?.id).toMatch(/.+/);
    // The engine's timeout is not an input: it must not show as drift on the next update.
    expect(e.initFailure?.properties.timeouts).toBeUndefined();
    // The declared timeout (60m) would have let the same wait run on.
    const outs = (await p.read(SMS, e.initFailure!.id, e.initFailure!.properties)).outs;
    expect(outs.status).toBe("RUNNING");

    const err2 = await p
      .update(SMS, e.initFailure!.id, outs, { ...outs, state: "cutover", timeouts: { update: "2h" } }, 1)
      .catch((x: unknown) => x);
    expect((err2 as PluginCallError).details).toContain("timed out after 1s");
    await p.delete(SMS, e.initFailure!.id, outs, 600);
  });
});
