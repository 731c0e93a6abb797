"""
Huawei Cloud DCS v2 data migration through the official huaweicloudsdkdcs client, against the
emulator: every emulated operation, its documented answer fields, its errors and throttling.
BasicCredentials without a project id make the SDK ask IAM (KeystoneListProjects) first.
"""

import json
import re

from common import Scenario, complete, expect
from huawei import huawei_client, vendor_error
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException, ServerResponseException
from huaweicloudsdkdcs.v2 import (
    BackupFilesBody,
    BatchRestartOnlineMigrationTasksBody,
    BatchRestartOnlineMigrationTasksRequest,
    BatchStopMigrationTasksBody,
    BatchStopMigrationTasksRequest,
    ConfigMigrationInstanceBody,
    CreateMigrationTaskBody,
    CreateMigrationTaskRequest,
    CreateOnlineMigrationTaskBody,
    CreateOnlineMigrationTaskRequest,
    DcsClient,
    DeleteMigrateTaskRequest,
    DeleteMigrationTaskRequest,
    ExchangeInstanceIpRequest,
    Files,
    IpExchangeRequest,
    ListMigrationTaskLogsRequest,
    ListMigrationTaskRequest,
    MigrationUpdateRequestEntity,
    RollbackExchangeInstanceIpRequest,
    SetOnlineMigrationTaskBody,
    SetOnlineMigrationTaskRequest,
    ShowJobInfoRequest,
    ShowMigrationTaskRequest,
    ShowMigrationTaskStatsRequest,
    SourceInstanceBody,
    StopMigrationTaskRequest,
    StopMigrationTaskSyncRequest,
    TargetInstanceBody,
    UpdateMigrationTaskRequest,
)

MILLIS = re.compile(r"^\d{13}$")

s = Scenario()
ids = s.ctx["dcs"]


def client(retry_times=0):
    return huawei_client(s, DcsClient, retry_times)


s.reset()
c = client()

# Fields of the task detail that depend on the kind of task: an online migration has no backup
# files, a backup import no network, ECS, IP switch or bandwidth; nothing is released yet.
ONLINE_ABSENT = (
    "backup_files",
    "released_at",
    "task_status",
    "source_instance.password",
    "target_instance.password",
    # A self-built source has no instance id or name, a cloud target no addrs of its own.
    "source_instance.id",
    "source_instance.name",
    "source_instance.task_status",
    "target_instance.task_status",
    # The database number is a backup import's (target_instance.db).
    "source_instance.db",
    "target_instance.db",
)

# -- online migration ------------------------------------------------------------------------------

created = s.call(
    "CreateOnlineMigrationTask",
    "the migration ECS in the demo network",
    lambda: c.create_online_migration_task(
        CreateOnlineMigrationTaskRequest(
            body=CreateOnlineMigrationTaskBody(
                name="sessions-online",
                description="official SDK",
                vpc_id=ids["vpcId"],
                subnet_id=ids["subnetId"],
                security_group_id=ids["securityGroupId"],
            )
        )
    ),
    complete(),
)
logged = s.logged("KeystoneListProjects")
s.record(
    "KeystoneListProjects",
    "the SDK found the project of the region through IAM",
    len(logged) >= 1 and logged[0]["status"] == 200,
    f"log: {logged}",
)
task_id = created.instance_id if created else "missing"
# The SDK's model has no job_id (the service answers it, and Terraform polls it): read it raw.
job_id = json.loads(created.raw_content).get("job_id") if created else "missing"

s.call(
    "ShowJobInfo",
    "the ECS job while it runs: times in milliseconds, as strings",
    lambda: c.show_job_info(ShowJobInfoRequest(job_id=job_id)),
    complete(
        ("end_time", "fail_reason"),
        lambda r: expect(r.status == "RUNNING", f"status {r.status}")
        + expect(MILLIS.match(r.begin_time or "") is not None, f"begin_time {r.begin_time!r}"),
    ),
)
s.advance(15)
s.call(
    "ShowJobInfo",
    "the finished job",
    lambda: c.show_job_info(ShowJobInfoRequest(job_id=job_id)),
    complete(
        ("fail_reason",),
        lambda r: expect(r.status == "SUCCESS", f"status {r.status}")
        + expect(MILLIS.match(r.end_time or "") is not None, f"end_time {r.end_time!r}")
        + expect(int(r.end_time or 0) > int(r.begin_time or 0), "end before begin"),
    ),
)
s.expect_error(
    "SetOnlineMigrationTask",
    "bandwidth 10241 MB/s: the SDK's bound is below 10241",
    lambda: c.set_online_migration_task(
        SetOnlineMigrationTaskRequest(
            task_id=task_id,
            body=SetOnlineMigrationTaskBody(
                migration_method="incremental_migration",
                resume_mode="auto",
                bandwidth_limit_mb="10241",
                source_instance=ConfigMigrationInstanceBody(addrs=ids["selfBuiltAddress"], password=ids["passwords"]["selfBuilt"]),
                target_instance=ConfigMigrationInstanceBody(id=ids["instances"]["target"], password=ids["passwords"]["target"]),
            ),
        )
    ),
    ClientRequestException,
    vendor_error(400, "DCS.4000"),
)
s.call(
    "SetOnlineMigrationTask",
    "incremental from the self-built Redis, 10240 MB/s",
    lambda: c.set_online_migration_task(
        SetOnlineMigrationTaskRequest(
            task_id=task_id,
            body=SetOnlineMigrationTaskBody(
                migration_method="incremental_migration",
                resume_mode="auto",
                bandwidth_limit_mb="10240",
                source_instance=ConfigMigrationInstanceBody(addrs=ids["selfBuiltAddress"], password=ids["passwords"]["selfBuilt"]),
                target_instance=ConfigMigrationInstanceBody(id=ids["instances"]["target"], password=ids["passwords"]["target"]),
            ),
        )
    ),
    complete(),
)
s.advance(60)
s.call(
    "ShowMigrationTask",
    "an incremental migration, every documented field",
    lambda: c.show_migration_task(ShowMigrationTaskRequest(task_id=task_id)),
    complete(ONLINE_ABSENT, lambda r: expect(r.status == "INCRMIGEATING", f"status {r.status}")),
)
s.call(
    "ListMigrationTask",
    "the task in the list, every documented field",
    lambda: c.list_migration_task(ListMigrationTaskRequest(name="sessions-online", offset=0, limit=10)),
    complete(
        ("migration_tasks[].source_instance_name", "migration_tasks[].source_instance_id",
         "migration_tasks[].source_instance_status", "migration_tasks[].source_instance_subnet_id",
         "migration_tasks[].source_instance_spec_code", "migration_tasks[].error_message",
         "migration_tasks[].released_at"),
        lambda r: expect(r.count == 1, f"count {r.count}"),
    ),
)
s.call(
    "ShowMigrationTaskStats",
    "figures as strings",
    lambda: c.show_migration_task_stats(ShowMigrationTaskStatsRequest(task_id=task_id)),
    complete((), lambda r: expect(r.full_migration_progress == "100", f"progress {r.full_migration_progress}")),
)
s.call(
    "ListMigrationTaskLogs",
    "the task's events",
    lambda: c.list_migration_task_logs(ListMigrationTaskLogsRequest(task_id=task_id, offset=0, limit=100)),
    complete((), lambda r: expect(r.log_num >= 1 and len(r.migration_logs) >= 1, f"{r.log_num} logs")),
)
s.call(
    "UpdateMigrationTask",
    "resume_mode manual",
    lambda: c.update_migration_task(
        UpdateMigrationTaskRequest(task_id=task_id, body=MigrationUpdateRequestEntity(resume_mode="manual"))
    ),
)
s.call(
    "UpdateMigrationTask",
    "no resume_mode (optional in the SDK): nothing changes",
    lambda: c.update_migration_task(UpdateMigrationTaskRequest(task_id=task_id, body=MigrationUpdateRequestEntity())),
)
s.call(
    "ShowMigrationTask",
    "resume_mode as last set",
    lambda: c.show_migration_task(ShowMigrationTaskRequest(task_id=task_id)),
    lambda r: expect(r.resume_mode == "manual", f"resume_mode {r.resume_mode}"),
)
s.call(
    "ExchangeInstanceIp",
    "IP switch",
    lambda: c.exchange_instance_ip(
        ExchangeInstanceIpRequest(
            task_id=task_id, body=IpExchangeRequest(exchanged_ip=["192.168.0.200", "192.168.0.153"], is_exchange_domain=False)
        )
    ),
)
s.advance(10)
s.call(
    "RollbackExchangeInstanceIp",
    "IP switch rolled back",
    lambda: c.rollback_exchange_instance_ip(RollbackExchangeInstanceIpRequest(task_id=task_id)),
)
s.advance(10)
s.call(
    "StopMigrationTask",
    "the incremental migration stops; the answer is the task detail",
    lambda: c.stop_migration_task(StopMigrationTaskRequest(task_id=task_id)),
    complete(
        tuple(p for p in ONLINE_ABSENT if p != "task_status"),
        lambda r: expect(r.status == "TERMINATING", f"status {r.status}"),
    ),
)
s.advance(10)
s.call(
    "BatchRestartOnlineMigrationTasks",
    "the stopped task migrates again",
    lambda: c.batch_restart_online_migration_tasks(
        BatchRestartOnlineMigrationTasksRequest(body=BatchRestartOnlineMigrationTasksBody(migration_tasks=[task_id]))
    ),
    complete(
        ("migration_tasks[].error_code", "migration_tasks[].error_msg"),
        lambda r: expect(r.migration_tasks[0].result == "success", f"{r.migration_tasks}"),
    ),
)
s.advance(60)
s.call(
    "BatchStopMigrationTasks",
    "stopped again, in a batch",
    lambda: c.batch_stop_migration_tasks(
        BatchStopMigrationTasksRequest(body=BatchStopMigrationTasksBody(migration_tasks=[task_id]))
    ),
    complete(
        ("migration_tasks[].error_code", "migration_tasks[].error_msg"),
        lambda r: expect(r.migration_tasks[0].result == "success", f"{r.migration_tasks}"),
    ),
)
s.advance(10)
s.expect_error(
    "StopMigrationTaskSync",
    "a stopped task cannot be stopped: the vendor's DCS.4026",
    lambda: c.stop_migration_task_sync(StopMigrationTaskSyncRequest(task_id=task_id)),
    ClientRequestException,
    vendor_error(400, "DCS.4026"),
)
s.call(
    "BatchRestartOnlineMigrationTasks",
    "restarted for the synchronous stop",
    lambda: c.batch_restart_online_migration_tasks(
        BatchRestartOnlineMigrationTasksRequest(body=BatchRestartOnlineMigrationTasksBody(migration_tasks=[task_id]))
    ),
)
s.advance(60)
s.call(
    "StopMigrationTaskSync",
    "stopped at once",
    lambda: c.stop_migration_task_sync(StopMigrationTaskSyncRequest(task_id=task_id)),
)
s.call(
    "DeleteMigrationTask",
    "the stopped task",
    lambda: c.delete_migration_task(
        DeleteMigrationTaskRequest(body=DeleteMigrateTaskRequest(task_id_list=[task_id]))
    ),
    complete((), lambda r: expect(r.task_id_list == [task_id], f"{r.task_id_list}")),
)

# -- backup import -----------------------------------------------------------------------------------

imported = s.call(
    "CreateMigrationTask",
    "a backup import from the demo bucket, instances as the SDK models them",
    lambda: c.create_migration_task(
        CreateMigrationTaskRequest(
            body=CreateMigrationTaskBody(
                task_name="sessions-import",
                migration_type="backupfile_import",
                migration_method="full_amount_migration",
                backup_files=BackupFilesBody(
                    file_source="self_build_obs", bucket_name=ids["bucket"], files=[Files(file_name=ids["backupFile"])]
                ),
                target_instance=TargetInstanceBody(id=ids["instances"]["target"], password=ids["passwords"]["target"], db="0"),
            )
        )
    ),
    complete(),
)
s.advance(60)
s.call(
    "ShowMigrationTask",
    "a finished import, every documented field",
    lambda: c.show_migration_task(ShowMigrationTaskRequest(task_id=imported.id if imported else "missing")),
    complete(
        ("source_instance", "source_instance.*", "ecs_tenant_private_ip", "network_type", "released_at",
         "resume_mode", "tenant_vpc_id", "tenant_subnet_id", "tenant_security_group_id", "bandwidth_limit_mb",
         "task_status", "backup_files.backup_id", "target_instance.password", "target_instance.task_status",
         "target_instance.addrs",
         # Echoed as sent: the request named the file only, and gave no description.
         "backup_files.files[].size", "backup_files.files[].update_at", "description"),
        lambda r: expect(r.status == "SUCCESS", f"status {r.status}")
        + expect(r.target_instance.db == "0", f"db {r.target_instance.db!r}"),
    ),
)
s.expect_error(
    "CreateMigrationTask",
    "an online source on a backup import is refused as not emulated",
    lambda: c.create_migration_task(
        CreateMigrationTaskRequest(
            body=CreateMigrationTaskBody(
                task_name="sessions-import-2",
                migration_type="backupfile_import",
                migration_method="full_amount_migration",
                backup_files=BackupFilesBody(file_source="self_build_obs", bucket_name=ids["bucket"], files=[Files(file_name=ids["backupFile"])]),
                source_instance=SourceInstanceBody(addrs=ids["selfBuiltAddress"], proxy_multi_db=True),
                target_instance=TargetInstanceBody(id=ids["instances"]["target"]),
            )
        )
    ),
    ClientRequestException,
    lambda e: vendor_error(400, "DCS.4000")(e) + expect("not emulated" in (e.error_msg or ""), e.error_msg),
)

# -- errors, throttling ------------------------------------------------------------------------------

s.expect_error(
    "ShowMigrationTask",
    "an unknown task: HTTP 400 DCS.4133 with the request id",
    lambda: c.show_migration_task(ShowMigrationTaskRequest(task_id="00000000-0000-4000-8000-000000000000")),
    ClientRequestException,
    vendor_error(400, "DCS.4133"),
)
s.fault(kind="throttle", operation="ListMigrationTask")
s.expect_error(
    "ListMigrationTask",
    "throttled: the SDK's throttling error (429)",
    lambda: c.list_migration_task(ListMigrationTaskRequest()),
    ClientRequestException,
    # With no retry left, the SDK's urllib3 retry raises its own 429 error: code "429", and the
    # gateway's body (APIGW.0308, request id) is not read. That is the SDK's throttling error.
    lambda e: expect(e.status_code == 429 and e.error_code == "429", f"{e.status_code} {e.error_code}"),
)
s.fault(kind="throttle", operation="ListMigrationTask", retryAfterSeconds=1)
s.call(
    "ListMigrationTask",
    "throttled once, the SDK's own retry honours Retry-After",
    lambda: client(retry_times=1).list_migration_task(ListMigrationTaskRequest()),
)
s.fault(kind="error5xx", operation="ShowMigrationTaskStats", status=500)
s.expect_error(
    "ShowMigrationTaskStats",
    "a backend failure: ServerResponseException with DCS.5000",
    lambda: c.show_migration_task_stats(ShowMigrationTaskStatsRequest(task_id=task_id)),
    ServerResponseException,
    vendor_error(500, "DCS.5000"),
)

s.done()
