/** Valid inputs (as the provider receives them) used by the tests of this resource. */
export const validOnlineInputs = {
  kind: "online",
  name: "sessions-to-dcs",
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  network: {
    vpcId: "c1d2e3f4-0001-4000-8000-000000000001",
    subnetId: "c1d2e3f4-0002-4000-8000-000000000001",
    securityGroupId: "c1d2e3f4-0003-4000-8000-000000000001",
  },
  migrationMethod: "incremental_migration",
  resumeMode: "auto",
  bandwidthLimitMb: 100,
  source: { address: "192.168.0.200:6379" },
  target: { instanceId: "d1e2f3a4-0001-4000-8000-000000000001" },
  sourcePassword: "SelfBuilt-Redis-Passw0rd",
  targetPassword: "Target-Redis-Passw0rd",
  state: "running",
};

/** Valid backup-import inputs. */
export const validBackupInputs = {
  kind: "backup",
  name: "sessions-import",
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  migrationMethod: "full_amount_migration",
  backupFiles: {
    fileSource: "self_build_obs",
    bucketName: "dcs-redis-backups",
    files: [{ name: "sessions-20240401.rdb" }],
  },
  target: { instanceId: "d1e2f3a4-0001-4000-8000-000000000001" },
  targetPassword: "Target-Redis-Passw0rd",
  state: "running",
};
