import fc from "fast-check";
import { UNKNOWN } from "../../common/unknown";
import { check, diff } from "./impl";

const valid = {
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "orders-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  originInstanceNamespaces: ["public", "orders"],
  targetInstanceId: "mse-cn-ud82xxxxx",
  targetClusterName: "orders",
  targetClusterUrl: "mse-66xxxxx-nacos-ans.mse.aliyuncs.com:8848",
  syncType: "All",
  description: "orders registry into MSE",
};

describe("alicloud.mse.MigrationTask check", () => {
  it("accepts the documented example", async () => {
    expect((await check({}, valid)).failures ?? []).toEqual([]);
  });

  it.each([
    ["bad cluster type", { clusterType: "Consul" }, "clusterType"],
    ["address without port", { originInstanceAddress: "192.168.1.1" }, "originInstanceAddress"],
    ["address with a bad port", { originInstanceAddress: "192.168.1.1:99999" }, "originInstanceAddress"],
    [
      "namespaces on ZooKeeper",
      { clusterType: "ZooKeeper", originInstanceNamespaces: ["a"] },
      "originInstanceNamespaces",
    ],
    ["duplicate namespace", { originInstanceNamespaces: ["a", "a"] }, "originInstanceNamespaces"],
    ["bad sync type", { syncType: "Some" }, "syncType"],
    ["bad target id", { targetInstanceId: "i-123" }, "targetInstanceId"],
    ["unknown field", { clustertype: "Nacos-Ans" }, "clustertype"],
  ])("rejects %s naming the field", async (_label, patch, property) => {
    const r = await check({}, { ...valid, ...patch });
    expect((r.failures ?? []).map((f) => f.property)).toContain(property);
    expect((r.failures ?? []).find((f) => f.property === property)?.reason).toMatch(
      new RegExp(`^${property}`),
    );
  });

  it("lets unknown values through during preview", async () => {
    const r = await check(
      {},
      { ...valid, originInstanceAddress: UNKNOWN, originInstanceNamespaces: UNKNOWN },
    );
    expect(r.failures ?? []).toEqual([]);
  });
});

describe("alicloud.mse.MigrationTask diff", () => {
  it("compares namespaces as a set and replaces only on a region change", async () => {
    const olds = { ...(await check({}, valid)).inputs, taskId: "1" };
    const reordered = (await check({}, { ...valid, originInstanceNamespaces: ["orders", "public"] })).inputs;
    expect((await diff("1", olds, reordered)).changes).toBe(false);
    const renamed = (await check({}, { ...valid, targetClusterName: "orders-2" })).inputs;
    expect(await diff("1", olds, renamed)).toMatchObject({ changes: true, replaces: [] });
    const moved = (await check({}, { ...valid, region: "cn-shanghai" })).inputs;
    expect((await diff("1", olds, moved)).replaces).toEqual(["region"]);
  });

  it("property: a normalised input never diffs against itself", async () => {
    const ns = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(ns, fc.constantFrom("All", "Service", "Config"), async (namespaces, syncType) => {
        const first = (await check({}, { ...valid, originInstanceNamespaces: namespaces, syncType })).inputs;
        const again = (await check({}, first)).inputs;
        expect((await diff("1", { ...first }, again)).changes).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
