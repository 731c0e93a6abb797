"""
Alibaba Cloud MSE migration tasks through the official alibabacloud-mse20190531 client, against
the emulator: the four operations, their documented answer fields, their errors and throttling.
"""

from alibabacloud_mse20190531 import models as m
from alibabacloud_mse20190531.client import Client
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.exceptions import ClientException, ThrottlingException

from common import Scenario, complete, expect

s = Scenario()
ali = s.ctx["alibaba"]
ids = s.ctx["mse"]


def client():
    host = s.url.split("://", 1)[1]
    return Client(
        open_api_models.Config(
            access_key_id=ali["accessKeyId"],
            access_key_secret=ali["accessKeySecret"],
            region_id=ali["region"],
            endpoint=host,
            protocol="http",
            read_timeout=10000,
            connect_timeout=5000,
        )
    )


def vendor_error(status, code):
    def check(e):
        return (
            expect(e.status_code == status, f"status {e.status_code}, expected {status}")
            + expect(e.code == code, f"code {e.code!r}, expected {code!r}")
            + expect(bool(e.data and e.data.get("Message")), f"no Message in {e.data}")
            + expect(
                bool(e.request_id) and e.request_id == (e.data or {}).get("RequestId"),
                f"request_id {e.request_id!r}",
            )
        )

    return check


s.reset()
c = client()

# The answers drop empty fields, as the service does: a task added without a namespace, cluster
# name, URL or description has none of them (OriginInstanceNamespace etc. below).
data_absent = ("data.origin_instance_namespace", "data.target_cluster_name", "data.target_cluster_url", "data.project_desc")

added = s.call(
    "AddMigrationTask",
    "a Nacos source into the demo instance, every documented field",
    lambda: c.add_migration_task(
        m.AddMigrationTaskRequest(
            cluster_type="Nacos-Ans",
            origin_instance_address="192.168.1.1:8848",
            origin_instance_name="orders-nacos",
            origin_instance_namespace="public,prod",
            project_desc="official SDK",
            sync_type="Service",
            target_cluster_name="orders",
            target_cluster_url="mse-66xxxxx-nacos-ans.mse.aliyuncs.com:8848",
            target_instance_id=ids["instances"]["ordersNacos"],
            request_pars="{}",
            accept_language="en",
        )
    ).body,
    complete((), lambda r: expect(r.success is True and r.data.id.isdigit(), f"{r.to_map()}")),
)
task_id = added.data.id if added else "0"

s.call(
    "AddMigrationTask",
    "no parameter at all: every one is optional in the SDK and the documents",
    lambda: c.add_migration_task(m.AddMigrationTaskRequest()).body,
    lambda r: expect(r.success is True and r.data.id.isdigit(), f"{r.to_map()}"),
)
s.call(
    "AddMigrationTask",
    "a cluster and sync type outside the documented lists are free strings",
    lambda: c.add_migration_task(
        m.AddMigrationTaskRequest(cluster_type="Consul", sync_type="Everything", origin_instance_name="consul-1")
    ).body,
    lambda r: expect(r.data.cluster_type == "Consul" and r.data.sync_type == "Everything", f"{r.to_map()}"),
)
s.expect_error(
    "AddMigrationTask",
    "RequestPars that is not JSON",
    lambda: c.add_migration_task(m.AddMigrationTaskRequest(request_pars="{not json")),
    ClientException,
    vendor_error(400, "InvalidParameter"),
)
s.call(
    "AddMigrationTask",
    "AcceptLanguage zh: the message in Chinese",
    lambda: c.add_migration_task(m.AddMigrationTaskRequest(accept_language="zh")).body,
    lambda r: expect(r.success is True and r.message != "The request was successfully processed.", r.message),
)
s.expect_error(
    "AddMigrationTask",
    "AcceptLanguage outside zh and en is refused as not emulated, never ignored",
    lambda: c.add_migration_task(m.AddMigrationTaskRequest(accept_language="fr")),
    ClientException,
    lambda e: vendor_error(400, "InvalidParameter")(e) + expect("not emulated" in str(e.data), f"{e.data}"),
)
s.call(
    "UpdateMigrationTask",
    "new description, every documented field",
    lambda: c.update_migration_task(
        m.UpdateMigrationTaskRequest(id=task_id, project_desc="updated", sync_type="All")
    ).body,
    complete((), lambda r: expect(r.data.project_desc == "updated" and r.http_code == "200", f"{r.to_map()}")),
)
s.call(
    "ListMigrationTask",
    "by source name, every documented field",
    lambda: c.list_migration_task(
        m.ListMigrationTaskRequest(origin_instance_name="orders-nacos", page_num=1, page_size=10)
    ).body,
    complete((), lambda r: expect(r.total_count == 1 and r.data[0].id == int(task_id), f"{r.to_map()}")),
)
s.call(
    "ListMigrationTask",
    "every task, paged",
    lambda: c.list_migration_task(m.ListMigrationTaskRequest(page_num=1, page_size=2)).body,
    lambda r: expect(len(r.data) == 2 and r.total_count >= 4, f"{r.total_count} tasks, {len(r.data)} on the page"),
)
s.call(
    "DeleteMigrationTask",
    "the task",
    lambda: c.delete_migration_task(m.DeleteMigrationTaskRequest(id=task_id)).body,
    complete((), lambda r: expect(r.data is True, f"{r.to_map()}")),
)
s.expect_error(
    "DeleteMigrationTask",
    "the task again: NotFound with the request id",
    lambda: c.delete_migration_task(m.DeleteMigrationTaskRequest(id=task_id)),
    ClientException,
    vendor_error(404, "NotFound"),
)
s.expect_error(
    "UpdateMigrationTask",
    "an unknown task: NotFound",
    lambda: c.update_migration_task(m.UpdateMigrationTaskRequest(id="999999", project_desc="x")),
    ClientException,
    vendor_error(404, "NotFound"),
)

s.fault(kind="throttle", operation="ListMigrationTask", retryAfterSeconds=2)
s.expect_error(
    "ListMigrationTask",
    "throttled: the SDK's ThrottlingException with the wait",
    lambda: c.list_migration_task(m.ListMigrationTaskRequest()),
    ThrottlingException,
    lambda e: vendor_error(400, "Throttling.User")(e) + expect(e.retry_after == 2000, f"retry_after {e.retry_after}"),
)

s.done()
