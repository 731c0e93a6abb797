/**
 * Every example request of the seed documents is accepted, and each answer parses with the
 * contract's response schema: evidence neither the client nor the emulator wrote.
 */
import { sms } from "../../../sdk/huawei/sms/contract";
import type { Emulator } from "../../server";
import { startEmulator } from "../../server";
import { huaweiCall } from "../../testing/huawei-http";
import { SmsTestClient } from "../../testing/sms";
import { emulatorDefaults } from "../../defaults";
import { smsDemoIds } from "./demo";
import {
  ACTION_EXAMPLES_002,
  ACTION_EXAMPLE_TASK_ID,
  ACTION_EXAMPLE_TEMPLATE_ID,
  PUT_EXAMPLE_001,
  PUT_EXAMPLE_003,
  PUT_EXAMPLE_TASK_ID,
} from "./fixtures/seed-examples";

let emu: Emulator;
let c: SmsTestClient;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
  c = new SmsTestClient(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("the UpdateTask documents: PUT /v3/tasks/{task_id} examples", () => {
  test.each([
    ["001", PUT_EXAMPLE_001],
    ["003", PUT_EXAMPLE_003],
  ])("the example body of %s is accepted and only PutTaskReq fields apply", async (_doc, body) => {
    emu.seed({
      sms: {
        tasks: [
          {
            id: PUT_EXAMPLE_TASK_ID,
            name: "before",
            source_server_id: smsDemoIds.sources.winApp01,
            target_vm_id: smsDemoIds.targets.ecsWinApp01,
          },
        ],
      },
    });
    const before = await c.show(PUT_EXAMPLE_TASK_ID);
    const example = JSON.parse(body) as Record<string, unknown>;

    const r = await huaweiCall(emu.url, { method: "PUT", path: `/v3/tasks/${PUT_EXAMPLE_TASK_ID}`, body });
    expect(r.status).toBe(200);
    expect(sms.updateTask.response.parse(r.json)).toEqual({ id: PUT_EXAMPLE_TASK_ID });

    const after = await c.show(PUT_EXAMPLE_TASK_ID);
    // PutTaskReq fields take effect...
    expect(after.name).toBe("MigrationTask");
    expect(after.type).toBe("MIGRATE_BLOCK");
    expect(after.region_name).toBe("region name");
    expect(after.region_id).toBe("region id");
    expect(after.project_name).toBe("project name");
    expect(after.project_id).toBe(example.project_id);
    expect(after.vm_template_id).toBe(example.vm_template_id);
    expect(after.speed_limit).toBe(0);
    expect(after.target_server?.disks?.[0]?.name).toBe("Disk 1");
    // ...the rest of the read model it carries does not.
    expect(after.state).toBe("READY");
    expect(after.create_date).toBe(before.create_date);
    expect(after.start_date).toBeNull();
    expect(after.sub_tasks).toEqual([]);
    expect(after.source_server?.id).toBe(smsDemoIds.sources.winApp01);
    expect(after.target_server?.vm_id).toBe(smsDemoIds.targets.ecsWinApp01);
    expect(after.migration_ip).toBe(before.migration_ip);
  });
});

describe("the task-action document: POST /v3/tasks/{task_id}/action examples", () => {
  let token: string;

  beforeEach(async () => {
    // The document authenticates with X-Auth-Token, so these calls do too.
    const r = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/auth/tokens",
      auth: "none",
      projectId: false,
      body: {
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
      },
    });
    expect(r.status).toBe(201);
    token = String(r.headers["x-subject-token"]);
    emu.seed({
      sms: {
        templates: [{ id: ACTION_EXAMPLE_TEMPLATE_ID, name: "doc-example-template" }],
        tasks: [
          {
            id: ACTION_EXAMPLE_TASK_ID,
            source_server_id: smsDemoIds.sources.web01,
            target_vm_id: smsDemoIds.targets.ecsWeb01,
            is_need_consistency_check: true,
          },
        ],
      },
    });
  });

  const send = (body: string) =>
    huaweiCall(emu.url, {
      method: "POST",
      path: `/v3/tasks/${ACTION_EXAMPLE_TASK_ID}/action`,
      body,
      auth: { token },
      projectId: false,
    });

  const force = (state: string) =>
    emu.forceState({ service: "sms", kind: "task", id: ACTION_EXAMPLE_TASK_ID, state: state as "READY" });

  /** Puts the example task where each documented operation is valid. */
  const preconditions: Record<string, () => Promise<void> | void> = {
    clone_test: () => force("MIGRATE_SUCCESS"),
    test: () => force("MIGRATE_SUCCESS"),
    start: () => force("READY"),
    stop: () => force("RUNNING"),
    restart: () => force("MIGRATE_FAIL"),
    clear: async () => {
      force("MIGRATE_SUCCESS");
      expect((await c.action(ACTION_EXAMPLE_TASK_ID, "cutover")).status).toBe(200);
      emu.advance(10);
    },
    skip: () => {
      force("RUNNING");
      emu.advance(61); // replication done, consistency check running
    },
    migration_test: () => force("MIGRATE_SUCCESS"),
  };

  const expected: Record<string, (t: Awaited<ReturnType<SmsTestClient["show"]>>) => void> = {
    clone_test: (t) => expect(t.clone_server?.clone_state).toBe("PREPARING"),
    test: (t) => expect(t.source_server?.state).toBe("cloning"),
    start: (t) => expect(t.state).toBe("RUNNING"),
    stop: (t) => expect(t.state).toBe("ABORTING"),
    restart: (t) => expect(t.state).toBe("RUNNING"),
    clear: (t) => expect(t.source_server?.state).toBe("clearing"),
    skip: (t) => expect(t.state).toBe("SKIPPING"),
    migration_test: (t) => expect(t.source_server?.state).toBe("premigready"),
  };

  test("the document lists eight examples", () => {
    expect(ACTION_EXAMPLES_002.map((b) => (JSON.parse(b) as { operation: string }).operation)).toEqual([
      "clone_test",
      "test",
      "start",
      "stop",
      "restart",
      "clear",
      "skip",
      "migration_test",
    ]);
  });

  test.each(ACTION_EXAMPLES_002.map((b) => [(JSON.parse(b) as { operation: string }).operation, b]))(
    "example %s is accepted and answers the documented shape",
    async (operation, body) => {
      await preconditions[operation]();
      const r = await send(body);
      expect({ status: r.status, body: r.json }).toEqual({ status: 200, body: {} });
      expect(sms.updateTaskStatus.response.safeParse(r.json).success).toBe(true);
      expected[operation](await c.show(ACTION_EXAMPLE_TASK_ID));
    },
  );
});
