/**
 * The task state machine of docs/huawei-sms.md, driven over HTTP with emulator time frozen
 * (timeScale 0) and moved only by `advance`, so every state is deterministic.
 */
import type { TaskState } from "../../../sdk/huawei/sms/contract";
import type { Emulator } from "../../server";
import { startEmulator } from "../../server";
import { SmsTestClient, errorOf } from "../../testing/sms";
import { smsDemoIds } from "./demo";

let emu: Emulator;
let c: SmsTestClient;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
  c = new SmsTestClient(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

/** Seeds a task on web-01 in `state` and returns its id. */
function taskIn(
  state: TaskState,
  extra: { syncing?: boolean } = {},
  on: "web01" | "web02" = "web01",
): string {
  const id = `5eed0000-0000-4000-8000-${state.length.toString().padStart(4, "0")}${Math.floor(
    Math.random() * 1e8,
  )
    .toString()
    .padStart(8, "0")}`;
  emu.seed({
    sms: {
      tasks: [
        {
          id,
          source_server_id: on === "web01" ? smsDemoIds.sources.web01 : smsDemoIds.sources.web02,
          target_vm_id: on === "web01" ? smsDemoIds.targets.ecsWeb01 : smsDemoIds.targets.ecsWeb02,
          state,
          ...extra,
        },
      ],
    },
  });
  return id;
}

const ALL_STATES: TaskState[] = [
  "READY",
  "RUNNING",
  "SYNCING",
  "MIGRATE_SUCCESS",
  "SYNC_SUCCESS",
  "MIGRATE_FAIL",
  "SYNC_FAIL",
  "ABORTING",
  "ABORT",
  "SKIPPING",
  "DELETING",
];

/** Allowed source states per operation, and the documented error otherwise. */
const TABLE: Record<string, { from: TaskState[]; to: TaskState | "unchanged"; error: string }> = {
  start: { from: ["READY", "ABORT"], to: "RUNNING", error: "SMS.1039" },
  stop: { from: ["RUNNING", "SYNCING", "READY"], to: "ABORTING", error: "SMS.1038" },
  restart: { from: ["MIGRATE_FAIL", "SYNC_FAIL"], to: "RUNNING", error: "SMS.1040" },
  cutover: { from: ["MIGRATE_SUCCESS", "SYNCING", "SYNC_SUCCESS"], to: "unchanged", error: "SMS.1041" },
  test: { from: ["MIGRATE_SUCCESS", "SYNCING", "SYNC_SUCCESS"], to: "unchanged", error: "SMS.1041" },
  migration_test: {
    from: ["MIGRATE_SUCCESS", "SYNCING", "SYNC_SUCCESS"],
    to: "unchanged",
    error: "SMS.1041",
  },
};

describe("transition table", () => {
  const cases = Object.entries(TABLE).flatMap(([op, row]) =>
    ALL_STATES.map((s) => [op, s, row.from.includes(s)] as const),
  );
  test.each(cases)("%s from %s (allowed: %s)", async (op, state, allowed) => {
    const id = taskIn(state);
    const r = await c.action(id, op);
    const row = TABLE[op];
    if (allowed) {
      expect(r.status).toBe(200);
      const t = await c.show(id);
      expect(t.state).toBe(row.to === "unchanged" ? state : row.to);
    } else {
      expect(errorOf(r)).toEqual({ status: 400, code: row.error });
      expect((await c.show(id)).state).toBe(state);
    }
  });

  test("the documented messages of SMS.1038/1039/1040", async () => {
    const running = taskIn("RUNNING");
    expect((await c.action(running, "start")).json).toMatchObject({
      error_code: "SMS.1039",
      error_msg: "Only paused tasks can be resumed",
    });
    expect((await c.action(running, "restart")).json).toMatchObject({
      error_code: "SMS.1040",
      error_msg: "Only migration tasks that fail to be created or migrated can be restarted",
    });
    const ok = taskIn("MIGRATE_SUCCESS", {}, "web02");
    expect((await c.action(ok, "stop")).json).toMatchObject({
      error_code: "SMS.1038",
      error_msg: "Only the tasks that are created or monitored can be paused",
    });
  });
});

describe("lifecycles", () => {
  test("create → READY; start → RUNNING → MIGRATE_SUCCESS after the replication time", async () => {
    const id = await c.create();
    let t = await c.show(id);
    expect(t).toMatchObject({
      state: "READY",
      priority: 1,
      start_target_server: true,
      start_date: null,
      sub_tasks: [],
    });
    expect(t.source_server).toMatchObject({ state: "waiting", migration_cycle: "setting" });

    expect((await c.action(id, "start")).status).toBe(200);
    t = await c.show(id);
    expect(t.state).toBe("RUNNING");
    expect(t.source_server).toMatchObject({ state: "initialize", migration_cycle: "replicating" });
    expect(t.sub_tasks?.map((s) => s.name)).toEqual([
      "SSL_CONFIG",
      "ATTACH_AGENT_IMAGE",
      "FORMAT_DISK_LINUX",
      "MIGRATE_LINUX_BLOCK",
      "CONFIGURE_LINUX_BLOCK",
      "DETACH_AGENT_IMAGE",
    ]);
    expect(t.remain_seconds).toBe(60);

    emu.advance(30);
    t = await c.show(id);
    expect(t.state).toBe("RUNNING");
    expect(t.source_server).toMatchObject({ state: "replicate", migration_cycle: "replicating" });
    const migrate = t.sub_tasks?.find((s) => s.name === "MIGRATE_LINUX_BLOCK");
    expect(migrate?.progress).toBeGreaterThan(0);
    expect(migrate?.progress).toBeLessThan(100);
    // SSL_CONFIG, ATTACH_AGENT_IMAGE and FORMAT_DISK take 15/90 of the 60 s.
    expect(migrate?.start_date).toBe((t.start_date ?? 0) + 10_000);
    expect(t.migrate_speed).toBeGreaterThan(0);
    expect(t.remain_seconds).toBe(30);
    expect(t.estimate_complete_time).toBe(emu.now().getTime() + 30_000);
    expect(t.total_time).toBe(30);

    emu.advance(30);
    t = await c.show(id);
    expect(t.state).toBe("MIGRATE_SUCCESS");
    expect(t.finish_date).toBe((t.start_date ?? 0) + 60_000);
    expect(t.sub_tasks?.every((s) => s.progress === 100 && s.end_date !== null)).toBe(true);
    expect(t.migrate_speed).toBe(0);
    expect(t.remain_seconds).toBe(0);
    expect(t.source_server).toMatchObject({ state: "finished", migration_cycle: "ready_for_test" });
  });

  test("auto_start creates the task RUNNING", async () => {
    const id = await c.create({ auto_start: true });
    expect((await c.show(id)).state).toBe("RUNNING");
  });

  test("syncing tasks go RUNNING → SYNCING and stay there", async () => {
    const id = await c.create({ auto_start: true, syncing: true });
    emu.advance(61);
    const t = await c.show(id);
    expect(t.state).toBe("SYNCING");
    expect(t.source_server).toMatchObject({ state: "syncing", migration_cycle: "syncing" });
    expect(t.sub_tasks?.at(-1)).toMatchObject({ name: "SYNC_LINUX_BLOCK", progress: 100 });
    emu.advance(3600);
    expect((await c.show(id)).state).toBe("SYNCING");
  });

  test("stop → ABORTING → ABORT keeps progress; start resumes where it stopped", async () => {
    const id = await c.create({ auto_start: true });
    emu.advance(30);
    expect((await c.action(id, "stop")).status).toBe(200);
    let t = await c.show(id);
    expect(t.state).toBe("ABORTING");
    expect(t.source_server?.state).toBe("stopping");
    emu.advance(3);
    t = await c.show(id);
    expect(t.state).toBe("ABORT");
    expect(t.source_server?.state).toBe("stopped");
    const progress = t.sub_tasks?.map((s) => s.progress);
    emu.advance(600);
    expect((await c.show(id)).sub_tasks?.map((s) => s.progress)).toEqual(progress);

    expect((await c.action(id, "start")).status).toBe(200);
    expect((await c.show(id)).state).toBe("RUNNING");
    emu.advance(29);
    expect((await c.show(id)).state).toBe("RUNNING");
    emu.advance(1);
    expect((await c.show(id)).state).toBe("MIGRATE_SUCCESS");
  });

  test("restart after a failure starts over", async () => {
    const id = await c.create({ auto_start: true });
    emu.advance(40);
    emu.forceState({ service: "sms", kind: "task", id, state: "MIGRATE_FAIL" });
    let t = await c.show(id);
    expect(t.state).toBe("MIGRATE_FAIL");
    expect(t.source_server?.state).toBe("error");
    expect(JSON.parse(t.error_json ?? "{}")).toHaveProperty("error_code");
    const oldIds = t.sub_tasks?.map((s) => s.id);
    expect((await c.action(id, "restart")).status).toBe(200);
    t = await c.show(id);
    expect(t.state).toBe("RUNNING");
    expect(t.error_json).toBe("");
    expect(t.sub_tasks?.every((s) => s.progress === 0)).toBe(true);
    expect(t.sub_tasks?.map((s) => s.id)).not.toEqual(oldIds);
    emu.advance(60);
    expect((await c.show(id)).state).toBe("MIGRATE_SUCCESS");
  });

  test("cutover: source cutovering → finished/cutovered, task MIGRATE_SUCCESS (also from SYNCING)", async () => {
    const id = await c.create({ auto_start: true, syncing: true });
    emu.advance(60);
    expect((await c.action(id, "cutover")).status).toBe(200);
    let t = await c.show(id);
    expect(t.state).toBe("SYNCING");
    expect(t.source_server).toMatchObject({ state: "cutovering", migration_cycle: "cutovering" });
    expect(errorOf(await c.call("DELETE", `/v3/tasks/${id}`))).toEqual({ status: 400, code: "SMS.2015" });
    emu.advance(5);
    t = await c.show(id);
    expect(t.state).toBe("MIGRATE_SUCCESS");
    expect(t.finish_date).toBe(emu.now().getTime());
    expect(t.source_server).toMatchObject({ state: "finished", migration_cycle: "cutovered" });
    expect(errorOf(await c.action(id, "cutover"))).toEqual({ status: 400, code: "SMS.1041" });
  });

  test("test / clone_test: clone_server PREPARING → CREATING → FINISHED", async () => {
    const id = await c.create({ auto_start: true });
    expect(errorOf(await c.action(id, "test"))).toEqual({ status: 400, code: "SMS.1041" });
    emu.advance(60);
    expect(errorOf(await c.action(id, "clone_test"))).toEqual({ status: 400, code: "SMS.1001" });
    expect(errorOf(await c.action(id, "clone_test", { template_id: "nope" }))).toEqual({
      status: 400,
      code: "SMS.2220",
    });
    expect((await c.action(id, "clone_test", { template_id: smsDemoIds.templates.linux })).status).toBe(200);
    let t = await c.show(id);
    expect(t.clone_server?.clone_state).toBe("PREPARING");
    expect(t.source_server).toMatchObject({ state: "cloning", migration_cycle: "testing" });
    expect(errorOf(await c.call("DELETE", `/v3/tasks/${id}`))).toEqual({ status: 400, code: "SMS.2015" });
    emu.advance(5);
    expect((await c.show(id)).clone_server?.clone_state).toBe("CREATING");
    emu.advance(5);
    t = await c.show(id);
    expect(t.clone_server?.clone_state).toBe("FINISHED");
    expect(t.clone_server?.vm_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.source_server).toMatchObject({ state: "finished", migration_cycle: "tested" });
    expect((await c.action(id, "test")).status).toBe(200);
  });

  test("migration_test: source premigready → premiging → premiged", async () => {
    const id = await c.create({ auto_start: true });
    emu.advance(60);
    expect((await c.action(id, "migration_test")).status).toBe(200);
    expect((await c.show(id)).source_server?.state).toBe("premigready");
    emu.advance(2);
    expect((await c.show(id)).source_server?.state).toBe("premiging");
    emu.advance(8);
    expect((await c.show(id)).source_server).toMatchObject({ state: "premiged", migration_cycle: "tested" });
  });

  test("skip during the consistency check: SKIPPING → next state", async () => {
    const id = await c.create({ auto_start: true, is_need_consistency_check: true });
    expect(errorOf(await c.action(id, "skip"))).toEqual({ status: 400, code: "SMS.1041" });
    emu.advance(60);
    let t = await c.show(id);
    expect(t.state).toBe("RUNNING");
    expect(t.source_server?.migration_cycle).toBe("checking");
    expect(t.sub_tasks?.at(-1)?.name).toBe("CONSISTENCY_CHECK");
    expect((await c.action(id, "skip")).status).toBe(200);
    t = await c.show(id);
    expect(t.state).toBe("SKIPPING");
    expect(t.source_server?.state).toBe("skipping");
    emu.advance(2);
    expect((await c.show(id)).state).toBe("MIGRATE_SUCCESS");
  });

  test("without skip the consistency check ends by itself", async () => {
    const id = await c.create({ auto_start: true, is_need_consistency_check: true });
    emu.advance(64);
    expect((await c.show(id)).state).toBe("RUNNING");
    emu.advance(1);
    const t = await c.show(id);
    expect(t.state).toBe("MIGRATE_SUCCESS");
    expect(t.sub_tasks?.at(-1)).toMatchObject({ name: "CONSISTENCY_CHECK", progress: 100 });
  });

  test("clear on a finished task: clearing → cleared", async () => {
    const id = await c.create({ auto_start: true });
    expect(errorOf(await c.action(id, "clear"))).toEqual({ status: 400, code: "SMS.1041" });
    emu.advance(60);
    expect((await c.action(id, "cutover")).status).toBe(200);
    emu.advance(5);
    expect((await c.action(id, "clear")).status).toBe(200);
    expect((await c.show(id)).source_server?.state).toBe("clearing");
    emu.advance(3);
    expect((await c.show(id)).source_server).toMatchObject({
      state: "cleared",
      migration_cycle: "cutovered",
    });
  });

  test("network_check fills network_check_info without a state change", async () => {
    const id = await c.create();
    expect((await c.show(id)).network_check_info).toBeNull();
    expect((await c.action(id, "network_check")).status).toBe(200);
    const t = await c.show(id);
    expect(t.state).toBe("READY");
    expect(t.network_check_info).toMatchObject({ domain_connectivity: true, destination_connectivity: true });
    expect(t.network_check_info?.network_delay).toBeGreaterThan(0);
  });

  test("a template-based task gets its target server when CREATE_CLOUD_SERVER finishes", async () => {
    const id = await c.create({
      vm_template_id: smsDemoIds.templates.linux,
      target_server: { name: "", vm_id: "" },
      auto_start: true,
    });
    let t = await c.show(id);
    expect(t.sub_tasks?.[0]?.name).toBe("CREATE_CLOUD_SERVER");
    expect(t.target_server?.vm_id).toBe("");
    emu.advance(7);
    t = await c.show(id);
    expect(t.target_server?.vm_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.target_server?.ip).toMatch(/^192\.168\.20\./);
    expect(t.migration_ip).toBe(t.target_server?.ip);
  });

  test("error_for_overspeed pauses with an error", async () => {
    const id = await c.create({ auto_start: true });
    expect((await c.action(id, "error_for_overspeed")).status).toBe(200);
    emu.advance(3);
    const t = await c.show(id);
    expect(t.state).toBe("ABORT");
    expect(t.error_json).toContain("exceeded");
  });
});

describe("delete", () => {
  test("READY task: DELETING → gone (404) after the delete time, source freed", async () => {
    const id = await c.create();
    const r = await c.call("DELETE", `/v3/tasks/${id}`);
    expect(r.status).toBe(200);
    let t = await c.show(id);
    expect(t.state).toBe("DELETING");
    expect(t.source_server?.state).toBe("deleting");
    emu.advance(2);
    expect((await c.show(id)).state).toBe("DELETING");
    emu.advance(1);
    const gone = await c.call("GET", `/v3/tasks/${id}`);
    expect(errorOf(gone)).toEqual({ status: 404, code: "SMS.2252" });
    const src = await c.source(smsDemoIds.sources.web01);
    expect(src).toMatchObject({ state: "waiting", migration_cycle: "no_ready", current_task: null });
    // The source can take a new task now.
    await c.create();
    t = (await c.list()).tasks[0];
    expect(t.state).toBe("READY");
  });

  test.each([
    ["RUNNING", "replicate"],
    ["SYNCING", "syncing"],
    ["ABORTING", "stopping"],
    ["DELETING", "deleting"],
    ["SKIPPING", "skipping"],
  ] as const)("refused with SMS.2015 while %s (source %s)", async (state, sourceState) => {
    // Timed states are forced after the clock moved past the initialize sub-tasks of RUNNING.
    const timed = state === "ABORTING" || state === "DELETING" || state === "SKIPPING";
    const id = taskIn(timed ? "READY" : state);
    emu.advance(10);
    if (timed) emu.forceState({ service: "sms", kind: "task", id, state });
    expect((await c.show(id)).source_server?.state).toBe(sourceState);
    const r = await c.call("DELETE", `/v3/tasks/${id}`);
    expect(errorOf(r)).toEqual({ status: 400, code: "SMS.2015" });
    expect((r.json as { error_msg: string }).error_msg).toBe("Cannot delete running or stopping tasks");
  });

  test.each(["ABORT", "MIGRATE_SUCCESS", "MIGRATE_FAIL", "SYNC_FAIL"] as const)(
    "allowed from %s",
    async (state) => {
      const id = taskIn(state);
      expect((await c.call("DELETE", `/v3/tasks/${id}`)).status).toBe(200);
    },
  );

  test("a busy task can be deleted once its Agent is disconnected", async () => {
    const id = taskIn("RUNNING");
    emu.forceState({ service: "sms", kind: "source", id: smsDemoIds.sources.web01, connected: false });
    expect((await c.call("DELETE", `/v3/tasks/${id}`)).status).toBe(200);
  });

  test("batch delete is all or nothing", async () => {
    const a = taskIn("READY");
    emu.seed({
      sms: {
        tasks: [
          {
            id: "5eed0000-0000-4000-8000-00000000b0b0",
            source_server_id: smsDemoIds.sources.web02,
            target_vm_id: smsDemoIds.targets.ecsWeb02,
            state: "RUNNING",
          },
        ],
      },
    });
    const refused = await c.call("POST", "/v3/tasks/delete", {
      ids: [a, "5eed0000-0000-4000-8000-00000000b0b0"],
    });
    expect(errorOf(refused)).toEqual({ status: 400, code: "SMS.2015" });
    expect((await c.show(a)).state).toBe("READY");
    expect((await c.call("POST", "/v3/tasks/delete", { ids: [a] })).status).toBe(200);
    expect((await c.show(a)).state).toBe("DELETING");
  });

  test("unknown task ids answer 404 SMS.2252 on every task operation", async () => {
    const id = "00000000-0000-4000-8000-000000000404";
    for (const [m, p, b] of [
      ["GET", `/v3/tasks/${id}`, undefined],
      ["PUT", `/v3/tasks/${id}`, { name: "x" }],
      ["DELETE", `/v3/tasks/${id}`, undefined],
      ["POST", `/v3/tasks/${id}/action`, { operation: "start" }],
      ["GET", `/v3/tasks/${id}/speed-limit`, undefined],
      ["GET", `/v3/tasks/${id}/passphrase`, undefined],
    ] as const) {
      expect(errorOf(await c.call(m, p, b))).toEqual({ status: 404, code: "SMS.2252" });
    }
  });
});
