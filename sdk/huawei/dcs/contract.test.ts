import type { z } from "zod";
import type { RestOperation } from "../../core/contract";
import {
  BandwidthLimitMb,
  CreateMigrationTaskBody,
  DCS_SETTLED_STATUSES,
  DcsTaskStatus,
  MigrationTask,
  MigrationTaskStats,
  SetOnlineMigrationTaskBody,
  dcs,
} from "./contract";

/**
 * The example response of the ListMigrationTasks document, verbatim: `error_message` is an
 * explicit null, `released_at` a compact timestamp, `supported_features` empty.
 */
const SEED_004_LIST_RESPONSE = `{
  "count" : 1,
  "migration_tasks" : [ {
    "task_id" : "2944a563-6f27-4604-9c16-a9a53cd95cc7",
    "task_name" : "dcs-migration-test-6-16",
    "status" : "TERMINATED",
    "migration_type" : "online_migration",
    "migration_method" : "incremental_migration",
    "data_source" : "192.168.0.200:6379",
    "source_instance_name" : "migration-resource",
    "source_instance_id" : "132e0017-715b-4556-930a-95c7db7e8f7a",
    "target_instance_addrs" : "192.168.0.153:6379",
    "target_instance_name" : "migration-target",
    "target_instance_id" : "eb1a8d1c-9ea6-4fcd-ac43-c3d3c2493f06",
    "created_at" : "2021-06-16T06:12:55.508Z",
    "description" : "dcs-test",
    "source_instance_status" : "RUNNING",
    "target_instance_status" : "RUNNING",
    "source_instance_subnet_id" : "192.168.0.1",
    "target_instance_subnet_id" : "192.168.0.2",
    "source_instance_spec_code" : "redis.single.xu1.tiny.128",
    "target_instance_spec_code" : "redis.single.xu1.tiny.128",
    "error_message" : null,
    "released_at" : "202404011057",
    "version" : "6.0.21",
    "resume_mode" : "auto",
    "supported_features" : [ ]
  } ]
}`;

/** A task detail shaped as docs/huawei-dcs.md documents it (values made up). */
const DETAIL = {
  task_id: "a1b2c3d4-0000-4000-8000-000000000001",
  task_name: "mig-1",
  description: "online",
  status: "INCRMIGEATING",
  migration_type: "online_migration",
  migration_method: "incremental_migration",
  ecs_tenant_private_ip: "192.168.0.10",
  backup_files: null,
  network_type: "vpc",
  source_instance: {
    addrs: "192.168.0.200:6379",
    id: null,
    ip: "192.168.0.200",
    port: "6379",
    proxy_multi_db: false,
    db: "0",
  },
  target_instance: {
    id: "eb1a8d1c-9ea6-4fcd-ac43-c3d3c2493f06",
    name: "migration-target",
    task_status: "RUNNING",
  },
  created_at: "2025-07-25T06:12:55.508Z",
  updated_at: "2025-07-25T06:20:00.000Z",
  released_at: null,
  version: "6.0.21",
  resume_mode: "manual",
  supported_features: ["supported_ip_switch"],
  tenant_vpc_id: "vpc-1",
  tenant_subnet_id: "subnet-1",
  tenant_security_group_id: "sg-1",
  bandwidth_limit_mb: "100",
  task_status: "EXCHANGE_SUCCESS",
};

describe("DCS contracts", () => {
  test("the ListMigrationTasks document's example parses", () => {
    const res = dcs.listMigrationTask.response.parse(JSON.parse(SEED_004_LIST_RESPONSE));
    expect(res.count).toBe(1);
    const [t] = res.migration_tasks;
    expect(t.task_id).toBe("2944a563-6f27-4604-9c16-a9a53cd95cc7");
    expect(t.status).toBe("TERMINATED");
    expect(t.error_message).toBeNull();
    expect(t.supported_features).toEqual([]);
  });

  test("the doc's example list query (strings, as a server sees them) parses", () => {
    expect(
      dcs.listMigrationTask.query.parse({ offset: "0", limit: "10", name: "dcs-migration-i9qk" }),
    ).toEqual({
      offset: 0,
      limit: 10,
      name: "dcs-migration-i9qk",
    });
    expect(dcs.listMigrationTask.query.safeParse({ limit: "0" }).success).toBe(false);
    expect(dcs.listMigrationTask.query.safeParse({ limit: "1001" }).success).toBe(false);
    expect(dcs.listMigrationTask.query.safeParse({ offset: "-1" }).success).toBe(false);
  });

  test("the signing vectors' bodies parse: HW-2 create online task, HW-7 batch delete", () => {
    const create = JSON.parse(
      '{"name":"mig-1","vpc_id":"vpc-1","subnet_id":"subnet-1","security_group_id":"sg-1"}',
    );
    expect(dcs.createOnlineMigrationTask.body.parse(create)).toEqual(create);
    expect(dcs.createOnlineMigrationTask.body.safeParse({ ...create, vpc_id: undefined }).success).toBe(
      false,
    );

    const del = JSON.parse('{"task_id_list":["a1b2c3","d4e5f6"]}');
    expect(dcs.deleteMigrationTask.body.parse(del)).toEqual(del);
    expect(dcs.deleteMigrationTask.body.safeParse({ task_id_list: [] }).success).toBe(false);
  });

  test("create online answer: instance_id is the task id; job_id is optional (absent from the SDK model)", () => {
    const r = dcs.createOnlineMigrationTask.response;
    expect(r.parse({ instance_id: "t-1", job_id: "j-1" })).toEqual({ instance_id: "t-1", job_id: "j-1" });
    expect(r.parse({ instance_id: "t-1" }).job_id).toBeUndefined();
    expect(r.safeParse({ job_id: "j-1" }).success).toBe(false);
  });

  test("configure body: bandwidth_limit_mb is a string of 1..10240, each side names an instance or an address", () => {
    const body = {
      migration_method: "incremental_migration",
      resume_mode: "auto",
      bandwidth_limit_mb: "100",
      source_instance: { addrs: "192.168.0.200:6379", password: "pw" },
      target_instance: { id: "eb1a8d1c-9ea6-4fcd-ac43-c3d3c2493f06" },
    };
    expect(SetOnlineMigrationTaskBody.parse(body)).toEqual(body);
    expect(SetOnlineMigrationTaskBody.safeParse({ ...body, bandwidth_limit_mb: 100 }).success).toBe(false);
    expect(
      SetOnlineMigrationTaskBody.safeParse({ ...body, source_instance: { password: "pw" } }).success,
    ).toBe(false);
    expect(SetOnlineMigrationTaskBody.safeParse({ ...body, resume_mode: "sometimes" }).success).toBe(false);
    for (const ok of ["1", "10240"]) expect(BandwidthLimitMb.safeParse(ok).success).toBe(true);
    // "greater than 0 and less than 10,241", in the SDK's own words.
    for (const bad of ["0", "10241", "1.5", "", "-1", "01"])
      expect(BandwidthLimitMb.safeParse(bad).success).toBe(false);
  });

  test("backup import body: OBS files or a backup record, backupfile_import only", () => {
    const obs = {
      task_name: "import-1",
      description: "from OBS",
      migration_type: "backupfile_import",
      migration_method: "full_amount_migration",
      backup_files: {
        file_source: "self_build_obs",
        bucket_name: "redis-backups",
        files: [{ file_name: "dump.rdb", size: "1048576", update_at: "2025-07-24 10:00:00" }],
      },
      target_instance: { id: "eb1a8d1c-9ea6-4fcd-ac43-c3d3c2493f06", password: "pw" },
    };
    expect(CreateMigrationTaskBody.parse(obs)).toEqual(obs);
    const record = { ...obs, backup_files: { file_source: "backup_record", files: [], backup_id: "b-1" } };
    expect(CreateMigrationTaskBody.safeParse(record).success).toBe(true);
    const noId = { ...obs, backup_files: { file_source: "backup_record", files: [] } };
    expect(CreateMigrationTaskBody.safeParse(noId).error?.issues[0].path).toEqual([
      "backup_files",
      "backup_id",
    ]);
    const noBucket = {
      ...obs,
      backup_files: { file_source: "self_build_obs", files: obs.backup_files.files },
    };
    expect(CreateMigrationTaskBody.safeParse(noBucket).error?.issues[0].path).toEqual([
      "backup_files",
      "bucket_name",
    ]);
    expect(CreateMigrationTaskBody.safeParse({ ...obs, migration_type: "online_migration" }).success).toBe(
      false,
    );
    expect(CreateMigrationTaskBody.safeParse({ ...obs, target_instance: {} }).success).toBe(false);
    expect(
      CreateMigrationTaskBody.safeParse({
        ...obs,
        backup_files: { ...obs.backup_files, files: [{ size: "1" }] },
      }).success,
    ).toBe(false);
    expect(
      dcs.createMigrationTask.response.parse({ id: "t-2", name: "import-1", status: "MIGRATING" }).status,
    ).toBe("MIGRATING");
  });

  test("task detail parses with the API's INCRMIGEATING spelling, string bandwidth and the IP-switch sub-status", () => {
    const t = MigrationTask.parse(DETAIL);
    expect(t.status).toBe("INCRMIGEATING");
    expect(t.bandwidth_limit_mb).toBe("100");
    expect(t.task_status).toBe("EXCHANGE_SUCCESS");
    expect(t.source_instance?.port).toBe("6379");
    // The stop answer is the same model.
    expect(dcs.stopMigrationTask.response.parse(DETAIL).task_id).toBe(DETAIL.task_id);
    // The corrected spelling is not what the service sends; accepting it would hide a drift.
    expect(MigrationTask.safeParse({ ...DETAIL, status: "INCRMIGRATING" }).success).toBe(false);
    expect(MigrationTask.safeParse({ ...DETAIL, bandwidth_limit_mb: 100 }).success).toBe(false);
    // A sub-status nobody has documented yet must not break a read.
    expect(MigrationTask.parse({ ...DETAIL, task_status: "SOMETHING_NEW" }).task_status).toBe(
      "SOMETHING_NEW",
    );
    // A deleted task may answer with a bare detail.
    expect(MigrationTask.parse({ task_id: "x", task_name: "y", status: "DELETED" }).status).toBe("DELETED");
  });

  test("every documented status parses, RUNNING included (= waiting for configuration)", () => {
    for (const s of [
      "SUCCESS",
      "FAILED",
      "MIGRATING",
      "TERMINATED",
      "TERMINATING",
      "INCRMIGEATING",
      "FULLMIGRATING",
      "RUNNING",
      "MIGRATION_FAILED",
      "RELEASED",
      "DELETED",
    ]) {
      expect(DcsTaskStatus.parse(s)).toBe(s);
    }
    expect(DCS_SETTLED_STATUSES).toEqual([
      "SUCCESS",
      "FAILED",
      "TERMINATED",
      "INCRMIGEATING",
      "MIGRATION_FAILED",
      "RELEASED",
      "DELETED",
    ]);
  });

  test("stats are strings except is_migrating", () => {
    const stats = {
      full_migration_progress: "100",
      offset: "12345",
      source_dbsize: "1000",
      target_dbsize: "1000",
      target_input_kbps: "12.5",
      target_ops: "42",
      is_migrating: true,
    };
    expect(MigrationTaskStats.parse(stats)).toEqual(stats);
    expect(MigrationTaskStats.safeParse({ ...stats, target_ops: 42 }).success).toBe(false);
    expect(MigrationTaskStats.safeParse({ ...stats, is_migrating: "true" }).success).toBe(false);
  });

  test("job, logs, batch results, resume mode, IP switch and empty answers parse", () => {
    const job = { job_id: "j-1", status: "SUCCESS", begin_time: "1684191545379", end_time: "1684191548248" };
    expect(dcs.showJobInfo.response.parse(job).status).toBe("SUCCESS");
    // The SDK documents the job times as epoch milliseconds in strings, not ISO dates.
    expect(dcs.showJobInfo.response.safeParse({ ...job, begin_time: "2023-05-15T23:19:05Z" }).success).toBe(
      false,
    );
    expect(dcs.showJobInfo.response.safeParse({ job_id: "j-1", status: "DONE" }).success).toBe(false);
    const logs = dcs.listMigrationTaskLogs.response.parse({
      log_num: 1,
      migration_logs: [
        {
          created_at: "2025-07-25T06:12:55Z",
          log_level: "INFO",
          message: "full sync done",
          log_code: "M0001",
          keyword: ["k"],
        },
      ],
    });
    expect(logs.migration_logs[0].log_level).toBe("INFO");
    const batch = {
      migration_tasks: [{ result: "failed", task_id: "t-1", error_code: "DCS.4026", error_msg: "state" }],
    };
    expect(dcs.batchStopMigrationTasks.response.parse(batch)).toEqual(batch);
    expect(dcs.batchRestartOnlineMigrationTasks.response.parse(batch)).toEqual(batch);
    expect(dcs.batchStopMigrationTasks.body.safeParse({ migration_tasks: [] }).success).toBe(false);
    expect(dcs.updateMigrationTask.body.parse({ resume_mode: "manual" })).toEqual({ resume_mode: "manual" });
    // Optional in the SDK's model; a value outside the list is still refused.
    expect(dcs.updateMigrationTask.body.parse({})).toEqual({});
    expect(dcs.updateMigrationTask.body.safeParse({ resume_mode: "sometimes" }).success).toBe(false);
    expect(dcs.exchangeInstanceIp.body.safeParse({ exchanged_ip: ["192.168.0.1"] }).success).toBe(false);
    expect(
      dcs.exchangeInstanceIp.body.parse({ exchanged_ip: ["192.168.0.1"], is_exchange_domain: false }),
    ).toBeTruthy();
    for (const op of [
      dcs.exchangeInstanceIp,
      dcs.rollbackExchangeInstanceIp,
      dcs.updateMigrationTask,
      dcs.stopMigrationTaskSync,
    ]) {
      expect((op.response as z.ZodType).safeParse(undefined).success).toBe(true);
      expect((op.response as z.ZodType).safeParse("OK").success).toBe(true);
    }
    expect(dcs.deleteMigrationTask.response.parse({ task_id_list: ["a"] })).toEqual({ task_id_list: ["a"] });
    expect(dcs.deleteMigrationTask.response.parse(undefined)).toBeUndefined();
  });

  test("operation names, methods and paths are exactly the SDK's table (docs/huawei-dcs.md)", () => {
    const table = Object.values(dcs).map((op: RestOperation) => `${op.name} ${op.method} ${op.path}`);
    expect(table).toEqual([
      "CreateOnlineMigrationTask POST /v2/{project_id}/migration/instance",
      "ShowJobInfo GET /v2/{project_id}/jobs/{job_id}",
      "SetOnlineMigrationTask POST /v2/{project_id}/migration/{task_id}/task",
      "CreateMigrationTask POST /v2/{project_id}/migration-task",
      "ListMigrationTask GET /v2/{project_id}/migration-tasks",
      "ShowMigrationTask GET /v2/{project_id}/migration-task/{task_id}",
      "StopMigrationTask POST /v2/{project_id}/migration-task/{task_id}/stop",
      "StopMigrationTaskSync POST /v2/{project_id}/migration-task/{task_id}/sync-stop",
      "BatchStopMigrationTasks POST /v2/{project_id}/migration-task/batch-stop",
      "BatchRestartOnlineMigrationTasks POST /v2/{project_id}/migration-tasks/batch-restart",
      "DeleteMigrationTask DELETE /v2/{project_id}/migration-tasks/delete",
      "UpdateMigrationTask PUT /v2/{project_id}/migration-task/{task_id}",
      "ExchangeInstanceIp POST /v2/{project_id}/migration-task/{task_id}/exchange-ip",
      "RollbackExchangeInstanceIp POST /v2/{project_id}/migration-task/{task_id}/rollback-ip",
      "ShowMigrationTaskStats GET /v2/{project_id}/migration-task/{task_id}/stats",
      "ListMigrationTaskLogs GET /v2/{project_id}/migration-task/{task_id}/logs",
    ]);
  });
});
