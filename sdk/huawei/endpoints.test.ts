import { huaweiEndpoint } from "./endpoints";

const none = { endpoints: {} };

describe("huaweiEndpoint", () => {
  test.each([
    ["sms", "cn-north-4", "https://sms.cn-north-4.myhuaweicloud.com"],
    ["sms", "ap-southeast-3", "https://sms.ap-southeast-3.myhuaweicloud.com"],
    ["sms", "my-kualalumpur-1", "https://sms.my-kualalumpur-1.myhuaweicloud.com"],
    ["sms", "ru-moscow-1", "https://sms-api.ru-moscow-1.myhuaweicloud.com"],
    ["sms", "cn-east-3", "https://sms.cn-east-3.myhuaweicloud.com"],
    ["sms", "eu-west-101", "https://sms.myhuaweicloud.eu"],
    ["dcs", "cn-north-4", "https://dcs.cn-north-4.myhuaweicloud.com"],
    ["dcs", "ru-moscow-1", "https://dcs.ru-moscow-1.myhuaweicloud.com"],
    ["dcs", "eu-west-0", "https://dcs.eu-west-0.myhuaweicloud.com"],
    ["dcs", "eu-west-101", "https://dcs.eu-west-101.myhuaweicloud.eu"],
    ["iam", "cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com"],
    ["iam", "eu-west-101", "https://iam.eu-west-101.myhuaweicloud.eu"],
  ] as const)("%s in %s: %s", (service, region, want) => {
    expect(huaweiEndpoint(service, region, none)).toBe(want);
  });

  test("an override wins, for that service only, with trailing slashes stripped", () => {
    const settings = {
      endpoints: { sms: "http://127.0.0.1:1234/", dcs: " https://dcs.example.com/base// " },
    };
    expect(huaweiEndpoint("sms", "cn-north-4", settings)).toBe("http://127.0.0.1:1234");
    expect(huaweiEndpoint("dcs", "cn-north-4", settings)).toBe("https://dcs.example.com/base");
    expect(huaweiEndpoint("iam", "cn-north-4", settings)).toBe("https://iam.cn-north-4.myhuaweicloud.com");
  });

  test("an override does not need a valid region", () => {
    expect(huaweiEndpoint("sms", "", { endpoints: { sms: "http://localhost:9" } })).toBe(
      "http://localhost:9",
    );
  });

  test.each(["127.0.0.1:1234", "ftp://host", "not a url", "http://", "https://h/?x=1", "https://h/#f"])(
    "rejects the override %j, naming where it came from",
    (bad) => {
      const settings = {
        endpoints: { sms: bad },
        sources: { "endpoints.sms": "environment MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT" },
      };
      expect(() => huaweiEndpoint("sms", "cn-north-4", settings)).toThrow(
        /the sms endpoint override from environment MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT (is not an http\(s\) URL|must not have a query)/,
      );
    },
  );

  test("without sources the error names the settings key", () => {
    expect(() => huaweiEndpoint("dcs", "cn-north-4", { endpoints: { dcs: "dcs.local" } })).toThrow(
      /the dcs endpoint override from endpoints.dcs is not an http\(s\) URL: "dcs.local"/,
    );
  });

  test.each(["", "CN-NORTH-4", "cn-north-4.evil.com/x", "cn north 4", "-cn"])(
    "rejects the region %j",
    (region) => {
      expect(() => huaweiEndpoint("sms", region, none)).toThrow(/is not a Huawei Cloud region id/);
    },
  );
});
