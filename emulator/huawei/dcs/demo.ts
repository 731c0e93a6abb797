/**
 * The DCS demo data set: a VPC for migration ECSs, two DCS Redis instances, a self-built Redis
 * source, an OBS bucket of backup files and a backup record. Ids are fixed so that examples and
 * tests can name them; the demo passwords are listed in emulator/README.md.
 */
import { emulatorDefaults } from "../../defaults";
import type {
  BackupRecord,
  BucketRecord,
  NetworkRecord,
  RedisInstanceRecord,
  SelfBuiltRedisRecord,
} from "./models";
import { passwordDigest } from "./models";

/** Fixed ids and values of the demo data. */
export const dcsDemoIds = {
  vpcId: "c1d2e3f4-0001-4000-8000-000000000001",
  subnetId: "c1d2e3f4-0002-4000-8000-000000000001",
  securityGroupId: "c1d2e3f4-0003-4000-8000-000000000001",
  instances: {
    /** DCS Redis 6.0 `redis-sessions-target`, 192.168.0.153:6379. */
    target: "d1e2f3a4-0001-4000-8000-000000000001",
    /** DCS Redis 6.0 `redis-cache-source`, 192.168.0.154:6379. */
    source: "d1e2f3a4-0002-4000-8000-000000000001",
  },
  /** The self-built Redis source. */
  selfBuiltAddress: "192.168.0.200:6379",
  bucket: "dcs-redis-backups",
  backupFile: "sessions-20240401.rdb",
  backupId: "e1f2a3b4-0001-4000-8000-000000000001",
  passwords: {
    target: "Target-Redis-Passw0rd",
    source: "Source-Redis-Passw0rd",
    selfBuilt: "SelfBuilt-Redis-Passw0rd",
  },
} as const;

/** The demo network. */
export function demoNetworks(): NetworkRecord[] {
  return [
    {
      vpc_id: dcsDemoIds.vpcId,
      subnet_ids: [dcsDemoIds.subnetId],
      security_group_ids: [dcsDemoIds.securityGroupId],
      cidr_prefix: "192.168.0",
    },
  ];
}

/** The demo Redis instances. */
export function demoInstances(): RedisInstanceRecord[] {
  const base = {
    project_id: emulatorDefaults.projectId,
    port: 6379,
    status: "RUNNING" as const,
    subnet_id: dcsDemoIds.subnetId,
    engine_version: "6.0",
  };
  return [
    {
      ...base,
      id: dcsDemoIds.instances.target,
      name: "redis-sessions-target",
      ip: "192.168.0.153",
      spec_code: "redis.ha.xu1.large.r2.4",
      password_sha256: passwordDigest(dcsDemoIds.passwords.target),
      keys: 0,
    },
    {
      ...base,
      id: dcsDemoIds.instances.source,
      name: "redis-cache-source",
      ip: "192.168.0.154",
      spec_code: "redis.single.xu1.tiny.128",
      password_sha256: passwordDigest(dcsDemoIds.passwords.source),
      keys: 25_000,
    },
  ];
}

/** The demo self-built Redis source. */
export function demoSelfBuilt(): SelfBuiltRedisRecord[] {
  return [
    {
      address: dcsDemoIds.selfBuiltAddress,
      password_sha256: passwordDigest(dcsDemoIds.passwords.selfBuilt),
      keys: 120_000,
    },
  ];
}

/** The demo OBS bucket. */
export function demoBuckets(): BucketRecord[] {
  return [{ name: dcsDemoIds.bucket, files: [dcsDemoIds.backupFile, "sessions-20240402.rdb"] }];
}

/** The demo backup record (of the source instance). */
export function demoBackups(): BackupRecord[] {
  return [{ id: dcsDemoIds.backupId, instance_id: dcsDemoIds.instances.source }];
}
