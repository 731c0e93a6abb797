/**
 * The SMS client (sdk/huawei/sms/client.ts over sdk/huawei/client.ts) against the in-process
 * emulator on a free port: every operation on the wire, retries, lost create answers, and the
 * official Huawei Cloud core SDK signing against the same emulator (style.md Practices 10:
 * "client against the emulator on port 0; official vendor clients against the emulator").
 */
import * as path from "path";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import type { HttpRequestOptions } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import { DefaultHttpClient } from "@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient";
import type { DefaultHttpResponse } from "@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpResponse";
import type { IHttpRequest } from "@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest";
import type { SdkResponse } from "@huaweicloud/huaweicloud-sdk-core/SdkResponse";
import type { Logger } from "@huaweicloud/huaweicloud-sdk-core/logger";
import { LogLevel } from "@huaweicloud/huaweicloud-sdk-core/logger";
import { ServiceResponseException } from "@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException";
import type { Emulator, RequestLogEntry } from "../emulator";
import { emulatorDefaults, smsDemoIds, startEmulator } from "../emulator";
import { VirtualClock } from "../sdk/core/virtual-clock";
import type { Clock } from "../sdk/core/clock";
import { CloudError } from "../sdk/core/errors";
import { collect } from "../sdk/core/paginate";
import type { RetryPolicy } from "../sdk/core/retry";
import type { HuaweiClientOptions } from "../sdk/huawei/client";
import { HuaweiClient } from "../sdk/huawei/client";
import type { HuaweiSettings } from "../sdk/huawei/credentials";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { SmsClient } from "../sdk/huawei/sms/client";
import type { PostTask } from "../sdk/huawei/sms/contract";

/** A home directory without `.huaweicloud/credentials`, so the developer's own profile never leaks in. */
const NO_HOME = path.join(__dirname, "fixtures", "no-such-home");
const AK = emulatorDefaults.accessKey;
const SK = emulatorDefaults.secretKey;
const { sources, targets, templates } = smsDemoIds;

let emu: Emulator;
/** Every error any client call threw in this file, checked for credentials at the end. */
const seenErrors: unknown[] = [];

/** A clock that does not really sleep: retries are instant and their delays are recorded. */
function fakeClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now(),
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
}

function settings(over: Record<string, string | undefined> = {}): HuaweiSettings {
  return resolveHuaweiSettings({ env: { ...emu.env(), ...over }, homeDir: NO_HOME });
}

function smsClient(opts: HuaweiClientOptions = {}, s: HuaweiSettings = settings()): SmsClient {
  return new SmsClient(new HuaweiClient("sms", s, opts));
}

/** A create body for a demo (or seeded) source, onto a demo target or from a template. */
function body(
  over: Partial<PostTask> & { source?: string; vmId?: string; template?: string } = {},
): PostTask {
  const { source, vmId, template, ...rest } = over;
  return {
    name: "web01-migration",
    type: "MIGRATE_BLOCK",
    os_type: "LINUX",
    source_server: { id: source ?? sources.web01 },
    target_server: { name: "ecs-web-01", vm_id: template ? "" : (vmId ?? targets.ecsWeb01) },
    ...(template ? { vm_template_id: template } : {}),
    region_name: emulatorDefaults.region,
    region_id: emulatorDefaults.region,
    project_name: emulatorDefaults.region,
    project_id: emulatorDefaults.projectId,
    ...rest,
  };
}

/** Runs `fn`, expecting it to throw; returns the error (and remembers it for the credential check). */
async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    seenErrors.push(e);
    return e;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

async function cloudFailure(fn: () => Promise<unknown>): Promise<CloudError> {
  const e = await failure(fn);
  if (!CloudError.isInstance(e)) throw new Error(`expected a CloudError, got ${String(e)}`);
  return e;
}

/** Everything an error shows: message, stack and enumerable fields. */
function textOf(e: unknown): string {
  return `${String(e)} ${(e as Error).stack ?? ""} ${JSON.stringify(e)}`;
}

function calls(operation: string): RequestLogEntry[] {
  return emu.requests().filter((r) => r.operation === operation);
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0, timeScale: 0 });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.clearFaults();
  emu.reset();
  emu.clearRequests();
});

describe("operations on the wire", () => {
  test("create, show and the source server's view of the new task", async () => {
    const c = smsClient();
    const created = await c.createTask(body());
    expect(created.recovered).toBe(false);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const t = await c.showTask(created.id);
    expect(t).toMatchObject({
      id: created.id,
      name: "web01-migration",
      type: "MIGRATE_BLOCK",
      os_type: "LINUX",
      state: "READY",
      source_server: { id: sources.web01 },
      target_server: { vm_id: targets.ecsWeb01 },
      project_id: emulatorDefaults.projectId,
    });
    const src = await c.showServer(sources.web01);
    expect(src.current_task?.id).toBe(created.id);
    expect(src.connected).toBe(true);

    // Requests went out signed with the configured key, each answered 200.
    const log = emu.requests();
    expect(log.map((r) => [r.operation, r.status, r.auth, r.accessKey])).toEqual([
      ["CreateTask", 200, "aksk", AK],
      ["ShowTask", 200, "aksk", AK],
      ["ShowServer", 200, "aksk", AK],
    ]);
  });

  test("findTask is undefined for an unknown id; showTask fails with HTTP 404", async () => {
    const c = smsClient();
    const unknown = "00000000-0000-4000-8000-000000000000";
    await expect(c.findTask(unknown)).resolves.toBeUndefined();
    const e = await cloudFailure(() => c.showTask(unknown));
    expect(e.httpStatus).toBe(404);
    expect(e.operation).toBe("ShowTask");
  });

  test("listTasks pages lazily with offset/limit until every task is seen", async () => {
    const extra = Array.from({ length: 8 }, (_, i) => ({
      id: `5eed0000-0000-4000-8000-00000000000${i}`,
      name: `seeded-${i}`,
    }));
    emu.seed({ sms: { source_servers: extra } });
    const c = smsClient();
    const ids = new Set<string>();
    for (const s of extra) {
      const r = await c.createTask(body({ name: `task-${s.name}`, source: s.id, template: templates.linux }));
      ids.add(r.id);
    }
    ids.add((await c.createTask(body())).id);
    ids.add((await c.createTask(body({ name: "web02", source: sources.web02, vmId: targets.ecsWeb02 }))).id);
    expect(ids.size).toBe(10);

    emu.clearRequests();
    const all = await collect(c.listTasks({}, 3));
    expect(all.map((t) => t.id).sort()).toEqual([...ids].sort());
    // Four pages of 3, 3, 3 and 1, asked for with increasing offsets.
    expect(calls("ListTasks").map((r) => new URLSearchParams(r.query).get("offset"))).toEqual([
      "0",
      "3",
      "6",
      "9",
    ]);
    expect(calls("ListTasks").every((r) => new URLSearchParams(r.query).get("limit") === "3")).toBe(true);

    // Pages are fetched only as the caller iterates: stopping early asks for one page.
    emu.clearRequests();
    const gen = c.listTasks({}, 3);
    const first = await gen.next();
    expect(first.done).toBe(false);
    await gen.return(undefined);
    expect(calls("ListTasks")).toHaveLength(1);

    // Filters go on the wire.
    const bySource = await collect(c.listTasks({ source_server_id: sources.web02 }));
    expect(bySource.map((t) => t.name)).toEqual(["web02"]);
  });

  test("update (PUT) changes the name and speed limit", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    await c.updateTask(id, { name: "renamed-task", speed_limit: 42 });
    const t = await c.showTask(id);
    expect(t.name).toBe("renamed-task");
    expect(t.speed_limit).toBe(42);
    expect(calls("UpdateTask").map((r) => [r.method, r.status])).toEqual([["PUT", 200]]);
  });

  test("action start then stop moves the task through RUNNING to ABORTING and ABORT", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    await c.action(id, { operation: "start" });
    expect((await c.showTask(id)).state).toBe("RUNNING");
    await c.action(id, { operation: "stop" });
    expect((await c.showTask(id)).state).toBe("ABORTING");
    emu.advance(60);
    expect((await c.showTask(id)).state).toBe("ABORT");
  });

  test("delete: the task goes DELETING, then is gone", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    await c.deleteTask(id);
    expect((await c.showTask(id)).state).toBe("DELETING");
    emu.advance(60);
    await expect(c.findTask(id)).resolves.toBeUndefined();
    expect(calls("DeleteTask").map((r) => [r.method, r.status])).toEqual([["DELETE", 200]]);
  });

  test("speed-limit schedule: set, then read back", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    await expect(c.getSpeedLimits(id)).resolves.toEqual([]);
    const schedule = [
      { start: "00:00", end: "08:00", speed: 500 },
      { start: "08:00", end: "18:00", speed: 50, over_speed_threshold: 20 },
    ];
    await c.setSpeedLimits(id, schedule);
    expect(await c.getSpeedLimits(id)).toEqual(schedule);
  });

  test("configuration settings: set, then read back", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    await c.setConfigurations(id, [
      { config_key: "EXCLUDE_MIGRATE_PATH", config_value: "/tmp" },
      { config_key: "SYNC_EXCLUDE_PATH", config_value: "/var/cache" },
    ]);
    const configs = await c.getConfigurations(id);
    expect(configs.map((x) => [x.config_key, x.config_value]).sort()).toEqual([
      ["EXCLUDE_MIGRATE_PATH", "/tmp"],
      ["SYNC_EXCLUDE_PATH", "/var/cache"],
    ]);
  });

  test("passphrase: a non-empty string, stable for the task", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    const p = await c.passphrase(id);
    expect(p.length).toBeGreaterThan(0);
    await expect(c.passphrase(id)).resolves.toBe(p);
  });

  test("source servers: show one, list all page by page, filter by name", async () => {
    const c = smsClient();
    const legacy = await c.showServer(sources.legacy01);
    expect(legacy).toMatchObject({ id: sources.legacy01, name: "legacy-01", connected: false });
    expect(legacy.init_target_server?.disks?.length).toBeGreaterThan(0);

    const all = await collect(c.listServers({}, 2));
    expect(all.map((s) => s.id).sort()).toEqual(Object.values(sources).sort());
    expect(calls("ListServers")).toHaveLength(3);

    const named = await collect(c.listServers({ name: "web-02" }));
    expect(named.map((s) => s.id)).toEqual([sources.web02]);
  });
});

describe("retries", () => {
  test("throttling (429 APIGW.0308 with Retry-After) is retried after the delay the server asked for", async () => {
    const c = smsClient();
    const { id } = await c.createTask(body());
    emu.clearRequests();
    emu.injectFault({
      kind: "throttle",
      service: "sms",
      operation: "ShowTask",
      count: 2,
      retryAfterSeconds: 3,
    });
    const clock = fakeClock();
    const lines: string[] = [];
    const t = await smsClient({ clock, log: (m) => lines.push(m) }).showTask(id);
    expect(t.id).toBe(id);
    expect(calls("ShowTask").map((r) => [r.status, r.errorCode, r.fault])).toEqual([
      [429, "APIGW.0308", "throttle"],
      [429, "APIGW.0308", "throttle"],
      [200, undefined, undefined],
    ]);
    // Retry-After: 3 means at least 3 s before each retry.
    expect(clock.sleeps).toHaveLength(2);
    for (const ms of clock.sleeps) expect(ms).toBeGreaterThanOrEqual(3000);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("APIGW.0308");
    for (const l of lines) {
      expect(l).not.toContain(AK);
      expect(l).not.toContain(SK);
    }
  });

  test.each([500, 502, 503] as const)("HTTP %i is retried and the call succeeds", async (status) => {
    const c = smsClient({ clock: fakeClock() });
    const { id } = await c.createTask(body());
    emu.clearRequests();
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "UpdateTask", count: 2, status });
    await c.updateTask(id, { speed_limit: 5 });
    expect(calls("UpdateTask").map((r) => r.status)).toEqual([status, status, 200]);
    expect((await c.showTask(id)).speed_limit).toBe(5);
  });

  test("an action is not resent by the client: its answer may be lost after it took effect", async () => {
    const c = smsClient({ clock: fakeClock() });
    const { id } = await c.createTask(body());
    emu.clearRequests();
    emu.injectFault({
      kind: "error5xx",
      service: "sms",
      operation: "UpdateTaskStatus",
      count: 1,
      status: 503,
    });
    const e = await cloudFailure(() => c.action(id, { operation: "start" }));
    expect([e.httpStatus, e.retryable]).toEqual([503, true]);
    expect(calls("UpdateTaskStatus").map((r) => r.status)).toEqual([503]);
  });

  test("a 4xx answer is not retried", async () => {
    const clock = fakeClock();
    const c = smsClient({ clock });
    const { id } = await c.createTask(body());
    emu.clearRequests();
    // A READY task cannot be restarted: 400 SMS.1040.
    const e = await cloudFailure(() => c.action(id, { operation: "restart" }));
    expect(e.httpStatus).toBe(400);
    expect(e.code).toBe("SMS.1040");
    expect(e.retryable).toBe(false);
    expect(e.message).toContain("UpdateTaskStatus");
    expect(calls("UpdateTaskStatus")).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  test("bounded attempts: persistent 5xx ends in a CloudError that counts the attempts", async () => {
    const retry: RetryPolicy = { maxAttempts: 3, maxElapsedMs: 60_000, baseDelayMs: 10, maxDelayMs: 20 };
    const c = smsClient({ clock: fakeClock(), retry });
    const { id } = await c.createTask(body());
    emu.clearRequests();
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "ShowTask", count: 10 });
    const e = await cloudFailure(() => c.showTask(id));
    expect(e.attempts).toBe(3);
    expect(e.httpStatus).toBe(500);
    expect(e.code).toBe("SMS.2007");
    expect(e.message).toContain("after 3 attempts");
    expect(calls("ShowTask")).toHaveLength(3);
  });

  test("persistent throttling is retried until the operation's deadline, then ends with the attempt count and Retry-After", async () => {
    const retry: RetryPolicy = { maxAttempts: 4, maxElapsedMs: 600_000, baseDelayMs: 10, maxDelayMs: 20 };
    const clock = new VirtualClock(Date.now());
    // Retry-After 2 s plus at most 1 s of jitter: 20 s hold 7 to 11 attempts.
    const c = smsClient({ clock, retry, deadlineAt: clock.now() + 20_000 });
    emu.injectFault({
      kind: "throttle",
      service: "sms",
      operation: "ListServers",
      count: 30,
      retryAfterSeconds: 2,
    });
    const e = await cloudFailure(() => collect(c.listServers()));
    expect(e.attempts).toBeGreaterThanOrEqual(7);
    expect(e.attempts).toBeLessThanOrEqual(11);
    expect(e.httpStatus).toBe(429);
    expect(e.code).toBe("APIGW.0308");
    expect(e.retryAfterMs).toBe(2000);
    expect(calls("ListServers")).toHaveLength(e.attempts ?? 0);
    emu.clearFaults();
  });

  test("errors never carry the access key or the secret key", async () => {
    // Wrong secret: the gateway refuses the signature.
    const wrongSk = "WrongSecretKey00000000000000000000000099";
    const e1 = await cloudFailure(() =>
      smsClient({}, settings({ HW_SECRET_KEY: wrongSk })).showServer(sources.web01),
    );
    expect(e1.httpStatus).toBe(401);
    expect(e1.code).toBe("APIGW.0301");
    expect(e1.message).not.toContain(wrongSk);
    // Unknown access key.
    const unknownAk = "HPUAUNKNOWN000000099";
    const e2 = await cloudFailure(() => smsClient({}, settings({ HW_ACCESS_KEY: unknownAk })).showTask("x"));
    expect(e2.httpStatus).toBe(401);
    expect(e2.code).toBe("APIGW.0301");
    expect(e2.message).not.toContain(unknownAk);
    // Dropped connection and bounded retries.
    emu.injectFault({ kind: "drop-before", service: "sms", operation: "ShowServer", count: 10 });
    const retry: RetryPolicy = { maxAttempts: 2, maxElapsedMs: 60_000, baseDelayMs: 1, maxDelayMs: 1 };
    const e3 = await cloudFailure(() => smsClient({ clock: fakeClock(), retry }).showServer(sources.web01));
    expect(e3.retryable).toBe(true);
    expect(e3.attempts).toBe(2);
    for (const e of [e1, e2, e3]) {
      for (const secret of [AK, SK, wrongSk, unknownAk]) expect(textOf(e)).not.toContain(secret);
    }
  });
});

describe("a create whose answer is lost", () => {
  test("drop-after: the task was made; the client finds it instead of creating a second one", async () => {
    const lines: string[] = [];
    const c = smsClient({ clock: fakeClock() });
    emu.injectFault({ kind: "drop-after", service: "sms", operation: "CreateTask" });
    const res = await c.createTask(body(), { log: (m) => lines.push(m) });
    expect(res.recovered).toBe(true);

    const onSource = await collect(c.listTasks({ source_server_id: sources.web01 }));
    expect(onSource.map((t) => t.id)).toEqual([res.id]);
    expect(calls("CreateTask").map((r) => [r.status, r.fault])).toEqual([[200, "drop-after"]]);
    expect(lines.join("\n")).toContain(res.id);
  });

  test("drop-before: nothing was made; the client creates it on retry", async () => {
    const c = smsClient({ clock: fakeClock() });
    emu.injectFault({ kind: "drop-before", service: "sms", operation: "CreateTask" });
    const res = await c.createTask(body());
    expect(res.recovered).toBe(false);
    const onSource = await collect(c.listTasks({ source_server_id: sources.web01 }));
    expect(onSource.map((t) => t.id)).toEqual([res.id]);
    expect(calls("CreateTask").map((r) => [r.status, r.fault])).toEqual([
      [0, "drop-before"],
      [200, undefined],
    ]);
  });

  test("a 5xx on create is retried only after a lookup finds nothing", async () => {
    const c = smsClient({ clock: fakeClock() });
    emu.injectFault({ kind: "error5xx", service: "sms", operation: "CreateTask", count: 2 });
    const res = await c.createTask(body());
    expect(res.recovered).toBe(false);
    expect(emu.requests().map((r) => [r.operation, r.status])).toEqual([
      ["CreateTask", 500],
      ["ListTasks", 200],
      ["CreateTask", 500],
      ["ListTasks", 200],
      ["CreateTask", 200],
    ]);
    const onSource = await collect(c.listTasks({ source_server_id: sources.web01 }));
    expect(onSource).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// The official @huaweicloud/huaweicloud-sdk-core signer against the emulator.
// ---------------------------------------------------------------------------------------------

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** The official transport, optionally altering the signed request just before it is sent. */
class TamperingHttpClient extends DefaultHttpClient {
  constructor(
    endpoint: string,
    private readonly tamper?: (req: IHttpRequest) => void,
  ) {
    super({ logger: silent }, [endpoint]);
  }

  override sendRequest<T extends SdkResponse>(req: IHttpRequest): Promise<DefaultHttpResponse<T>> {
    this.tamper?.(req);
    return super.sendRequest<T>(req);
  }
}

function official(opts: { ak?: string; sk?: string; tamper?: (req: IHttpRequest) => void } = {}): HcClient {
  const cred = new BasicCredentials()
    .withAk(opts.ak ?? AK)
    .withSk(opts.sk ?? SK)
    .withProjectId(emulatorDefaults.projectId);
  return new HcClient(new TamperingHttpClient(emu.url, opts.tamper), { logger: silent })
    .withEndpoints([emu.url])
    .withCredential(cred);
}

/** Options as the generated SmsClient of the official SDK builds them. */
function officialOptions(
  method: string,
  url: string,
  data: Record<string, unknown> = {},
): HttpRequestOptions {
  return { method, url, contentType: "application/json", queryParams: {}, pathParams: {}, headers: {}, data };
}

async function officialFailure(fn: () => Promise<unknown>): Promise<ServiceResponseException> {
  const e = await failure(fn);
  if (!(e instanceof ServiceResponseException))
    throw new Error(`expected an SDK exception, got ${String(e)}`);
  return e;
}

describe("requests signed by the official Huawei Cloud SDK", () => {
  test("GET /v3/tasks and POST /v3/tasks/{id}/action are accepted", async () => {
    const { id } = await smsClient().createTask(body());
    emu.clearRequests();
    const client = official();

    const list = await client.sendRequest<{
      httpStatusCode?: number;
      count?: number;
      tasks?: { id: string }[];
    }>(officialOptions("GET", "/v3/tasks"));
    expect(list.httpStatusCode).toBe(200);
    expect(list.count).toBe(1);
    expect(list.tasks?.map((t) => t.id)).toEqual([id]);

    const action = await client.sendRequest<{ httpStatusCode?: number }>(
      officialOptions("POST", `/v3/tasks/${id}/action`, { operation: "start" }),
    );
    expect(action.httpStatusCode).toBe(200);
    expect((await smsClient().showTask(id)).state).toBe("RUNNING");

    expect(
      emu
        .requests()
        .filter((r) => r.operation !== "ShowTask")
        .map((r) => [r.operation, r.status, r.auth, r.accessKey]),
    ).toEqual([
      ["ListTasks", 200, "aksk", AK],
      ["UpdateTaskStatus", 200, "aksk", AK],
    ]);
  });

  test("a tampered signature is rejected: 401 APIGW.0301", async () => {
    const { id } = await smsClient().createTask(body());
    const client = official({
      tamper: (req) => {
        const h = req.headers as Record<string, string>;
        const auth = h["Authorization"] ?? h["authorization"];
        if (!auth) throw new Error("the official SDK produced no Authorization header");
        // Flip the last hex digit of the signature.
        const flipped = auth.slice(0, -1) + (auth.endsWith("0") ? "1" : "0");
        if ("Authorization" in h) h["Authorization"] = flipped;
        else h["authorization"] = flipped;
      },
    });
    const e = await officialFailure(() =>
      client.sendRequest(officialOptions("POST", `/v3/tasks/${id}/action`, { operation: "start" })),
    );
    expect(e.httpStatusCode).toBe(401);
    expect(e.errorCode).toBe("APIGW.0301");
    expect((await smsClient().showTask(id)).state).toBe("READY");
    const denied = calls("UpdateTaskStatus");
    expect(denied.map((r) => [r.status, r.errorCode])).toEqual([[401, "APIGW.0301"]]);
  });

  test("a wrong secret key is rejected: 401 APIGW.0301", async () => {
    const e = await officialFailure(() =>
      official({ sk: "WrongSecretKey00000000000000000000000001" }).sendRequest(
        officialOptions("GET", "/v3/tasks"),
      ),
    );
    expect(e.httpStatusCode).toBe(401);
    expect(e.errorCode).toBe("APIGW.0301");
  });

  test("an unknown access key is rejected: 401 APIGW.0301", async () => {
    const e = await officialFailure(() =>
      official({ ak: "HPUAUNKNOWN000000001" }).sendRequest(officialOptions("GET", "/v3/tasks")),
    );
    expect(e.httpStatusCode).toBe(401);
    expect(e.errorCode).toBe("APIGW.0301");
    expect(calls("ListTasks").map((r) => [r.status, r.errorCode])).toEqual([[401, "APIGW.0301"]]);
  });
});

describe("IAM token (X-Auth-Token)", () => {
  async function issueToken(): Promise<string> {
    const res = await fetch(`${emu.url}/v3/auth/tokens?nocatalog=true`, {
      method: "POST",
      headers: { "Content-Type": "application/json;charset=utf8" },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: {
              user: {
                name: emulatorDefaults.userName,
                password: emulatorDefaults.password,
                domain: { name: emulatorDefaults.domainName },
              },
            },
          },
          scope: { project: { name: emulatorDefaults.region } },
        },
      }),
    });
    expect(res.status).toBe(201);
    const token = res.headers.get("x-subject-token");
    if (!token) throw new Error("no X-Subject-Token in the answer");
    return token;
  }

  function tokenClient(token: string): SmsClient {
    const s = resolveHuaweiSettings({
      args: { authToken: token, region: emulatorDefaults.region },
      env: { MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT: emu.url },
      homeDir: NO_HOME,
    });
    expect(s.accessKey).toBeUndefined();
    expect(s.authToken).toBe(token);
    return smsClient({}, s);
  }

  test("a token from the emulator's IAM works, and is refused once it has expired", async () => {
    const token = await issueToken();
    const c = tokenClient(token);
    const { id } = await c.createTask(body());
    expect((await c.showTask(id)).state).toBe("READY");
    expect(calls("CreateTask").map((r) => [r.status, r.auth])).toEqual([[200, "token"]]);

    emu.advance(25 * 3600);
    const e = await cloudFailure(() => c.showTask(id));
    expect(e.httpStatus).toBe(401);
    expect(e.code).toBe("APIGW.0301");
    expect(e.message).not.toContain(token);
  });

  test("a token the emulator never issued is refused", async () => {
    const e = await cloudFailure(() => tokenClient("MIInot-a-real-token").showServer(sources.web01));
    expect(e.httpStatus).toBe(401);
    expect(e.code).toBe("APIGW.0301");
  });
});

// Last on purpose: it looks at every error this package's code threw in the tests above.
test("no error seen in this file carries the access key, the secret key or a token", () => {
  const ours = seenErrors.filter((e) => !(e instanceof ServiceResponseException));
  expect(ours.length).toBeGreaterThanOrEqual(5);
  for (const e of ours) {
    expect(textOf(e)).not.toContain(AK);
    expect(textOf(e)).not.toContain(SK);
    expect(textOf(e)).not.toMatch(/MIIemu/);
  }
});
