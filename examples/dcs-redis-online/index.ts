/**
 * Migrates a self-built Redis online into a Huawei Cloud DCS instance and keeps the incremental
 * migration running. The defaults name the emulator's demo data set; against a real account set
 * the ids with `pulumi config set`, and the passwords with `pulumi config set --secret`:
 *
 *   pulumi config set --secret sourceRedisPassword <password>
 *   pulumi config set --secret targetRedisPassword <password>
 */
import * as pulumi from "@pulumi/pulumi";
import { huaweicloud } from "pulumi-migration-tasks";

const cfg = new pulumi.Config();

const cache = new huaweicloud.dcs.MigrationTask("sessions", {
  kind: "online",
  name: cfg.get("taskName") ?? "sessions-to-dcs",
  region: cfg.get("region") ?? "cn-north-4",
  projectId: cfg.get("projectId") ?? "0123456789abcdef0123456789abcdef",
  // The emulator's demo VPC, subnet and security group, where the migration ECS is created.
  network: {
    vpcId: cfg.get("vpcId") ?? "c1d2e3f4-0001-4000-8000-000000000001",
    subnetId: cfg.get("subnetId") ?? "c1d2e3f4-0002-4000-8000-000000000001",
    securityGroupId: cfg.get("securityGroupId") ?? "c1d2e3f4-0003-4000-8000-000000000001",
  },
  migrationMethod: "incremental_migration",
  resumeMode: "auto",
  bandwidthLimitMb: cfg.getNumber("bandwidthLimitMb") ?? 100,
  // The emulator's self-built Redis and its DCS instance redis-sessions-target.
  source: {
    address: cfg.get("sourceAddress") ?? "192.168.0.200:6379",
    password: cfg.requireSecret("sourceRedisPassword"),
  },
  target: {
    instanceId: cfg.get("targetInstanceId") ?? "d1e2f3a4-0001-4000-8000-000000000001",
    password: cfg.requireSecret("targetRedisPassword"),
  },
  state: (cfg.get("state") ?? "running") as "running" | "stopped",
  timeouts: { create: "30m", delete: "15m" },
});

export const taskId = cache.taskId;
export const status = cache.status;
export const progress = cache.progress;
export const migrationEcsAddress = cache.ecsAddress;
