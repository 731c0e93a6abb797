/**
 * Migrates a Linux web server block by block into an existing ECS with Huawei Cloud SMS, and
 * keeps the migration running. The defaults name the emulator's demo data set; against a real
 * account set the ids with `pulumi config set`.
 */
import * as pulumi from "@pulumi/pulumi";
import { huaweicloud } from "pulumi-migration-tasks";

const cfg = new pulumi.Config();

const task = new huaweicloud.sms.MigrationTask("web-01", {
  name: cfg.get("taskName") ?? "web-01-to-ecs",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  // Demo source server web-01 and target ECS ecs-web-01 of the emulator.
  sourceServerId: cfg.get("sourceServerId") ?? "a1b2c3d4-0001-4000-8000-000000000001",
  target: { vmId: cfg.get("targetVmId") ?? "b1b2c3d4-0002-4000-8000-000000000001" },
  region: cfg.get("region") ?? "cn-north-4",
  projectId: cfg.get("projectId") ?? "0123456789abcdef0123456789abcdef",
  speedLimitMbps: cfg.getNumber("speedLimitMbps") ?? 100,
  state: (cfg.get("state") ?? "running") as "ready" | "running" | "paused" | "cutover",
  timeouts: { create: "30m", delete: "15m" },
});

export const taskId = task.taskId;
export const status = task.status;
export const progress = task.progress;
export const sourceServerState = task.sourceServerState;
