/** The control plane over HTTP, fault injection, and the emulator clock. */
import type { Emulator } from "./server";
import { startEmulator } from "./server";
import { huaweiCall, rawRequest } from "./testing/huawei-http";
import { SmsTestClient, createTaskBody, errorOf } from "./testing/sms";
import { smsDemoIds } from "./huawei/sms/demo";

let emu: Emulator;
let c: SmsTestClient;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
  c = new SmsTestClient(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearFaults();
  emu.clearRequests();
});

/** Calls the control plane over HTTP. */
async function control(method: "GET" | "POST" | "DELETE", path: string, body?: unknown) {
  const r = await rawRequest({
    method,
    url: `${emu.url}/_emulator/${path}`,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: r.json as Record<string, unknown> & unknown[] };
}

const createRaw = () => huaweiCall(emu.url, { method: "POST", path: "/v3/tasks", body: createTaskBody() });

describe("control plane", () => {
  test("health", async () => {
    expect(await control("GET", "health")).toMatchObject({ status: 200, json: { ok: true, url: emu.url } });
  });

  test("reset restores the seed data (demo, or empty on request)", async () => {
    await c.create();
    expect((await c.list()).count).toBe(1);
    expect((await control("POST", "reset")).status).toBe(200);
    expect((await c.list()).count).toBe(0);
    await control("POST", "reset", { seed: "empty" });
    expect((await c.call("GET", "/v3/sources")).json).toEqual({ count: 0, source_servers: [] });
    await control("POST", "reset");
    expect(((await c.call("GET", "/v3/sources")).json as { count: number }).count).toBe(5);
  });

  test("requests: one entry per API call, control calls not logged, DELETE clears", async () => {
    await c.create();
    await c.call("GET", "/v3/tasks/nope");
    await control("GET", "health");
    const log = (await control("GET", "requests")).json as unknown as Record<string, unknown>[];
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      service: "sms",
      operation: "CreateTask",
      method: "POST",
      path: "/v3/tasks",
      status: 200,
      auth: "aksk",
      accessKey: "HPUAEMULATOR00000001",
    });
    expect(typeof log[0].time).toBe("string");
    expect(log[0].requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(log[1]).toMatchObject({ operation: "ShowTask", status: 404, errorCode: "SMS.2252" });
    const filtered = (await control("GET", "requests?operation=ShowTask")).json as unknown as unknown[];
    expect(filtered).toHaveLength(1);
    await control("DELETE", "requests");
    expect((await control("GET", "requests")).json).toEqual([]);
  });

  test("advance moves emulator time; time otherwise stands still at timeScale 0", async () => {
    const t0 = emu.now().getTime();
    const r = await control("POST", "advance", { seconds: 90 });
    expect(Date.parse(String(r.json.now))).toBe(t0 + 90_000);
    expect(Date.parse(String((await control("GET", "clock")).json.now))).toBe(t0 + 90_000);
    expect((await control("POST", "advance", { seconds: -1 })).status).toBe(400);
  });

  test("force-state: task state, source connection and state, delete out of band", async () => {
    const id = await c.create();
    expect(
      (
        await control("POST", "force-state", {
          service: "sms",
          kind: "task",
          id,
          state: "MIGRATE_FAIL",
          error_json: '{"error_code":"SMS.0210"}',
        })
      ).status,
    ).toBe(200);
    expect(await c.show(id)).toMatchObject({
      state: "MIGRATE_FAIL",
      error_json: '{"error_code":"SMS.0210"}',
    });

    await control("POST", "force-state", {
      service: "sms",
      kind: "source",
      id: smsDemoIds.sources.web01,
      connected: false,
      state: "error",
    });
    expect(await c.source(smsDemoIds.sources.web01)).toMatchObject({ connected: false, state: "error" });
    expect((await c.show(id)).connected).toBe(false);
    await control("POST", "force-state", {
      service: "sms",
      kind: "source",
      id: smsDemoIds.sources.web01,
      state: null,
      connected: true,
    });
    expect(await c.source(smsDemoIds.sources.web01)).toMatchObject({
      connected: true,
      state: "error" /* derived from MIGRATE_FAIL */,
    });

    await control("POST", "force-state", { service: "sms", kind: "task", id, delete: true });
    expect(errorOf(await c.call("GET", `/v3/tasks/${id}`))).toEqual({ status: 404, code: "SMS.2252" });
  });

  test("force-state rejects bad commands with a 400 naming the problem", async () => {
    let r = await control("POST", "force-state", { service: "sms", kind: "task", id: "x", state: "BROKEN" });
    expect(r.status).toBe(400);
    expect(String(r.json.error)).toMatch(/state/);
    r = await control("POST", "force-state", { service: "nope", kind: "task" });
    expect(r).toMatchObject({ status: 400, json: { error: expect.stringMatching(/unknown service/) } });
    r = await control("POST", "force-state", {
      service: "sms",
      kind: "task",
      id: "00000000-0000-4000-8000-000000000000",
      state: "READY",
    });
    expect(r.status).toBe(400);
  });

  test("seed adds sources, targets, templates and tasks (atomically)", async () => {
    const r = await control("POST", "seed", {
      sms: {
        source_servers: [{ id: "5eed5eed-0000-4000-8000-000000000001", name: "app-09", os_type: "WINDOWS" }],
        target_servers: [
          { id: "5eed5eed-0000-4000-8000-000000000002", name: "ecs-app-09", ip: "192.168.40.9" },
        ],
        templates: [{ id: "5eed5eed-0000-4000-8000-000000000003", name: "tpl-x" }],
        tasks: [
          {
            id: "5eed5eed-0000-4000-8000-000000000004",
            name: "seeded",
            source_server_id: "5eed5eed-0000-4000-8000-000000000001",
            target_vm_id: "5eed5eed-0000-4000-8000-000000000002",
            state: "ABORT",
            progress: 40,
          },
        ],
      },
    });
    expect(r.status).toBe(200);
    const t = await c.show("5eed5eed-0000-4000-8000-000000000004");
    expect(t).toMatchObject({
      name: "seeded",
      state: "ABORT",
      os_type: "WINDOWS",
      migration_ip: "192.168.40.9",
    });
    expect(t.sub_tasks?.some((s) => s.progress > 0 && s.progress < 100)).toBe(true);
    expect(
      (await c.source("5eed5eed-0000-4000-8000-000000000001")).init_target_server?.disks?.[0]?.name,
    ).toBe("Disk 0");

    const bad = await control("POST", "seed", {
      sms: {
        source_servers: [{ id: "5eed5eed-0000-4000-8000-000000000009", name: "half" }],
        tasks: [{ source_server_id: "missing", target_vm_id: smsDemoIds.targets.ecsWeb01 }],
      },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(await c.call("GET", "/v3/sources/5eed5eed-0000-4000-8000-000000000009")).status).toBe(404);
  });

  test("config: durations (top level or under sms) change lifecycles", async () => {
    expect((await control("POST", "config", { durations: { replication: 5 } })).json).toMatchObject({
      sms: { durations: { replication: 5, abort: 3 } },
    });
    const id = await c.create({ auto_start: true });
    emu.advance(5);
    expect((await c.show(id)).state).toBe("MIGRATE_SUCCESS");
    await control("POST", "config", { sms: { durations: { replication: 60 } } });
    expect(
      ((await control("GET", "config")).json.sms as { durations: { replication: number } }).durations
        .replication,
    ).toBe(60);
    expect((await control("POST", "config", { durations: { replication: -1 } })).status).toBe(400);
    expect((await control("POST", "config", { durations: { warp: 1 } })).status).toBe(400);
  });

  test("state dumps every service", async () => {
    await c.create();
    const s = (await control("GET", "state")).json;
    const services = s.services as {
      sms: { tasks: unknown[]; sources: unknown[] };
      iam: { projects: unknown[] };
    };
    expect(services.sms.tasks).toHaveLength(1);
    expect(services.sms.sources).toHaveLength(5);
    expect(services.iam.projects).toHaveLength(2);
    expect(typeof s.now).toBe("string");
  });

  test("unknown control route → 404 listing the routes", async () => {
    const r = await control("GET", "nope");
    expect(r.status).toBe(404);
    expect(String(r.json.error)).toContain("POST /_emulator/faults");
  });
});

describe("faults", () => {
  test("throttle: 429 APIGW.0308 with Retry-After, consumed once", async () => {
    await control("POST", "faults", {
      kind: "throttle",
      service: "sms",
      operation: "CreateTask",
      retryAfterSeconds: 7,
    });
    const r = await createRaw();
    expect(r.status).toBe(429);
    expect(r.headers["retry-after"]).toBe("7");
    expect(r.json).toEqual({
      error_code: "APIGW.0308",
      error_msg: "The request is throttled.",
      request_id: r.headers["x-request-id"],
    });
    expect((await c.list()).count).toBe(0);
    expect((await createRaw()).status).toBe(200);
    expect(emu.requests().map((e) => [e.operation, e.status, e.fault])).toEqual([
      ["CreateTask", 429, "throttle"],
      ["ListTasks", 200, undefined],
      ["CreateTask", 200, undefined],
    ]);
  });

  test("error5xx: 500 answers SMS.2007 (documented backend error), 502/503 gateway codes; no effect", async () => {
    emu.injectFault({ kind: "error5xx", operation: "CreateTask" });
    emu.injectFault({ kind: "error5xx", operation: "CreateTask", status: 503 });
    emu.injectFault({ kind: "error5xx", operation: "CreateTask", status: 502 });
    const r500 = await createRaw();
    expect(errorOf(r500)).toEqual({ status: 500, code: "SMS.2007" });
    expect(errorOf(await createRaw())).toEqual({ status: 503, code: "APIGW.0201" });
    expect(errorOf(await createRaw())).toEqual({ status: 502, code: "APIGW.0202" });
    expect((await c.list()).count).toBe(0);
    expect(emu.requests().filter((e) => e.fault === "error5xx")).toHaveLength(3);
  });

  test("latency delays the answer; the call still takes effect", async () => {
    emu.injectFault({ kind: "latency", operation: "CreateTask", latencyMs: 300 });
    const t0 = Date.now();
    const r = await createRaw();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.status).toBe(200);
    expect(emu.requests()[0]).toMatchObject({ fault: "latency", status: 200 });
  });

  test("drop-before: the socket is destroyed and no task is created", async () => {
    emu.injectFault({ kind: "drop-before", operation: "CreateTask" });
    await expect(createRaw()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await c.list()).count).toBe(0);
    expect(emu.requests()[0]).toMatchObject({ operation: "CreateTask", status: 0, fault: "drop-before" });
  });

  test("drop-after: the task is created but the client sees a socket error", async () => {
    emu.injectFault({ kind: "drop-after", operation: "CreateTask" });
    await expect(createRaw()).rejects.toThrow(/socket hang up|ECONNRESET/);
    const l = await c.list();
    expect(l.count).toBe(1);
    expect(emu.requests()[0]).toMatchObject({ operation: "CreateTask", status: 200, fault: "drop-after" });
  });

  test("count and operation/service matching", async () => {
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "showtask", count: 2 });
    emu.injectFault({ kind: "throttle", service: "iam" });
    const id = await c.create();
    expect((await c.list()).count).toBe(1); // ListTasks is not ShowTask
    expect((await c.call("GET", `/v3/tasks/${id}`)).status).toBe(500);
    expect(emu.faults()).toMatchObject([
      { operation: "showtask", remaining: 1 },
      { service: "iam", remaining: 1 },
    ]);
    expect((await c.call("GET", `/v3/tasks/${id}`)).status).toBe(500);
    expect((await c.call("GET", `/v3/tasks/${id}`)).status).toBe(200);
    // The IAM fault is still pending: it matched no SMS call.
    expect((await huaweiCall(emu.url, { method: "GET", path: "/v3/auth/domains" })).status).toBe(429);
    expect(emu.faults()).toEqual([]);
  });

  test("faults over HTTP: list, batch add, clear, validation", async () => {
    const added = await control("POST", "faults", [
      { kind: "latency", latencyMs: 1 },
      { kind: "throttle", count: 3 },
    ]);
    expect(added.json).toHaveLength(2);
    expect((await control("GET", "faults")).json).toHaveLength(2);
    await control("DELETE", "faults");
    expect((await control("GET", "faults")).json).toEqual([]);
    expect((await control("POST", "faults", { kind: "meteor" })).status).toBe(400);
    expect((await control("POST", "faults", { kind: "error5xx", status: 504 })).status).toBe(400);
  });

  test("faults happen before authentication", async () => {
    emu.injectFault({ kind: "throttle" });
    expect((await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", auth: "none" })).status).toBe(429);
  });
});

describe("environment", () => {
  test("env() points every endpoint at this emulator", () => {
    expect(emu.env()).toEqual({
      HW_ACCESS_KEY: "HPUAEMULATOR00000001",
      HW_SECRET_KEY: "emulatorSecretKey000000000000000000000001",
      HW_REGION_NAME: "cn-north-4",
      HW_PROJECT_ID: "0123456789abcdef0123456789abcdef",
      MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT: emu.url,
      MIGRATION_TASKS_HUAWEICLOUD_DCS_ENDPOINT: emu.url,
      MIGRATION_TASKS_HUAWEICLOUD_IAM_ENDPOINT: emu.url,
      ALICLOUD_ACCESS_KEY: "LTAIEMULATOR0000000001",
      ALICLOUD_SECRET_KEY: "emulatorAlicloudSecret000000000001",
      ALICLOUD_REGION: "cn-hangzhou",
      MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT: emu.url,
    });
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
  });
});

describe("clock", () => {
  test("timeScale multiplies real elapsed time", async () => {
    const fast = await startEmulator({ timeScale: 600, seed: "empty" });
    try {
      const t0 = fast.now().getTime();
      await new Promise((r) => setTimeout(r, 100));
      expect(fast.now().getTime() - t0).toBeGreaterThanOrEqual(50_000);
    } finally {
      await fast.close();
    }
  });
});
