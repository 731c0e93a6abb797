/**
 * Inputs that the cloud would refuse (or answer with no message) fail `check`, so `pulumi
 * preview` reports them with the field and the rule before anything is created.
 */
import * as mse from "../provider/alicloud/mse/impl";
import * as dcs from "../provider/huaweicloud/dcs/impl";
import { validOnlineInputs } from "../provider/huaweicloud/dcs/fixtures";
import * as sms from "../provider/huaweicloud/sms/impl";
import { validInputs } from "../provider/huaweicloud/sms/fixtures";
import type { PropertyMap } from "../provider/common/values";

const mseBase = {
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "orders-nacos",
  originInstanceAddress: "192.168.1.1:8848",
  targetInstanceId: "mse-cn-ud82xxxxx",
};

type Check = (
  olds: PropertyMap,
  news: PropertyMap,
) => Promise<{ failures?: { property: string; reason: string }[] }>;

async function failures(check: Check, inputs: PropertyMap) {
  return (await check({}, inputs)).failures ?? [];
}

test.each([
  [
    "mse",
    mse.check,
    { ...mseBase, targetClusterUrl: "h.example.com:0" },
    "targetClusterUrl",
    /port .*1 to 65535/,
  ],
  [
    "mse",
    mse.check,
    { ...mseBase, targetClusterUrl: "h.example.com:99999" },
    "targetClusterUrl",
    /port .*1 to 65535/,
  ],
  [
    "mse",
    mse.check,
    { ...mseBase, originInstanceNamespaces: Array.from({ length: 2000 }, (_, i) => `ns-${i}`) },
    "originInstanceNamespaces",
    /at most 100/,
  ],
  [
    "mse",
    mse.check,
    { ...mseBase, originInstanceNamespaces: Array.from({ length: 60 }, (_, i) => `${"n".repeat(100)}-${i}`) },
    "originInstanceNamespaces",
    /at most 2048 characters/,
  ],
  ["mse", mse.check, { ...mseBase, originInstanceName: "orders\nnacos" }, "originInstanceName", /line break/],
  ["mse", mse.check, { ...mseBase, targetClusterName: "orders\r\n" }, "targetClusterName", /line break/],
  [
    "mse",
    mse.check,
    { ...mseBase, originInstanceNamespaces: ["pub\nlic"] },
    "originInstanceNamespaces",
    /line break/,
  ],
  ["sms", sms.check, { ...validInputs, timeouts: { create: "0s" } }, "timeouts", /longer than 0s/],
  ["sms", sms.check, { ...validInputs, timeouts: { delete: "0m" } }, "timeouts", /longer than 0s/],
  ["sms", sms.check, { ...validInputs, cutoverApproval: "CHG-1\r\nx" }, "cutoverApproval", /line break/],
  ["dcs", dcs.check, { ...validOnlineInputs, timeouts: { update: "0h" } }, "timeouts", /longer than 0s/],
] as const)(
  "%s, case %#: fails, naming the field and the rule",
  async (_kind, check, inputs, property, rule) => {
    const f = await failures(check as Check, inputs as PropertyMap);
    expect(f.map((x) => x.property)).toContain(property);
    expect(f.find((x) => x.property === property)?.reason).toMatch(rule);
  },
);

test.each([
  ["mse", mse.check, { ...mseBase, targetClusterUrl: "h.example.com:8848" }],
  [
    "mse",
    mse.check,
    { ...mseBase, originInstanceNamespaces: Array.from({ length: 100 }, (_, i) => `ns-${i}`) },
  ],
  ["sms", sms.check, { ...validInputs, timeouts: { create: "1s" } }],
] as const)("%s, case %#: passes", async (_kind, check, inputs) => {
  expect(await failures(check as Check, inputs as PropertyMap)).toEqual([]);
});

test("a field problem does not hide a cross-field rule: check reports both at once", async () => {
  const f = await failures(
    dcs.check as Check,
    {
      ...validOnlineInputs,
      name: "1-sessions",
      migrationMethod: "full_amount_migration",
      bandwidthLimitMb: 100,
    } as PropertyMap,
  );
  expect(f.map((x) => x.property).sort()).toEqual(["bandwidthLimitMb", "name"]);
});
