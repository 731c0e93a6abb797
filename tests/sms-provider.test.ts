/**
 * The implementation functions of `huaweicloud.sms.MigrationTask` (check, diff, create, read,
 * update, delete), called in process against the emulator on a free port, the way the
 * dynamic-provider process calls them for `pulumi up`, `refresh` and `destroy`.
 */
import * as path from "path";
import type { Emulator, RequestLogEntry } from "../emulator";
import { emulatorDefaults, smsDemoIds, startEmulator } from "../emulator";
import type { PropertyMap } from "../provider/common/values";
import { setLogSink } from "../provider/common/log";
import { setStackConfig } from "../provider/config";
import { check, create, deleteTask, diff, read, update } from "../provider/huaweicloud/sms/impl";
import { collect } from "../sdk/core/paginate";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { SmsClient } from "../sdk/huawei/sms/client";

const { sources, targets, templates } = smsDemoIds;
/** A profile file that does not exist, so the developer's own `~/.huaweicloud` never leaks in. */
const NO_PROFILE = path.join(__dirname, "fixtures", "no-such-huaweicloud-credentials");
/** Every variable from which the settings resolver could take a credential. */
const CREDENTIAL_VARS = [
  "HW_ACCESS_KEY",
  "HW_SECRET_KEY",
  "HW_SECURITY_TOKEN",
  "OS_ACCESS_KEY",
  "OS_SECRET_KEY",
  "HW_AUTH_TOKEN",
  "OS_AUTH_TOKEN",
  "HUAWEICLOUD_SDK_AK",
  "HUAWEICLOUD_SDK_SK",
  "HUAWEICLOUD_SDK_SECURITY_TOKEN",
];

/** Short lifecycles, except replication, which stays RUNNING unless a test shortens it. */
const DURATIONS = {
  replication: 3600,
  abort: 0.2,
  delete: 0.2,
  clone: 0.2,
  cutover: 0.2,
  consistencyCheck: 0.2,
  skip: 0.2,
  migrationTest: 0.2,
  clear: 0.2,
};

/** The error shape the dynamic-provider server turns into ErrorResourceInitFailed. */
interface InitFailure extends Error {
  id: string;
  properties: PropertyMap;
  reasons: string[];
}

let emu: Emulator;
let direct: SmsClient;
let savedEnv: Record<string, string | undefined>;
let restoreSink: (msg: string) => void;
const lines: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, timeScale: 1 });
  const env: Record<string, string> = {
    ...emu.env(),
    MIGRATION_TASKS_POLL_MS: "20",
    HUAWEICLOUD_SDK_CREDENTIALS_FILE: NO_PROFILE,
  };
  savedEnv = {};
  for (const k of [...Object.keys(env), ...CREDENTIAL_VARS]) savedEnv[k] = process.env[k];
  for (const k of CREDENTIAL_VARS) delete process.env[k];
  Object.assign(process.env, env);
  setStackConfig({});
  restoreSink = setLogSink((m) => lines.push(m));
  direct = new SmsClient(
    new HuaweiClient("sms", resolveHuaweiSettings({ env: emu.env(), homeDir: path.dirname(NO_PROFILE) })),
  );
});

afterAll(async () => {
  setLogSink(restoreSink);
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await emu.close();
});

beforeEach(() => {
  emu.clearFaults();
  emu.reset();
  emu.configure({ durations: DURATIONS });
  emu.clearRequests();
  lines.length = 0;
});

/** Declared inputs for demo source web-01 onto the demo ECS ecs-web-01, with overrides. */
function inputs(over: PropertyMap = {}): PropertyMap {
  return {
    name: "web-01-to-ecs",
    type: "MIGRATE_BLOCK",
    osType: "LINUX",
    sourceServerId: sources.web01,
    target: { vmId: targets.ecsWeb01 },
    region: emulatorDefaults.region,
    projectId: emulatorDefaults.projectId,
    state: "running",
    ...over,
  };
}

/** `check` as the engine calls it before create/update; fails the test on any failure. */
async function checked(over: PropertyMap = {}): Promise<PropertyMap> {
  const res = await check({}, inputs(over));
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as PropertyMap;
}

async function created(over: PropertyMap = {}): Promise<{ id: string; outs: PropertyMap }> {
  const res = await create(await checked(over));
  return { id: res.id, outs: res.outs as PropertyMap };
}

async function updated(id: string, olds: PropertyMap, over: PropertyMap): Promise<PropertyMap> {
  const res = await update(id, olds, await checked(over));
  return res.outs as PropertyMap;
}

function calls(operation: string): RequestLogEntry[] {
  return emu.requests().filter((r) => r.operation === operation);
}

async function tasksOn(sourceId: string): Promise<string[]> {
  return (await collect(direct.listTasks({ source_server_id: sourceId }))).map((t) => t.id);
}

/** Paths of every `undefined` inside a value (the gRPC Struct encoding rejects them). */
function undefinedPaths(v: unknown, at = "outs"): string[] {
  if (v === undefined) return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => undefinedPaths(x, `${at}[${i}]`));
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, x]) => undefinedPaths(x, `${at}.${k}`));
  }
  return [];
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error("expected a failure, but the call succeeded");
}

function asInitFailure(e: Error): InitFailure {
  const f = e as Partial<InitFailure>;
  expect(typeof f.id).toBe("string");
  expect(f.properties).toBeInstanceOf(Object);
  expect(Array.isArray(f.reasons)).toBe(true);
  return e as InitFailure;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe("create", () => {
  test('state "running": the task exists, is RUNNING, and the outputs describe it fully', async () => {
    const { id, outs } = await created();
    const t = await direct.showTask(id);
    expect(t.state).toBe("RUNNING");
    expect(t.name).toBe("web-01-to-ecs");
    expect(t.source_server?.id).toBe(sources.web01);
    expect(t.target_server?.vm_id).toBe(targets.ecsWeb01);

    expect(outs.taskId).toBe(id);
    expect(outs.status).toBe("RUNNING");
    expect(typeof outs.progress).toBe("number");
    expect(outs.progress as number).toBeGreaterThanOrEqual(0);
    expect(outs.progress as number).toBeLessThanOrEqual(100);
    const subTasks = outs.subTasks as { name: string; progress: number }[];
    expect(subTasks.length).toBeGreaterThan(0);
    for (const s of subTasks) {
      expect(typeof s.name).toBe("string");
      expect(typeof s.progress).toBe("number");
    }
    expect(["initialize", "replicate"]).toContain(outs.sourceServerState);
    expect(outs.passphrase).toBe(await direct.passphrase(id));
    expect(outs.createdAt).toMatch(ISO);
    expect(outs.startedAt).toMatch(ISO);
    expect(outs.target).toEqual({ vmId: targets.ecsWeb01 });
    expect(undefinedPaths(outs)).toEqual([]);

    // One task, created once and started once; the user saw it happen.
    expect(calls("CreateTask").map((r) => r.status)).toEqual([200]);
    expect(calls("UpdateTaskStatus").map((r) => r.status)).toEqual([200]);
    expect(await tasksOn(sources.web01)).toEqual([id]);
    expect(lines.some((l) => l.includes(id) && l.includes("created"))).toBe(true);
    expect(lines.some((l) => l.includes(id) && l.includes("start"))).toBe(true);
  });

  test('state "ready": created but not started', async () => {
    const { id, outs } = await created({ state: "ready" });
    expect((await direct.showTask(id)).state).toBe("READY");
    expect(outs.status).toBe("READY");
    expect(outs.startedAt).toBeUndefined();
    expect(calls("UpdateTaskStatus")).toEqual([]);
    expect(undefinedPaths(outs)).toEqual([]);
  });

  test("target { vmTemplateId }: SMS is asked to create the target from the template", async () => {
    const { id, outs } = await created({
      name: "web-02-from-template",
      sourceServerId: sources.web02,
      target: { vmTemplateId: templates.linux },
      state: "ready",
    });
    const t = await direct.showTask(id);
    expect(t.vm_template_id).toBe(templates.linux);
    expect(t.source_server?.id).toBe(sources.web02);
    expect(outs.target).toEqual({ vmTemplateId: templates.linux });
    expect(outs.status).toBe("READY");
  });
});

describe("diff", () => {
  test.each([
    ["running, existing ECS", {}],
    ["ready, existing ECS", { state: "ready" }],
    [
      "ready, from a template",
      { sourceServerId: sources.web02, target: { vmTemplateId: templates.linux }, state: "ready" },
    ],
    [
      "with schedules and settings",
      {
        speedLimitMbps: 100,
        speedLimits: [{ start: "00:00", end: "06:00", speedMbps: 300 }],
        configurations: [{ key: "EXCLUDE_MIGRATE_PATH", value: "/tmp" }],
      },
    ],
  ])("right after create (%s), the same inputs show no change", async (_what, over) => {
    const { id, outs } = await created(over);
    const d = await diff(id, outs, await checked(over));
    expect(d.changes).toBe(false);
    expect(d.replaces).toEqual([]);
    // And after a refresh, too.
    const r = await read(id, outs);
    expect((await diff(id, r.props as PropertyMap, await checked(over))).changes).toBe(false);
  });

  test("a declared enterpriseProjectId is applied at create, so the same inputs show no change", async () => {
    const over = { state: "ready", enterpriseProjectId: "ep-migration-team" };
    const { id, outs } = await created(over);
    expect((await direct.showTask(id)).enterprise_project_id).toBe("ep-migration-team");
    expect(outs.enterpriseProjectId).toBe("ep-migration-team");
    expect((await diff(id, outs, await checked(over))).changes).toBe(false);
  });

  test("a changed name is an update; a changed source server is a replacement", async () => {
    const { id, outs } = await created({ state: "ready" });
    const renamed = await diff(id, outs, await checked({ state: "ready", name: "other-name" }));
    expect(renamed.changes).toBe(true);
    expect(renamed.replaces).toEqual([]);
    const moved = await diff(id, outs, await checked({ state: "ready", sourceServerId: sources.web02 }));
    expect(moved.changes).toBe(true);
    expect(moved.replaces).toContain("sourceServerId");
  });
});

describe("update in place", () => {
  test("name and speedLimitMbps: one PUT reaches the cloud, no new task", async () => {
    const { id, outs } = await created();
    emu.clearRequests();
    const next = await updated(id, outs, { name: "web-01-renamed", speedLimitMbps: 80 });
    expect(calls("UpdateTask").map((r) => [r.method, r.status])).toEqual([["PUT", 200]]);
    expect(calls("CreateTask")).toEqual([]);
    const t = await direct.showTask(id);
    expect(t.name).toBe("web-01-renamed");
    expect(t.speed_limit).toBe(80);
    expect(next.name).toBe("web-01-renamed");
    expect(next.speedLimitMbps).toBe(80);
    expect(next.taskId).toBe(id);
    expect(await tasksOn(sources.web01)).toEqual([id]);
  });

  test("speedLimits and configurations are sent and read back", async () => {
    const { id, outs } = await created({ state: "ready" });
    emu.clearRequests();
    const over = {
      state: "ready",
      speedLimits: [
        { start: "18:00", end: "24:00", speedMbps: 500 },
        { start: "00:00", end: "08:00", speedMbps: 300, overSpeedThreshold: 10 },
      ],
      configurations: [{ key: "EXCLUDE_MIGRATE_PATH", value: "/tmp,/var/tmp" }],
    };
    const next = await updated(id, outs, over);
    expect(calls("UpdateSpeed").map((r) => r.status)).toEqual([200]);
    expect(calls("UploadSpecialConfigurationSetting").map((r) => r.status)).toEqual([200]);
    expect(calls("UpdateTask")).toEqual([]);
    const speed = await direct.getSpeedLimits(id);
    expect(speed).toHaveLength(2);
    expect(speed).toEqual(
      expect.arrayContaining([
        { start: "18:00", end: "24:00", speed: 500 },
        { start: "00:00", end: "08:00", speed: 300, over_speed_threshold: 10 },
      ]),
    );
    const configs = await direct.getConfigurations(id);
    expect(configs.map((c) => [c.config_key, c.config_value])).toEqual([
      ["EXCLUDE_MIGRATE_PATH", "/tmp,/var/tmp"],
    ]);
    expect((await diff(id, next, await checked(over))).changes).toBe(false);
  });
});

describe("lifecycle through update", () => {
  test("running → paused (ABORT) → running", async () => {
    const { id, outs } = await created();
    const paused = await updated(id, outs, { state: "paused" });
    expect(paused.status).toBe("ABORT");
    expect((await direct.showTask(id)).state).toBe("ABORT");
    expect(lines.some((l) => l.includes("stop"))).toBe(true);

    emu.clearRequests();
    const resumed = await updated(id, paused, { state: "running" });
    expect(resumed.status).toBe("RUNNING");
    expect((await direct.showTask(id)).state).toBe("RUNNING");
    expect(calls("UpdateTaskStatus").map((r) => r.status)).toEqual([200]);
  });

  test("running → cutover waits for replication, then cuts over", async () => {
    emu.configure({ durations: { replication: 1 } });
    const { id, outs } = await created();
    const done = await updated(id, outs, { state: "cutover" });
    expect(done.status).toBe("MIGRATE_SUCCESS");
    expect(done.migrationCycle).toBe("cutovered");
    expect(done.progress).toBe(100);
    const src = await direct.showServer(sources.web01);
    expect(src.migration_cycle).toBe("cutovered");
    expect(lines.some((l) => l.includes(id) && l.includes("cutover"))).toBe(true);
  });

  test("a failed task declared running shows a change, and update restarts it", async () => {
    const { id, outs } = await created();
    emu.forceState({ service: "sms", kind: "task", id, state: "MIGRATE_FAIL" });
    const refreshed = await read(id, outs);
    const props = refreshed.props as PropertyMap;
    expect(props.status).toBe("MIGRATE_FAIL");
    expect(typeof props.errorDetails).toBe("string");

    const d = await diff(id, props, await checked());
    expect(d.changes).toBe(true);
    expect(d.replaces).toEqual([]);

    emu.clearRequests();
    const next = await updated(id, props, {});
    expect(next.status).toBe("RUNNING");
    expect(next.errorDetails).toBeUndefined();
    expect((await direct.showTask(id)).state).toBe("RUNNING");
    expect(calls("UpdateTaskStatus").map((r) => r.status)).toEqual([200]);
    expect(lines.some((l) => l.includes("restart"))).toBe(true);
  });
});

describe("read", () => {
  test("drift made out of band shows in props and inputs", async () => {
    const { id, outs } = await created({ state: "ready", speedLimitMbps: 20 });
    await direct.updateTask(id, { name: "changed-by-hand", speed_limit: 7 });
    const r = await read(id, outs);
    expect(r.id).toBe(id);
    const props = r.props as PropertyMap;
    const ins = r.inputs as PropertyMap;
    expect(props.name).toBe("changed-by-hand");
    expect(props.speedLimitMbps).toBe(7);
    expect(ins.name).toBe("changed-by-hand");
    expect(ins.speedLimitMbps).toBe(7);
    // Observed values are outputs, not inputs.
    expect(ins.status).toBeUndefined();
    expect(undefinedPaths(props)).toEqual([]);
    // The next up sees the drift and would revert it.
    expect((await diff(id, props, await checked({ state: "ready", speedLimitMbps: 20 }))).changes).toBe(true);
  });

  test("a task deleted out of band reads as gone (blank id)", async () => {
    const { id, outs } = await created({ state: "ready" });
    emu.forceState({ service: "sms", kind: "task", id, delete: true });
    const r = await read(id, outs);
    expect(r.id).toBe("");
  });
});

describe("adoption (adoptTaskId)", () => {
  async function handMade(): Promise<string> {
    const res = await direct.createTask({
      name: "made-by-hand",
      type: "MIGRATE_BLOCK",
      os_type: "LINUX",
      source_server: { id: sources.web01 },
      target_server: { name: "ecs-web-01", vm_id: targets.ecsWeb01 },
      region_name: emulatorDefaults.region,
      region_id: emulatorDefaults.region,
      project_name: emulatorDefaults.region,
      project_id: emulatorDefaults.projectId,
      speed_limit: 10,
    });
    return res.id;
  }

  test("an existing task is taken over, not created again, and its mutable drift is fixed", async () => {
    const existing = await handMade();
    emu.clearRequests();
    const { id, outs } = await created({
      adoptTaskId: existing,
      name: "adopted-task",
      speedLimitMbps: 40,
      state: "ready",
    });
    expect(id).toBe(existing);
    expect(calls("CreateTask")).toEqual([]);
    expect(calls("UpdateTask").map((r) => r.status)).toEqual([200]);
    const t = await direct.showTask(existing);
    expect(t.name).toBe("adopted-task");
    expect(t.speed_limit).toBe(40);
    expect(outs.name).toBe("adopted-task");
    expect(outs.taskId).toBe(existing);
    expect(await tasksOn(sources.web01)).toEqual([existing]);
  });

  test("a task whose type differs cannot be adopted; the error names the field", async () => {
    const existing = await handMade();
    emu.clearRequests();
    const e = await rejection(create(await checked({ adoptTaskId: existing, type: "MIGRATE_FILE" })));
    expect(e.message).toContain("adoptTaskId");
    expect(e.message).toMatch(/\btype\b/);
    expect(e.message).toContain("MIGRATE_FILE");
    expect(calls("UpdateTask")).toEqual([]);
    expect(calls("UpdateTaskStatus")).toEqual([]);
    expect((await direct.showTask(existing)).name).toBe("made-by-hand");
  });
});

describe("delete", () => {
  test("a running task is stopped, deleted and gone", async () => {
    const { id, outs } = await created();
    emu.clearRequests();
    await deleteTask(id, outs);
    await expect(direct.findTask(id)).resolves.toBeUndefined();
    const ops = emu.requests().map((r) => r.operation);
    expect(ops).toContain("UpdateTaskStatus");
    expect(ops).toContain("DeleteTask");
    expect(ops.indexOf("UpdateTaskStatus")).toBeLessThan(ops.indexOf("DeleteTask"));
    expect(await tasksOn(sources.web01)).toEqual([]);
  });

  test("deleting a task that is already gone succeeds", async () => {
    const { id, outs } = await created({ state: "ready" });
    emu.forceState({ service: "sms", kind: "task", id, delete: true });
    await expect(deleteTask(id, outs)).resolves.toBeUndefined();
    expect(calls("DeleteTask")).toEqual([]);
  });
});

describe("faults during provider calls", () => {
  test("throttling and 5xx during create are retried; one task results", async () => {
    emu.injectFault({
      kind: "throttle",
      service: "sms",
      operation: "CreateTask",
      count: 2,
      retryAfterSeconds: 0,
    });
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "ShowServer", count: 1 });
    emu.injectFault({
      kind: "error5xx",
      service: "sms",
      operation: "UpdateTaskStatus",
      count: 1,
      status: 503,
    });
    const { id, outs } = await created();
    expect(outs.status).toBe("RUNNING");
    expect(calls("CreateTask").map((r) => r.status)).toEqual([429, 429, 200]);
    expect(calls("ShowServer").map((r) => r.status)).toEqual([500, 200]);
    expect(calls("UpdateTaskStatus").map((r) => r.status)).toEqual([503, 200]);
    expect(await tasksOn(sources.web01)).toEqual([id]);
  });

  test("a 5xx on CreateTask is retried without making a second task", async () => {
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "CreateTask", count: 1 });
    const { id } = await created({ state: "ready" });
    expect(calls("CreateTask").map((r) => r.status)).toEqual([500, 200]);
    expect(await tasksOn(sources.web01)).toEqual([id]);
  });

  test("a lost create answer (drop-after) does not duplicate the task", async () => {
    emu.injectFault({ kind: "drop-after", service: "sms", operation: "CreateTask" });
    const { id, outs } = await created();
    expect(calls("CreateTask").map((r) => [r.status, r.fault])).toEqual([[200, "drop-after"]]);
    expect(await tasksOn(sources.web01)).toEqual([id]);
    expect(outs.taskId).toBe(id);
    expect(outs.status).toBe("RUNNING");
    expect(lines.some((l) => l.includes(id) && l.includes("lost"))).toBe(true);
  });

  // The action API is not idempotent: a second "start" on a RUNNING task answers SMS.1039 and a
  // second "stop" on an ABORTING task SMS.1038. A lost answer must not turn a successful
  // transition into a failed `up`.
  test("a lost answer to the start action (drop-after) does not fail the create", async () => {
    emu.injectFault({ kind: "drop-after", service: "sms", operation: "UpdateTaskStatus" });
    const { id, outs } = await created();
    expect(outs.status).toBe("RUNNING");
    expect((await direct.showTask(id)).state).toBe("RUNNING");
    expect(await tasksOn(sources.web01)).toEqual([id]);
  });

  test("a lost answer to the stop action (drop-after) does not fail the update", async () => {
    const { id, outs } = await created();
    emu.injectFault({ kind: "drop-after", service: "sms", operation: "UpdateTaskStatus" });
    const paused = await updated(id, outs, { state: "paused" });
    expect(paused.status).toBe("ABORT");
    expect((await direct.showTask(id)).state).toBe("ABORT");
  });

  test("a lost answer to the delete (drop-after) still ends with the task gone", async () => {
    const { id, outs } = await created({ state: "ready" });
    emu.injectFault({ kind: "drop-after", service: "sms", operation: "DeleteTask" });
    await deleteTask(id, outs);
    await expect(direct.findTask(id)).resolves.toBeUndefined();
    expect(calls("DeleteTask")[0]?.fault).toBe("drop-after");
  });

  test("a start that keeps failing: create throws the init-failure shape with the task id", async () => {
    // Every start fails until the create deadline passes.
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "UpdateTaskStatus", count: 1_000_000 });
    const e = asInitFailure(await rejection(create(await checked({ timeouts: { create: "2s" } }))));
    emu.clearFaults();
    const [only] = await tasksOn(sources.web01);
    expect(e.id).toBe(only);
    const t = await direct.showTask(e.id);
    expect(t.state).toBe("READY");
    expect(e.message).toContain(e.id);
    expect(e.reasons.join("\n")).toContain("UpdateTaskStatus");
    expect(e.properties.taskId).toBe(e.id);
    expect(e.properties.sourceServerId).toBe(sources.web01);
    expect(e.properties.status).toBe("READY");
    expect(e.properties.passphrase).toBeUndefined();
    expect(e.properties.credentials).toBeUndefined();
    expect(undefinedPaths(e.properties)).toEqual([]);
    expect(calls("UpdateTaskStatus").length).toBeGreaterThan(1);
  });

  test("a replication that fails after start: create throws the init-failure shape with the task id", async () => {
    let forced = false;
    setLogSink((m) => {
      lines.push(m);
      const waiting = /^waiting for task (\S+) to be cutover: RUNNING/.exec(m);
      if (waiting && !forced) {
        forced = true;
        emu.forceState({ service: "sms", kind: "task", id: waiting[1], state: "MIGRATE_FAIL" });
      }
    });
    try {
      const e = asInitFailure(await rejection(create(await checked({ state: "cutover" }))));
      expect(forced).toBe(true);
      expect(await tasksOn(sources.web01)).toEqual([e.id]);
      expect(e.message).toContain("MIGRATE_FAIL");
      expect(e.reasons.join("\n")).toContain("MIGRATE_FAIL");
      expect(e.properties.status).toBe("MIGRATE_FAIL");
    } finally {
      setLogSink((m) => lines.push(m));
    }
  });
});

describe("bad inputs", () => {
  test.each([
    ["projectId", { projectId: "not-a-project" }],
    ["region", { region: "North China 4" }],
    ["name", { name: "bad name!" }],
    ["type", { type: "MIGRATE_DISK" }],
    ["state", { state: "started" }],
    ["target", { target: { vmId: targets.ecsWeb01, vmTemplateId: templates.linux } }],
    ["speedLimits", { speedLimits: [{ start: "08:00", end: "06:00", speedMbps: 10 }] }],
    [
      "configurations",
      {
        configurations: [
          { key: "K", value: "1" },
          { key: "K", value: "2" },
        ],
      },
    ],
    ["speedLimt", { speedLimt: 10 }],
  ])("check fails naming %s", async (field, over) => {
    const res = await check({}, inputs(over));
    const failures = res.failures ?? [];
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.map((f) => f.property)).toContain(field);
    expect(failures.find((f) => f.property === field)?.reason).toContain(field);
    expect(emu.requests()).toEqual([]);
  });

  test("a source server whose Agent is disconnected fails clearly, naming sourceServerId", async () => {
    const e = await rejection(
      create(await checked({ sourceServerId: sources.legacy01, target: { vmTemplateId: templates.linux } })),
    );
    expect(e.message).toContain("sourceServerId");
    expect(e.message).toContain(sources.legacy01);
    expect(e.message).toMatch(/not connected/);
    expect(calls("CreateTask")).toEqual([]);
    expect(await tasksOn(sources.legacy01)).toEqual([]);
  });

  test("a source server SMS does not know fails, naming sourceServerId", async () => {
    const unknown = "a1b2c3d4-0001-4000-8000-0000000000ff";
    const e = await rejection(create(await checked({ sourceServerId: unknown })));
    expect(e.message).toContain("sourceServerId");
    expect(e.message).toContain(unknown);
    expect(calls("CreateTask")).toEqual([]);
  });

  test("missing credentials: the error names the places looked and holds no secret", async () => {
    const ak = process.env.HW_ACCESS_KEY;
    const sk = process.env.HW_SECRET_KEY;
    try {
      delete process.env.HW_ACCESS_KEY;
      delete process.env.HW_SECRET_KEY;
      const none = await rejection(create(await checked()));
      expect(none.message).toContain("credentials not found");
      for (const place of [
        "resource arguments",
        "stack config huaweicloud:accessKey",
        "environment HW_ACCESS_KEY",
        "environment HUAWEICLOUD_SDK_AK",
        "profile file",
      ]) {
        expect(none.message).toContain(place);
      }
      expect(none.message).not.toContain(emulatorDefaults.secretKey);

      // Half a key pair: the secret is named by where it was found, never shown.
      process.env.HW_SECRET_KEY = emulatorDefaults.secretKey;
      const half = await rejection(create(await checked()));
      expect(half.message).toContain("access key missing");
      expect(half.message).toContain("HW_SECRET_KEY");
      expect(half.message).not.toContain(emulatorDefaults.secretKey);
      expect(`${half.stack ?? ""}`).not.toContain(emulatorDefaults.secretKey);
    } finally {
      process.env.HW_ACCESS_KEY = ak;
      process.env.HW_SECRET_KEY = sk;
    }
    expect(emu.requests()).toEqual([]);
  });
});

describe("deadlines", () => {
  test('timeouts.create "1s" on a slow cutover: a timeout naming the task and its last state, with the id', async () => {
    const e = asInitFailure(
      await rejection(create(await checked({ state: "cutover", timeouts: { create: "1s" } }))),
    );
    const [only] = await tasksOn(sources.web01);
    expect(e.id).toBe(only);
    expect(e.message).toContain("timed out after 1s");
    expect(e.message).toContain(`task ${e.id}`);
    expect(e.message).toContain("last observed: RUNNING");
    expect(e.properties.taskId).toBe(e.id);
    expect((await direct.showTask(e.id)).state).toBe("RUNNING");
  });
});
