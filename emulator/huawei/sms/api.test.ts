/** SMS operations other than the state machine: create checks, update, lists, settings, sources. */
import { sms } from "../../../sdk/huawei/sms/contract";
import type { Emulator } from "../../server";
import { startEmulator } from "../../server";
import { huaweiCall } from "../../testing/huawei-http";
import { SmsTestClient, createTaskBody, errorOf } from "../../testing/sms";
import { smsDemoIds } from "./demo";

let emu: Emulator;
let c: SmsTestClient;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
  c = new SmsTestClient(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("create", () => {
  test("answers {id} and applies the documented defaults", async () => {
    const r = await c.call("POST", "/v3/tasks", createTaskBody());
    expect(r.status).toBe(200);
    const { id } = sms.createTask.response.parse(r.json);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const t = await c.show(id);
    expect(t).toMatchObject({
      name: "web01-migration",
      type: "MIGRATE_BLOCK",
      os_type: "LINUX",
      state: "READY",
      priority: 1,
      start_target_server: true,
      syncing: false,
      connected: true,
      migration_ip: "192.168.10.11",
      target_server: { vm_id: smsDemoIds.targets.ecsWeb01, name: "ecs-web-01" },
    });
    // Target disks default to the source's disks.
    // (plus the ids, indexes and free sizes the service adds to a task's target disks).
    expect(t.target_server?.disks).toMatchObject(
      (await c.source(smsDemoIds.sources.web01)).init_target_server?.disks ?? [],
    );
    expect(t.create_date).toBe(emu.now().getTime());
  });

  test.each([
    ["name", { name: undefined }, "name:"],
    ["name pattern", { name: "bad name!" }, "name:"],
    ["type", { type: "MIGRATE_DISK" }, "type:"],
    ["source_server.id", { source_server: {} }, "source_server.id:"],
    ["target_server.vm_id", { target_server: { name: "x" } }, "target_server.vm_id:"],
    ["priority range", { priority: -1 }, "priority:"],
    ["project_id", { project_id: "" }, "project_id:"],
  ])("a body breaking the contract (%s) → 400 SMS.1001 naming the field", async (_what, over, field) => {
    const r = await c.call("POST", "/v3/tasks", { ...createTaskBody(), ...over });
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.1001" });
    expect((r.json as { error_msg: string }).error_msg).toContain(field);
  });

  test("invalid JSON → 400 SMS.1001", async () => {
    expect(errorOf(await c.call("POST", "/v3/tasks", "{not json"))).toEqual({
      status: 400,
      code: "SMS.1001",
    });
  });

  test("Content-Type: missing → 401 SMS.2005, not JSON → 401 SMS.2006 (documented codes)", async () => {
    const body = JSON.stringify(createTaskBody());
    const noType = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/tasks",
      body,
      noContentType: true,
    });
    expect(errorOf(noType)).toEqual({ status: 401, code: "SMS.2005" });
    const textType = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/tasks",
      body,
      headers: { "Content-Type": "text/plain" },
    });
    expect(errorOf(textType)).toEqual({ status: 401, code: "SMS.2006" });
    const charset = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/tasks",
      body,
      headers: { "Content-Type": "application/json;charset=UTF-8" },
    });
    expect(charset.status).toBe(200);
  });

  test("unknown source → 400 SMS.2216", async () => {
    const r = await c.call(
      "POST",
      "/v3/tasks",
      createTaskBody({ source_server: { id: "00000000-0000-4000-8000-000000000000" } }),
    );
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2216" });
  });

  test("source whose Agent is disconnected → 400 SMS.2217", async () => {
    const r = await c.call(
      "POST",
      "/v3/tasks",
      createTaskBody({ source_server: { id: smsDemoIds.sources.legacy01 } }),
    );
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2217" });
  });

  test("a source server may have only one task → 400 SMS.2218", async () => {
    await c.create();
    const r = await c.call(
      "POST",
      "/v3/tasks",
      createTaskBody({ target_server: { name: "", vm_id: smsDemoIds.targets.ecsWeb02 } }),
    );
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2218" });
  });

  test("target server must exist unless a template is given → SMS.2219 / SMS.1001", async () => {
    let r = await c.call(
      "POST",
      "/v3/tasks",
      createTaskBody({ target_server: { name: "x", vm_id: "no-such-vm" } }),
    );
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2219" });
    r = await c.call("POST", "/v3/tasks", createTaskBody({ target_server: { name: "x", vm_id: "" } }));
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.1001" });
    r = await c.call(
      "POST",
      "/v3/tasks",
      createTaskBody({ target_server: { name: "x", vm_id: "" }, vm_template_id: smsDemoIds.templates.linux }),
    );
    expect(r.status).toBe(200);
  });

  test("unknown template → 400 SMS.2220; target used by another task → 400 SMS.2221", async () => {
    let r = await c.call("POST", "/v3/tasks", createTaskBody({ vm_template_id: "no-such-template" }));
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2220" });
    await c.create();
    r = await c.call(
      "POST",
      "/v3/tasks",
      createTaskBody({ source_server: { id: smsDemoIds.sources.web02 } }),
    );
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2221" });
  });

  test("os_type must match the source", async () => {
    const r = await c.call("POST", "/v3/tasks", createTaskBody({ os_type: "WINDOWS" }));
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.1001" });
    expect((r.json as { error_msg: string }).error_msg).toMatch(/^os_type:/);
  });
});

describe("update (PUT)", () => {
  test("applies the given fields; nulls and empty target fields leave values unchanged", async () => {
    const id = await c.create();
    const r = await c.call("PUT", `/v3/tasks/${id}`, {
      name: "renamed",
      speed_limit: 100,
      migration_ip: null,
      target_server: { vm_id: "", name: "" },
      state: "MIGRATE_SUCCESS",
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id });
    const t = await c.show(id);
    expect(t).toMatchObject({
      name: "renamed",
      speed_limit: 100,
      migration_ip: "192.168.10.11",
      state: "READY",
    });
    expect(t.target_server?.vm_id).toBe(smsDemoIds.targets.ecsWeb01);
  });

  test("rejects what PutTaskReq rejects", async () => {
    const id = await c.create();
    const r = await c.call("PUT", `/v3/tasks/${id}`, { name: "x".repeat(65) });
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.1001" });
  });
});

describe("list", () => {
  beforeEach(async () => {
    await c.create({ name: "alpha" });
    emu.advance(1);
    await c.create({
      name: "beta",
      source_server: { id: smsDemoIds.sources.web02 },
      target_server: { name: "", vm_id: smsDemoIds.targets.ecsWeb02 },
      auto_start: true,
    });
    emu.advance(1);
    await c.create({
      name: "alpha-db",
      source_server: { id: smsDemoIds.sources.db01 },
      target_server: { name: "", vm_id: smsDemoIds.targets.ecsDb01 },
    });
  });

  test("newest first, with count and list-only fields", async () => {
    const l = await c.list();
    expect(l.count).toBe(3);
    expect(l.tasks.map((t) => t.name)).toEqual(["alpha-db", "beta", "alpha"]);
    expect(l.tasks[0]).toMatchObject({ log_collect_status: "INIT", special_config: [] });
  });

  test("filters: state, name, id, source_server_id", async () => {
    expect((await c.list({ state: "RUNNING" })).tasks.map((t) => t.name)).toEqual(["beta"]);
    expect((await c.list({ name: "alpha" })).tasks.map((t) => t.name)).toEqual(["alpha-db", "alpha"]);
    const beta = (await c.list({ state: "RUNNING" })).tasks[0];
    expect((await c.list({ id: beta.id })).count).toBe(1);
    expect((await c.list({ source_server_id: smsDemoIds.sources.db01 })).tasks.map((t) => t.name)).toEqual([
      "alpha-db",
    ]);
  });

  test("offset/limit paging keeps the total count", async () => {
    const p1 = await c.list({ limit: 2, offset: 0 });
    const p2 = await c.list({ limit: 2, offset: 2 });
    expect(p1.count).toBe(3);
    expect(p2.count).toBe(3);
    expect([...p1.tasks, ...p2.tasks].map((t) => t.name)).toEqual(["alpha-db", "beta", "alpha"]);
  });

  test("bad query values → 400 SMS.1001", async () => {
    expect(errorOf(await c.call("GET", "/v3/tasks", undefined, { limit: 500 }))).toEqual({
      status: 400,
      code: "SMS.1001",
    });
    expect(errorOf(await c.call("GET", "/v3/tasks", undefined, { state: "NOPE" }))).toEqual({
      status: 400,
      code: "SMS.1001",
    });
  });
});

describe("speed limit, configuration, passphrase", () => {
  test("speed-limit POST then GET", async () => {
    const id = await c.create();
    const get0 = await c.call("GET", `/v3/tasks/${id}/speed-limit`);
    expect(sms.showSpeedLimits.response.parse(get0.json)).toEqual({ speed_limit: [] });
    const limits = [
      { start: "00:00", end: "08:00", speed: 500 },
      { start: "08:00", end: "24:00", speed: 100, over_speed_threshold: 50 },
    ];
    const post = await c.call("POST", `/v3/tasks/${id}/speed-limit`, { speed_limit: limits });
    expect(post.status).toBe(200);
    sms.updateSpeed.response.parse(post.json);
    expect(
      sms.showSpeedLimits.response.parse((await c.call("GET", `/v3/tasks/${id}/speed-limit`)).json),
    ).toEqual({
      speed_limit: limits,
    });
    expect(
      errorOf(
        await c.call("POST", `/v3/tasks/${id}/speed-limit`, {
          speed_limit: [{ start: "9:00", end: "10:00", speed: 1 }],
        }),
      ),
    ).toEqual({
      status: 400,
      code: "SMS.1001",
    });
    expect(
      errorOf(
        await c.call("POST", `/v3/tasks/${id}/speed-limit`, {
          speed_limit: [{ start: "10:00", end: "09:00", speed: 1 }],
        }),
      ),
    ).toEqual({
      status: 400,
      code: "SMS.1001",
    });
  });

  test("configuration-setting upserts by key and filters by config_key", async () => {
    const id = await c.create();
    const post = (configurations: unknown) =>
      c.call("POST", `/v3/tasks/${id}/configuration-setting`, { configurations });
    expect((await post([{ config_key: "EXCLUDE_MIGRATE_PATH", config_value: "/tmp" }])).status).toBe(200);
    expect(
      (
        await post([
          { config_key: "EXCLUDE_MIGRATE_PATH", config_value: "/var/tmp" },
          { config_key: "SYNC_EXCLUDE_PATH", config_value: "/x" },
        ])
      ).status,
    ).toBe(200);
    const all = sms.showConfigSetting.response.parse(
      (await c.call("GET", `/v3/tasks/${id}/configuration-setting`)).json,
    );
    expect(all.migrate_type).toBe("MIGRATE_BLOCK");
    expect(all.configurations.map((x) => [x.config_key, x.config_value])).toEqual([
      ["EXCLUDE_MIGRATE_PATH", "/var/tmp"],
      ["SYNC_EXCLUDE_PATH", "/x"],
    ]);
    const one = sms.showConfigSetting.response.parse(
      (
        await c.call("GET", `/v3/tasks/${id}/configuration-setting`, undefined, {
          config_key: "SYNC_EXCLUDE_PATH",
        })
      ).json,
    );
    expect(one.configurations).toHaveLength(1);
    expect((await c.list()).tasks[0].special_config).toHaveLength(2);
  });

  test("passphrase is random per task and stable", async () => {
    const a = await c.create();
    const b = await c.create({
      source_server: { id: smsDemoIds.sources.web02 },
      target_server: { name: "", vm_id: smsDemoIds.targets.ecsWeb02 },
    });
    const pa = sms.showPassphrase.response.parse(
      (await c.call("GET", `/v3/tasks/${a}/passphrase`)).json,
    ).passphrase;
    const pb = sms.showPassphrase.response.parse(
      (await c.call("GET", `/v3/tasks/${b}/passphrase`)).json,
    ).passphrase;
    expect(pa.length).toBeGreaterThanOrEqual(12);
    expect(pa).not.toBe(pb);
    expect(
      sms.showPassphrase.response.parse((await c.call("GET", `/v3/tasks/${a}/passphrase`)).json).passphrase,
    ).toBe(pa);
  });
});

describe("source servers", () => {
  test("list: demo servers with connected filter (true and false)", async () => {
    const all = sms.listServers.response.parse((await c.call("GET", "/v3/sources")).json);
    expect(all.count).toBe(5);
    expect(all.source_servers.map((s) => s.name).sort()).toEqual([
      "db-01",
      "legacy-01",
      "web-01",
      "web-02",
      "win-app-01",
    ]);
    const off = sms.listServers.response.parse(
      (await c.call("GET", "/v3/sources", undefined, { connected: false })).json,
    );
    expect(off.source_servers.map((s) => s.name)).toEqual(["legacy-01"]);
    const on = sms.listServers.response.parse(
      (await c.call("GET", "/v3/sources", undefined, { connected: true })).json,
    );
    expect(on.count).toBe(4);
    const byName = sms.listServers.response.parse(
      (await c.call("GET", "/v3/sources", undefined, { name: "web" })).json,
    );
    expect(byName.count).toBe(2);
  });

  test("show: disks, current_task, state mirrors the task", async () => {
    let s = await c.source(smsDemoIds.sources.db01);
    expect(s).toMatchObject({
      name: "db-01",
      os_type: "LINUX",
      connected: true,
      state: "waiting",
      current_task: null,
    });
    expect(s.init_target_server?.disks?.map((d) => d.name)).toEqual(["/dev/vda", "/dev/vdb"]);
    const id = await c.create({
      source_server: { id: smsDemoIds.sources.db01 },
      target_server: { name: "", vm_id: smsDemoIds.targets.ecsDb01 },
      auto_start: true,
    });
    s = await c.source(smsDemoIds.sources.db01);
    expect(s.current_task).toMatchObject({ id, name: "web01-migration", state: "RUNNING" });
    expect(s.state).toBe("initialize");
    expect(s.migration_cycle).toBe("replicating");
    const legacy = await c.source(smsDemoIds.sources.legacy01);
    expect(legacy).toMatchObject({ connected: false, state: "unavailable" });
  });

  test("unknown source → 404 SMS.2253", async () => {
    expect(errorOf(await c.call("GET", "/v3/sources/00000000-0000-4000-8000-000000000000"))).toEqual({
      status: 404,
      code: "SMS.2253",
    });
  });

  test("the Windows demo server migrates with Windows sub-tasks", async () => {
    const id = await c.create({
      os_type: "WINDOWS",
      source_server: { id: smsDemoIds.sources.winApp01 },
      target_server: { name: "", vm_id: smsDemoIds.targets.ecsWinApp01 },
      auto_start: true,
    });
    const t = await c.show(id);
    expect(t.sub_tasks?.map((s) => s.name)).toContain("MIGRATE_WINDOWS_BLOCK");
    expect(t.sub_tasks?.map((s) => s.name)).toContain("FORMAT_DISK_WINDOWS");
  });
});
