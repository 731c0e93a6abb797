/**
 * Inputs and outputs of `alicloud.mse.MigrationTask`: one zod schema for the inputs and one
 * field table that drives check, diff, update and read.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { ClusterType, SyncType } from "../../../sdk/alibaba/mse/contract";
import type { CrossRule } from "../../common/check";
import type { FieldTable } from "../../common/fields";
import { isOneLine, ONE_LINE_RULE } from "../../common/text";

/** `ip:port` or `[ipv6]:port`, the form the source registry's node address takes. */
export const IpPort = z.string().refine((s) => {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  if (!m) return false;
  const port = Number(m[3]);
  const ip = m[1] ?? m[2];
  return port >= 1 && port <= 65535 && (m[1] ? isIP(ip) === 6 : isIP(ip) === 4);
}, "must be an address ip:port such as 192.168.1.1:8848 (IPv6 as [addr]:port)");

/** `host:port`, the form of an MSE cluster's URL. */
const HostPort = z
  .string()
  .regex(
    /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*:\d{1,5}$/,
    "must be host:port such as mse-66xxxxx-nacos-ans.mse.aliyuncs.com:8848",
  )
  .refine((s) => {
    const port = Number(s.slice(s.lastIndexOf(":") + 1));
    return !/:\d{1,5}$/.test(s) || (port >= 1 && port <= 65535);
  }, "must have a port from 1 to 65535");

/** A name on one line: the API carries it in a query parameter, where a line break has no place. */
const OneLine = (max: number) => z.string().min(1).max(max).refine(isOneLine, ONE_LINE_RULE);

/**
 * Most source namespaces one task takes. The API sends them comma-joined in one query parameter,
 * and a gateway refuses an over-long request line (HTTP 431, with no message), so the joined list
 * is bounded as well.
 */
export const MAX_NAMESPACES = 100;
/** Longest comma-joined namespace list, in characters. */
export const MAX_NAMESPACES_LENGTH = 2048;

/** Resource-level credentials; the resource class forces them secret. */
export const AlicloudCredentialsInput = z
  .object({
    accessKey: z.string().min(1),
    secretKey: z.string().min(1),
    securityToken: z.string().min(1).optional(),
  })
  .strict();

/** Inputs of `alicloud.mse.MigrationTask`. */
export const MseTaskInputs = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, "must be a region id such as cn-hangzhou"),
    clusterType: ClusterType,
    originInstanceName: OneLine(128),
    originInstanceAddress: IpPort,
    originInstanceNamespaces: z
      .array(OneLine(128).regex(/^[^,]+$/, "must not contain a comma"))
      .max(MAX_NAMESPACES, `must list at most ${MAX_NAMESPACES} namespaces`)
      .refine(
        (ns) => ns.join(",").length <= MAX_NAMESPACES_LENGTH,
        `must be at most ${MAX_NAMESPACES_LENGTH} characters once joined with commas`,
      )
      .optional(),
    targetInstanceId: z
      .string()
      .regex(/^mse-[A-Za-z0-9-]+$/, "must be an MSE instance id such as mse-cn-ud82xxxxx"),
    targetClusterName: OneLine(128).optional(),
    targetClusterUrl: HostPort.optional(),
    syncType: SyncType.optional(),
    description: z.string().max(1024).optional(),
    adoptTaskId: z.string().regex(/^\d+$/, "must be a task id (digits)").optional(),
    credentials: AlicloudCredentialsInput.optional(),
  })
  .strict();

/** Validated inputs. */
export type MseTaskInputs = z.output<typeof MseTaskInputs>;

/** What changes each field: UpdateMigrationTask replaces any field but the region, which is the endpoint. */
export const mseFields: FieldTable<MseTaskInputs> = {
  region: { change: "replace", doc: "the regional endpoint the task lives behind" },
  clusterType: { change: "update", readBack: true, doc: "ClusterType" },
  originInstanceName: { change: "update", readBack: true, doc: "OriginInstanceName" },
  originInstanceAddress: { change: "update", readBack: true, doc: "OriginInstanceAddress" },
  originInstanceNamespaces: {
    change: "update",
    set: true,
    readBack: true,
    doc: "OriginInstanceNamespace, comma-joined",
  },
  targetInstanceId: { change: "update", readBack: true, doc: "TargetInstanceId" },
  targetClusterName: { change: "update", readBack: true, doc: "TargetClusterName" },
  targetClusterUrl: { change: "update", readBack: true, doc: "TargetClusterUrl" },
  syncType: { change: "update", readBack: true, doc: "SyncType" },
  description: { change: "update", readBack: true, doc: "ProjectDesc" },
  adoptTaskId: { change: "local" },
  credentials: { change: "local", secret: true },
};

/** Rules across fields, checked at preview with whatever is known. */
export const mseRules: CrossRule<MseTaskInputs>[] = [
  (v, known) => {
    if (!known("originInstanceNamespaces") || !known("clusterType")) return [];
    if (v.clusterType === "Nacos-Ans" || !v.originInstanceNamespaces?.length) return [];
    return [
      {
        path: ["originInstanceNamespaces"],
        rule: `only a Nacos source (clusterType "Nacos-Ans") has namespaces, not ${v.clusterType}`,
      },
    ];
  },
  (v, known) => {
    if (!known("originInstanceNamespaces") || !v.originInstanceNamespaces) return [];
    const dup = v.originInstanceNamespaces.find((n, i, a) => a.indexOf(n) !== i);
    return dup === undefined ? [] : [{ path: ["originInstanceNamespaces"], rule: `${dup} is listed twice` }];
  },
];

/** Observed values the resource reports beside its inputs. */
export interface MseTaskObserved {
  /** Cloud task id, a decimal string. */
  taskId: string;
  /** The Alibaba Cloud account that owns the task. */
  userId?: string;
}
