/**
 * The DCS module on the wire: lifecycle of docs/huawei-dcs.md with the clock advanced by hand,
 * project scoping, DCS.4133 for unknown and deleted tasks, the deleted task's lingering detail,
 * and the ListMigrationTasks document's example.
 */
import { dcs } from "../../../sdk/huawei/dcs/contract";
import { emulatorDefaults } from "../../defaults";
import type { Emulator } from "../../server";
import { startEmulator } from "../../server";
import { huaweiCall } from "../../testing/huawei-http";
import type { HuaweiReply } from "../../testing/huawei-http";
import { dcsDemoIds } from "./demo";

const P = emulatorDefaults.projectId;
let emu: Emulator;

const call = (method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown, project: string = P) =>
  huaweiCall(emu.url, { method, path: `/v2/${project}${path}`, body, projectId: project });
const err = (r: HuaweiReply) => [r.status, (r.json as { error_code?: string } | undefined)?.error_code];
const show = async (id: string) =>
  dcs.showMigrationTask.response.parse((await call("GET", `/migration-task/${id}`)).json);

const network = {
  vpc_id: dcsDemoIds.vpcId,
  subnet_id: dcsDemoIds.subnetId,
  security_group_id: dcsDemoIds.securityGroupId,
};
const configureBody = (sourcePassword: string = dcsDemoIds.passwords.selfBuilt) => ({
  migration_method: "incremental_migration",
  resume_mode: "auto",
  bandwidth_limit_mb: "100",
  source_instance: { addrs: dcsDemoIds.selfBuiltAddress, password: sourcePassword },
  target_instance: { id: dcsDemoIds.instances.target, password: dcsDemoIds.passwords.target },
});

async function createOnline(name = "sessions-to-dcs"): Promise<{ id: string; jobId: string }> {
  const r = await call("POST", "/migration/instance", { name, ...network });
  expect(r.status).toBe(200);
  const res = dcs.createOnlineMigrationTask.response.parse(r.json);
  return { id: res.instance_id, jobId: res.job_id as string };
}

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

describe("online migration lifecycle", () => {
  test("create job → RUNNING (waiting to be configured) → FULLMIGRATING → INCRMIGEATING → stop → TERMINATED → restart", async () => {
    const { id, jobId } = await createOnline();
    const job = async () => dcs.showJobInfo.response.parse((await call("GET", `/jobs/${jobId}`)).json).status;
    expect(await job()).toBe("RUNNING");
    expect((await show(id)).status).toBe("RUNNING");
    expect((await show(id)).ecs_tenant_private_ip).toBeNull();
    // Configuring before the ECS exists is refused.
    expect(err(await call("POST", `/migration/${id}/task`, configureBody()))).toEqual([400, "DCS.4975"]);

    emu.advance(10);
    expect(await job()).toBe("SUCCESS");
    expect((await show(id)).ecs_tenant_private_ip).toMatch(/^192\.168\.0\.\d+$/);
    const conf = await call("POST", `/migration/${id}/task`, configureBody());
    expect(dcs.setOnlineMigrationTask.response.parse(conf.json)).toMatchObject({
      id,
      status: "FULLMIGRATING",
    });

    emu.advance(2 + 15);
    const mid = dcs.showMigrationTaskStats.response.parse(
      (await call("GET", `/migration-task/${id}/stats`)).json,
    );
    expect(mid.full_migration_progress).toBe("50");
    expect(mid.is_migrating).toBe(true);
    // Reconfiguring while data moves is refused.
    expect(err(await call("POST", `/migration/${id}/task`, configureBody()))).toEqual([400, "DCS.4026"]);

    emu.advance(15);
    const t = await show(id);
    expect(t.status).toBe("INCRMIGEATING");
    expect(t.bandwidth_limit_mb).toBe("100");
    expect(t.source_instance?.addrs).toBe(dcsDemoIds.selfBuiltAddress);
    expect(t.source_instance?.password ?? null).toBeNull();

    const stopped = await call("POST", `/migration-task/${id}/stop`);
    expect(dcs.stopMigrationTask.response.parse(stopped.json).status).toBe("TERMINATING");
    emu.advance(3);
    expect((await show(id)).status).toBe("TERMINATED");

    const restart = await call("POST", "/migration-tasks/batch-restart", {
      migration_tasks: [id, "no-such-task"],
    });
    expect(dcs.batchRestartOnlineMigrationTasks.response.parse(restart.json).migration_tasks).toEqual([
      { result: "success", task_id: id, error_code: null, error_msg: null },
      expect.objectContaining({ result: "failed", task_id: "no-such-task", error_code: "DCS.4133" }),
    ]);
    expect((await show(id)).status).toBe("FULLMIGRATING");
  });

  test("a wrong password ends in MIGRATION_FAILED with a message that never holds a password", async () => {
    const { id } = await createOnline();
    emu.advance(10);
    await call("POST", `/migration/${id}/task`, configureBody("Wrong-Passw0rd"));
    emu.advance(2);
    expect((await show(id)).status).toBe("MIGRATION_FAILED");
    const list = dcs.listMigrationTask.response.parse((await call("GET", "/migration-tasks")).json);
    expect(list.migration_tasks[0].error_message).toMatch(/WRONGPASS/);
    const logs = await call("GET", `/migration-task/${id}/logs`);
    expect(
      dcs.listMigrationTaskLogs.response.parse(logs.json).migration_logs.some((l) => l.log_level === "ERROR"),
    ).toBe(true);
    const everything = JSON.stringify([emu.state(), emu.requests(), list, logs.json]);
    expect(everything).not.toContain("Wrong-Passw0rd");
    expect(everything).not.toContain(dcsDemoIds.passwords.target);
  });

  test("IP switch: EXCHANGING → EXCHANGE_SUCCESS, then ROLLBACKING → ROLLBACK_SUCCESS; refused before the full migration", async () => {
    const { id } = await createOnline();
    emu.advance(10);
    await call("POST", `/migration/${id}/task`, configureBody());
    const body = { exchanged_ip: ["192.168.0.200", "192.168.0.153"], is_exchange_domain: false };
    expect(err(await call("POST", `/migration-task/${id}/exchange-ip`, body))).toEqual([400, "DCS.4026"]);
    emu.advance(40);
    expect((await call("POST", `/migration-task/${id}/exchange-ip`, body)).status).toBe(200);
    expect((await show(id)).task_status).toBe("EXCHANGING");
    emu.advance(3);
    expect((await show(id)).task_status).toBe("EXCHANGE_SUCCESS");
    expect((await call("POST", `/migration-task/${id}/rollback-ip`)).status).toBe(200);
    expect((await show(id)).task_status).toBe("ROLLBACKING");
    emu.advance(3);
    expect((await show(id)).task_status).toBe("ROLLBACK_SUCCESS");
  });

  test("an unknown network fails the job and the task", async () => {
    const r = await call("POST", "/migration/instance", {
      name: "bad-net",
      ...network,
      vpc_id: "no-such-vpc",
    });
    const { instance_id: id, job_id: jobId } = dcs.createOnlineMigrationTask.response.parse(r.json);
    emu.advance(10);
    const job = dcs.showJobInfo.response.parse((await call("GET", `/jobs/${jobId}`)).json);
    expect(job).toMatchObject({ status: "FAIL", fail_reason: expect.stringMatching(/no-such-vpc/) });
    expect((await show(id)).status).toBe("FAILED");
  });
});

describe("not found, delete and project scoping", () => {
  test("unknown tasks answer HTTP 400 DCS.4133 on every task call", async () => {
    for (const [m, p] of [
      ["GET", "/migration-task/nope"],
      ["GET", "/migration-task/nope/stats"],
      ["POST", "/migration-task/nope/stop"],
      ["POST", "/migration-task/nope/rollback-ip"],
    ] as const) {
      const r = await call(m, p);
      expect(err(r)).toEqual([400, "DCS.4133"]);
      expect(r.json).toHaveProperty("error_ext_msg", null);
    }
  });

  test("a delete refuses a migrating task; a deleted task leaves the list while its detail answers SUCCESS, then DCS.4133", async () => {
    const { id } = await createOnline();
    emu.advance(10);
    await call("POST", `/migration/${id}/task`, configureBody());
    emu.advance(40);
    const del = () => call("DELETE", "/migration-tasks/delete", { task_id_list: [id] });
    expect(err(await del())).toEqual([400, "DCS.4026"]);
    await call("POST", `/migration-task/${id}/stop`);
    emu.advance(3);
    const ok = await del();
    expect(ok.status).toBe(200);
    expect(dcs.deleteMigrationTask.response.parse(ok.json)).toEqual({ task_id_list: [id] });
    const list = dcs.listMigrationTask.response.parse((await call("GET", "/migration-tasks")).json);
    expect(list.migration_tasks.map((t) => t.task_id)).not.toContain(id);
    expect((await show(id)).status).toBe("SUCCESS");
    expect(err(await call("GET", `/migration-task/${id}/stats`))).toEqual([400, "DCS.4133"]);
    emu.advance(60);
    expect(err(await call("GET", `/migration-task/${id}`))).toEqual([400, "DCS.4133"]);
  });

  test("the path's project must be the credential's project", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: `/v2/${"f".repeat(32)}/migration-tasks`,
      projectId: P,
    });
    expect(err(r)).toEqual([403, "APIGW.0302"]);
    const none = await huaweiCall(emu.url, {
      method: "GET",
      path: `/v2/${P}/migration-tasks`,
      projectId: false,
    });
    expect(err(none)).toEqual([403, "APIGW.0302"]);
  });

  test("tasks of one project are invisible from another project of the account", async () => {
    const { id } = await createOnline();
    const other = "666486c2d9b948c1bbea57e714d744fa";
    expect(err(await call("GET", `/migration-task/${id}`, undefined, other))).toEqual([400, "DCS.4133"]);
  });
});

describe("backup-file import", () => {
  const body = (files: string[]) => ({
    task_name: "sessions-import",
    migration_type: "backupfile_import",
    migration_method: "full_amount_migration",
    backup_files: {
      file_source: "self_build_obs",
      bucket_name: dcsDemoIds.bucket,
      files: files.map((f) => ({ file_name: f })),
    },
    target_instance: { id: dcsDemoIds.instances.target, password: dcsDemoIds.passwords.target },
  });

  test("MIGRATING → SUCCESS; a missing file → FAILED with a message", async () => {
    const ok = dcs.createMigrationTask.response.parse(
      (await call("POST", "/migration-task", body([dcsDemoIds.backupFile]))).json,
    );
    expect(ok.status).toBe("MIGRATING");
    const bad = dcs.createMigrationTask.response.parse(
      (await call("POST", "/migration-task", body(["missing.rdb"]))).json,
    );
    emu.advance(40);
    expect((await show(ok.id)).status).toBe("SUCCESS");
    expect((await show(ok.id)).backup_files?.bucket_name).toBe(dcsDemoIds.bucket);
    expect((await show(bad.id)).status).toBe("FAILED");
    const list = dcs.listMigrationTask.response.parse((await call("GET", "/migration-tasks")).json);
    expect(list.migration_tasks.find((t) => t.task_id === bad.id)?.error_message).toMatch(/missing\.rdb/);
    expect(list.migration_tasks.find((t) => t.task_id === ok.id)?.data_source).toBe(dcsDemoIds.bucket);
  });

  test("the backup_record source needs backup_id (contract)", async () => {
    const r = await call("POST", "/migration-task", {
      ...body([dcsDemoIds.backupFile]),
      backup_files: { file_source: "backup_record", files: [{ file_name: "x.rdb" }] },
    });
    expect(err(r)).toEqual([400, "DCS.4000"]);
    expect((r.json as { error_msg: string }).error_msg).toMatch(/backup_id/);
  });
});

describe("the ListMigrationTasks document's example", () => {
  // The documented example response, verbatim.
  const documented = {
    task_id: "2944a563-6f27-4604-9c16-a9a53cd95cc7",
    task_name: "dcs-migration-test-6-16",
    status: "TERMINATED",
    migration_type: "online_migration",
    migration_method: "incremental_migration",
    data_source: "192.168.0.200:6379",
    source_instance_name: "migration-resource",
    source_instance_id: "132e0017-715b-4556-930a-95c7db7e8f7a",
    target_instance_addrs: "192.168.0.153:6379",
    target_instance_name: "migration-target",
    target_instance_id: "eb1a8d1c-9ea6-4fcd-ac43-c3d3c2493f06",
    created_at: "2021-06-16T06:12:55.508Z",
    description: "dcs-test",
    source_instance_status: "RUNNING",
    target_instance_status: "RUNNING",
    source_instance_subnet_id: "192.168.0.1",
    target_instance_subnet_id: "192.168.0.2",
    source_instance_spec_code: "redis.single.xu1.tiny.128",
    target_instance_spec_code: "redis.single.xu1.tiny.128",
    error_message: null,
    released_at: "202404011057",
    version: "6.0.21",
    resume_mode: "auto",
    supported_features: [],
  };

  test("the example request answers with exactly the documented keys and types", async () => {
    const project = "666486c2d9b948c1bbea57e714d744fa";
    emu.seed({
      dcs: {
        instances: [
          {
            id: documented.source_instance_id,
            name: "migration-resource",
            project_id: project,
            ip: "192.168.0.200",
            subnet_id: "192.168.0.1",
            spec_code: documented.source_instance_spec_code,
          },
          {
            id: documented.target_instance_id,
            name: "migration-target",
            project_id: project,
            ip: "192.168.0.153",
            subnet_id: "192.168.0.2",
            spec_code: documented.target_instance_spec_code,
          },
        ],
        tasks: [
          {
            id: documented.task_id,
            project_id: project,
            // The example filters on a name the example answer does not carry; the emulator's
            // name filter is a substring match, so the task is named to match it.
            name: "dcs-migration-i9qk",
            description: "dcs-test",
            source_instance_id: documented.source_instance_id,
            target_instance_id: documented.target_instance_id,
            created_at: documented.created_at,
          },
        ],
      },
    });
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: `/v2/${project}/migration-tasks?offset=0&limit=10&name=dcs-migration-i9qk`,
      projectId: project,
    });
    expect(r.status).toBe(200);
    const body = r.json as { count: number; migration_tasks: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(["count", "migration_tasks"]);
    expect(body.count).toBe(1);
    const item = body.migration_tasks[0];
    // Table 4 (MigrationTaskList) documents every key of the example plus ecs_tenant_private_ip,
    // which the example happens to leave out.
    expect(Object.keys(item).sort()).toEqual([...Object.keys(documented), "ecs_tenant_private_ip"].sort());
    const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
    for (const [k, v] of Object.entries(documented)) {
      if (k === "released_at") continue; // null until the ECS is released; a string then
      expect([k, kind(item[k])]).toEqual([k, kind(v)]);
    }
    expect(item).toMatchObject({
      task_id: documented.task_id,
      status: "TERMINATED",
      data_source: "192.168.0.200:6379",
      target_instance_addrs: "192.168.0.153:6379",
      created_at: documented.created_at,
    });
    expect(dcs.listMigrationTask.response.safeParse(r.json).success).toBe(true);
  });
});
