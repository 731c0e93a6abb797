/** Migration files for tests: valid, so that each test breaks exactly one thing. */

/** A valid SMS file. */
export const SMS_FILE = `apiVersion: pulumi-migration-tasks/v1
kind: huaweicloud.sms.MigrationTask
metadata:
  name: web-01
spec:
  name: web-01-to-ecs
  type: MIGRATE_BLOCK
  osType: LINUX
  sourceServerId: "a1b2c3d4-0001-4000-8000-000000000001"
  target: { vmId: "b1b2c3d4-0002-4000-8000-000000000001" }
  region: cn-north-4
  projectId: "0123456789abcdef0123456789abcdef"
  speedLimitMbps: 100
  state: running
`;

/** A valid DCS file with both passwords as references. */
export const DCS_FILE = `apiVersion: pulumi-migration-tasks/v1
kind: huaweicloud.dcs.MigrationTask
metadata:
  name: sessions
spec:
  kind: online
  name: sessions-to-dcs
  region: cn-north-4
  projectId: "0123456789abcdef0123456789abcdef"
  network: { vpcId: v1, subnetId: s1, securityGroupId: g1 }
  migrationMethod: incremental_migration
  bandwidthLimitMb: 100
  source:
    address: "192.168.0.200:6379"
    password: { config: sourceRedisPassword }
  target:
    instanceId: d1e2f3a4-0001-4000-8000-000000000001
    password: { config: targetRedisPassword }
`;

/** A valid MSE file. */
export const MSE_FILE = `apiVersion: pulumi-migration-tasks/v1
kind: alicloud.mse.MigrationTask
metadata:
  name: orders-registry
spec:
  region: cn-hangzhou
  clusterType: Nacos-Ans
  originInstanceName: orders-nacos
  originInstanceAddress: "192.168.1.1:8848"
  originInstanceNamespaces: [public, orders]
  targetInstanceId: mse-cn-ud82xxxxx
  syncType: All
`;
