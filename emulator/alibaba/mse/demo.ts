/** The `demo` data set of MSE: target instances, and the task of the UpdateMigrationTask page's example. */
import type { MseInstance, MseSnapshot } from "./models";

/** Ids of the demo data, for tests and examples. */
export const mseDemoIds = {
  instances: {
    /** Nacos in cn-hangzhou, the target of the README's example. */
    ordersNacos: "mse-cn-ud82xxxxx",
    /** ZooKeeper in cn-hangzhou. */
    zookeeper: "mse-cn-zk7q1xxxxx",
    /** Eureka in cn-shanghai. */
    eureka: "mse-cn-eu3m9xxxxx",
  },
  /** The task the documentation's UpdateMigrationTask example updates (`Id=1`). */
  task: 1,
} as const;

function instances(): MseInstance[] {
  return [
    {
      instanceId: mseDemoIds.instances.ordersNacos,
      name: "orders",
      clusterType: "Nacos-Ans",
      region: "cn-hangzhou",
    },
    {
      instanceId: mseDemoIds.instances.zookeeper,
      name: "coordination",
      clusterType: "ZooKeeper",
      region: "cn-hangzhou",
    },
    {
      instanceId: mseDemoIds.instances.eureka,
      name: "legacy-eureka",
      clusterType: "Eureka",
      region: "cn-shanghai",
    },
    // The documentation's masked example ids, so that its requests work verbatim.
    {
      instanceId: "mse-cn-ud82*****",
      name: "Destination instance",
      clusterType: "Nacos-Ans",
      region: "cn-hangzhou",
    },
    {
      instanceId: "mse-cn-zvp2u*****",
      name: "multiple-nacos",
      clusterType: "Nacos-Ans",
      region: "cn-hangzhou",
    },
  ];
}

/** The demo data set. */
export function demoState(): MseSnapshot {
  const t = Date.parse("2022-01-07T10:07:57.000Z");
  return {
    nextId: 2,
    instances: instances(),
    tasks: [
      {
        id: mseDemoIds.task,
        clusterType: "Nacos-Ans",
        originInstanceAddress: "192.168.100.2:2181",
        originInstanceName: "src",
        originInstanceNamespace: "fsdfsdfdsf",
        targetInstanceId: "mse-cn-zvp2u*****",
        targetClusterName: "multiple-nacos",
        targetClusterUrl: "mse-0b*****-nacos-ans.mse.aliyuncs.com:8848",
        projectDesc: "1232345",
        created: t,
        modified: t,
      },
    ],
  };
}

/** Only the instances: `empty` keeps no task but the targets are infrastructure, not tasks. */
export function emptyState(): MseSnapshot {
  return { nextId: 1, instances: instances(), tasks: [] };
}
