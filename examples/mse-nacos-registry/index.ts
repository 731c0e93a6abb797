/**
 * Migrates the services and configurations of a self-managed Nacos registry into an MSE Nacos
 * instance. The defaults name the emulator's demo target instance; against a real account set
 * the ids with `pulumi config set`, and the credentials with `alicloud:accessKey` and
 * `alicloud:secretKey --secret` (or the ALICLOUD_* environment variables).
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-migration-tasks";

const cfg = new pulumi.Config();

const task = new alicloud.mse.MigrationTask("orders-registry", {
  region: cfg.get("region") ?? "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: cfg.get("originInstanceName") ?? "orders-nacos",
  originInstanceAddress: cfg.get("originInstanceAddress") ?? "192.168.1.1:8848",
  // A set: the order does not matter and never causes a diff.
  originInstanceNamespaces: ["public", "orders"],
  // The emulator's demo MSE Nacos instance.
  targetInstanceId: cfg.get("targetInstanceId") ?? "mse-cn-ud82xxxxx",
  targetClusterName: "orders",
  targetClusterUrl: cfg.get("targetClusterUrl") ?? "mse-66xxxxx-nacos-ans.mse.aliyuncs.com:8848",
  syncType: (cfg.get("syncType") ?? "All") as "All" | "Config" | "Service",
  description: "orders registry into MSE",
});

export const taskId = task.taskId;
export const namespaces = task.originInstanceNamespaces;
export const targetInstanceId = task.targetInstanceId;
