"""Migrates the web-01 server into an existing ECS with Huawei Cloud SMS, declared running.

Set up (from this folder):

    pulumi package add ../..        # generates sdks/migration-tasks and adds it to requirements.txt
    pulumi install

The defaults name the emulator's demo servers; against a real account set the ids with
`pulumi config set`, and the credentials with `pulumi config set --secret
migration-tasks:huaweicloudSecretKey ...` (or the HW_* environment variables).
"""
import pulumi
import pulumi_migration_tasks as migration_tasks

cfg = pulumi.Config()

task = migration_tasks.huaweicloud.sms.MigrationTask(
    "web-01",
    name="web-01-to-ecs",
    type=migration_tasks.huaweicloud.sms.TaskType.MIGRATE_BLOCK,
    os_type=migration_tasks.huaweicloud.sms.OsType.LINUX,
    source_server_id=cfg.get("sourceServerId") or "a1b2c3d4-0001-4000-8000-000000000001",
    target=migration_tasks.huaweicloud.sms.TargetArgs(
        vm_id=cfg.get("targetVmId") or "b1b2c3d4-0002-4000-8000-000000000001",
    ),
    region="cn-north-4",
    project_id=cfg.get("projectId") or "0123456789abcdef0123456789abcdef",
    speed_limit_mbps=cfg.get_int("speedLimitMbps") or 100,
    state=cfg.get("state") or "running",
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="2h", delete="30m")),
)

pulumi.export("taskId", task.task_id)
pulumi.export("status", task.status)
pulumi.export("passphrase", task.passphrase)
