"""
Huawei Cloud SMS v3 through the official huaweicloudsdksms client, against the emulator: every
emulated operation, its documented answer fields, its errors and throttling. IAM is driven the
way the SDK itself uses it: BasicCredentials without a project id look it up with
KeystoneListProjects.
"""

from common import Scenario, complete, expect
from huawei import huawei_client, vendor_error
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException, ServerResponseException
from huaweicloudsdksms.v3 import (
    ConfigBody,
    CreateTaskRequest,
    DeleteTaskRequest,
    DeleteTasksReq,
    DeleteTasksRequest,
    ListServersRequest,
    ListTasksRequest,
    PostTask,
    PutTaskReq,
    ShowConfigSettingRequest,
    ShowPassphraseRequest,
    ShowServerRequest,
    ShowsSpeedLimitsRequest,
    ShowTaskRequest,
    SmsClient,
    SourceServerByTask,
    SpeedLimitlJson,
    TargetServerByTask,
    UpdateSpeedRequest,
    UpdateTaskRequest,
    SpeedLimit,
    UpdateTaskStatusReq,
    UpdateTaskStatusRequest,
    UploadSpecialConfigurationSettingRequest,
    ConfigurationRequestBody,
)


s = Scenario()
hw = s.ctx["huawei"]
ids = s.ctx["sms"]


def client(retry_times=0):
    return huawei_client(s, SmsClient, retry_times)


s.reset()
c = client()

# Fields the service documents but the emulator does not produce, each for a stated reason
# (emulator/README.md, "What stays different").
TASK_ABSENT = (
    # Returned only once a clone exists / a network check ran / a failure happened.
    "clone_server",
    "clone_server.*",
    "network_check_info",
    "network_check_info.*",
    "error_json",
    "finish_date",
    "target_snapshot_id",
    "float_ip",
    "enterprise_project_id",
    "vm_template_id",
    # A target chosen by vm_id has no template; sub-tasks before start have no dates or traces.
    "sub_tasks",
    "sub_tasks[].*",
)

# -- IAM, source servers -------------------------------------------------------------------------

servers = s.call(
    "ListServers",
    "all sources, every documented field",
    lambda: c.list_servers(ListServersRequest()),
    # No source has a task yet, so none has a current task.
    complete(("source_servers[].current_task",)),
)
logged = s.logged("KeystoneListProjects")
s.record(
    "KeystoneListProjects",
    "the SDK found the project of the region through IAM",
    len(logged) >= 1 and logged[0]["status"] == 200,
    f"log: {logged}",
)


def count_is(n):
    return lambda r: expect(r.count == n and len(r.source_servers) == n, f"count {r.count}, expected {n}")


def page_of(n, total=5):
    # `count` is the number of matches; the page holds `limit` of them from `offset`.
    return lambda r: expect(r.count == total and len(r.source_servers) == n, f"count {r.count}, page {len(r.source_servers)}")


for field, value, n in [
    ("state", "waiting", None),
    ("name", "web-01", 1),
    ("id", ids["web01"], 1),
    ("ip", "10.0.1.11", 1),
    ("connected", False, 1),
    ("ipv6", "no-such-ipv6", 0),
    ("migration_cycle", "no_ready", None),
    ("enterprise_project_id", "0", None),
    ("is_consistency_result_exist", True, 0),
    ("vm_id", "no-such-vm", 0),
]:
    s.call(
        "ListServers",
        f"filter {field}={value}",
        lambda: c.list_servers(ListServersRequest(**{field: value})),
        count_is(n) if n is not None else (lambda r: expect(r.count >= 1, f"{field}: nothing matched")),
    )
s.call("ListServers", "limit=2", lambda: c.list_servers(ListServersRequest(limit=2)), page_of(2))
s.call("ListServers", "offset=4", lambda: c.list_servers(ListServersRequest(offset=4)), page_of(1))
s.call(
    "ListServers",
    "ipv6 gives way to ip, as the SDK documents",
    lambda: c.list_servers(ListServersRequest(ip="10.0.1.11", ipv6="no-such-ipv6")),
    count_is(1),
)
s.expect_error(
    "ListServers",
    "migproject is refused as not emulated, never ignored",
    lambda: c.list_servers(ListServersRequest(migproject="any")),
    ClientRequestException,
    lambda e: vendor_error(400, "SMS.1001")(e) + expect("not emulated" in e.error_msg, e.error_msg),
)

s.call(
    "ShowServer",
    "a registered source, every documented field",
    lambda: c.show_server(ShowServerRequest(source_id=ids["web01"])),
    complete(("current_task",)),
)
s.expect_error(
    "ShowServer",
    "unknown source: 404 with the vendor's code and request id",
    lambda: c.show_server(ShowServerRequest(source_id="00000000-0000-4000-8000-000000000000")),
    ClientRequestException,
    vendor_error(404, "SMS.2253"),
)

# -- tasks -----------------------------------------------------------------------------------------


def post_task(name, source, target):
    return PostTask(
        name=name,
        type="MIGRATE_BLOCK",
        os_type="LINUX",
        source_server=SourceServerByTask(id=source),
        target_server=TargetServerByTask(name=f"ecs-{name}", vm_id=target),
        region_name=hw["region"],
        region_id=hw["region"],
        project_name=hw["region"],
        project_id=hw["projectId"],
        speed_limit=100,
    )


created = s.call(
    "CreateTask",
    "block migration onto an existing server",
    lambda: c.create_task(CreateTaskRequest(body=post_task("web01", ids["web01"], ids["ecsWeb01"]))),
    complete(),
)
task_id = created.id if created else "missing"

# Not started yet: no times, estimate, Agent image disk or cutover snapshots; a Linux target has
# no Windows system directory.
NOT_STARTED = (
    "start_date",
    "total_time",
    "estimate_complete_time",
    "remain_seconds",
    "target_server.image_disk_id",
    "target_server.cutovered_snapshot_ids",
    "target_server.system_dir",
)
s.call(
    "ShowTask",
    "a new task, every documented field",
    lambda: c.show_task(ShowTaskRequest(task_id=task_id)),
    complete(TASK_ABSENT + NOT_STARTED, lambda r: expect(r.state == "READY", f"state {r.state}")),
)
s.call(
    "ShowServer",
    "a source with a task: the task as the source reports it",
    lambda: c.show_server(ShowServerRequest(source_id=ids["web01"])),
    complete(
        ("current_task.start_date", "current_task.vm_template_id", "current_task.clone_server"),
        lambda r: expect(r.current_task.id == task_id and r.state == "waiting", f"{r.current_task} {r.state}"),
    ),
)
s.call(
    "ListTasks",
    "the task in the list, every documented field",
    lambda: c.list_tasks(ListTasksRequest(id=task_id)),
    complete(
        tuple(f"tasks[].{p}" for p in TASK_ABSENT + NOT_STARTED) + ("tasks[].special_config",),
        lambda r: expect(r.count == 1 and r.tasks[0].id == task_id, f"count {r.count}"),
    ),
)
s.call(
    "UpdateTask",
    "rename and speed limit",
    lambda: c.update_task(
        UpdateTaskRequest(task_id=task_id, body=PutTaskReq(name="web01-renamed", speed_limit=1000))
    ),
    complete(),
)
s.call(
    "ShowTask",
    "the update took effect",
    lambda: c.show_task(ShowTaskRequest(task_id=task_id)),
    lambda r: expect(r.name == "web01-renamed" and r.speed_limit == 1000, f"{r.name} {r.speed_limit}"),
)
s.expect_error(
    "UpdateTask",
    "speed_limit above the documented 1000 Mbit/s",
    lambda: c.update_task(UpdateTaskRequest(task_id=task_id, body=PutTaskReq(speed_limit=1001))),
    ClientRequestException,
    vendor_error(400, "SMS.1001"),
)
s.call(
    "UpdateSpeed",
    "two windows, one without a speed (optional in the SDK)",
    lambda: c.update_speed(
        UpdateSpeedRequest(
            task_id=task_id,
            body=SpeedLimit(
                speed_limit=[
                    SpeedLimitlJson(start="00:00", end="08:00", speed=1000),
                    SpeedLimitlJson(start="08:00", end="18:00"),
                ]
            ),
        )
    ),
)
s.call(
    "ShowsSpeedLimits",
    "the windows as set",
    lambda: c.shows_speed_limits(ShowsSpeedLimitsRequest(task_id=task_id)),
    lambda r: expect(
        [(w.start, w.end, w.speed) for w in r.speed_limit] == [("00:00", "08:00", 1000), ("08:00", "18:00", None)],
        f"{r.speed_limit}",
    ),
)
s.expect_error(
    "UpdateSpeed",
    "a window above 1000 Mbit/s",
    lambda: c.update_speed(
        UpdateSpeedRequest(
            task_id=task_id,
            body=SpeedLimit(speed_limit=[SpeedLimitlJson(start="00:00", end="08:00", speed=1001)]),
        )
    ),
    ClientRequestException,
    vendor_error(400, "SMS.1001"),
)
s.call(
    "UploadSpecialConfigurationSetting",
    "one configuration",
    lambda: c.upload_special_configuration_setting(
        UploadSpecialConfigurationSettingRequest(
            task_id=task_id,
            body=ConfigurationRequestBody(
                configurations=[ConfigBody(config_key="EXCLUDE_MIGRATE_PATH", config_value="/tmp")]
            ),
        )
    ),
)
s.call(
    "ShowConfigSetting",
    "the configuration back, every documented field",
    lambda: c.show_config_setting(ShowConfigSettingRequest(task_id=task_id)),
    complete(("configurations[].config_status",), lambda r: expect(len(r.configurations) == 1, f"{r}")),
)
s.call(
    "ShowPassphrase",
    "the task's passphrase",
    lambda: c.show_passphrase(ShowPassphraseRequest(task_id=task_id)),
    complete(),
)
s.call(
    "UpdateTaskStatus",
    "start",
    lambda: c.update_task_status(
        UpdateTaskStatusRequest(task_id=task_id, body=UpdateTaskStatusReq(operation="start"))
    ),
)
s.advance(10)
s.call(
    "ShowTask",
    "a running task, every documented field",
    lambda: c.show_task(ShowTaskRequest(task_id=task_id)),
    complete(
        tuple(p for p in TASK_ABSENT if not p.startswith("sub_tasks"))
        # Sub-tasks not reached yet have no dates; traces and user operations come from the Agent.
        + ("sub_tasks[].start_date", "sub_tasks[].end_date", "sub_tasks[].process_trace", "sub_tasks[].user_op")
        + ("target_server.image_disk_id", "target_server.cutovered_snapshot_ids", "target_server.system_dir"),
        lambda r: expect(r.state == "RUNNING", f"state {r.state}"),
    ),
)
s.expect_error(
    "UpdateTaskStatus",
    "start while running: the vendor's SMS.1039",
    lambda: c.update_task_status(
        UpdateTaskStatusRequest(task_id=task_id, body=UpdateTaskStatusReq(operation="start"))
    ),
    ClientRequestException,
    vendor_error(400, "SMS.1039"),
)
s.expect_error(
    "UpdateTaskStatus",
    "switch_hce with stop is refused by name, never ignored",
    lambda: c.update_task_status(
        UpdateTaskStatusRequest(task_id=task_id, body=UpdateTaskStatusReq(operation="stop", switch_hce=True))
    ),
    ClientRequestException,
    lambda e: vendor_error(400, "SMS.1001")(e) + expect("switch_hce" in (e.error_msg or ""), e.error_msg),
)
s.call(
    "UpdateTaskStatus",
    "stop",
    lambda: c.update_task_status(UpdateTaskStatusRequest(task_id=task_id, body=UpdateTaskStatusReq(operation="stop"))),
)
s.advance(10)
s.call("DeleteTask", "a paused task", lambda: c.delete_task(DeleteTaskRequest(task_id=task_id)))
s.advance(10)
s.expect_error(
    "ShowTask",
    "a deleted task: 404 with the vendor's code and request id",
    lambda: c.show_task(ShowTaskRequest(task_id=task_id)),
    ClientRequestException,
    vendor_error(404, "SMS.2252"),
)

second = s.call(
    "CreateTask",
    "a second task for the batch delete",
    lambda: c.create_task(CreateTaskRequest(body=post_task("web02", ids["web02"], ids["ecsWeb02"]))),
)
s.call(
    "DeleteTasks",
    "batch delete",
    lambda: c.delete_tasks(DeleteTasksRequest(body=DeleteTasksReq(ids=[second.id if second else "missing"]))),
)

# -- throttling and server errors ------------------------------------------------------------------

s.fault(kind="throttle", operation="ListTasks")
s.expect_error(
    "ListTasks",
    "throttled: the SDK's throttling error (429, no retry configured)",
    lambda: c.list_tasks(ListTasksRequest()),
    ClientRequestException,
    # With no retry left, the SDK's urllib3 retry raises its own 429 error: code "429", and the
    # gateway's body (APIGW.0308, request id) is not read. That is the SDK's throttling error.
    lambda e: expect(e.status_code == 429 and e.error_code == "429", f"{e.status_code} {e.error_code}"),
)
s.fault(kind="throttle", operation="ListTasks", retryAfterSeconds=1)
s.call(
    "ListTasks",
    "throttled once, the SDK's own retry honours Retry-After and succeeds",
    lambda: client(retry_times=1).list_tasks(ListTasksRequest()),
    lambda r: expect(r.count is not None, "no count"),
)
s.fault(kind="error5xx", operation="ListServers", status=500)
s.expect_error(
    "ListServers",
    "a backend failure: ServerResponseException with SMS.2007",
    lambda: c.list_servers(ListServersRequest()),
    ServerResponseException,
    vendor_error(500, "SMS.2007"),
)

s.done()
