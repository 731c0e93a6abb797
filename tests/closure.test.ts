/**
 * The serialized provider that Pulumi stores in state: small, requiring only the package by
 * name, free of credentials, and loadable in a fresh process from the project directory.
 */
import { spawnSync } from "node:child_process";
import { emulatorDefaults, smsDemoIds } from "../emulator";
import { captureRegistrations } from "../harness";
import { alicloud, huaweicloud } from "../index";
import { repoRoot, requireBuild } from "./helpers";

async function smsClosure(config: Record<string, string | { secret: string }> = {}): Promise<string> {
  const regs = await captureRegistrations(
    () => {
      new huaweicloud.sms.MigrationTask("web-01", {
        name: "web-01-to-ecs",
        type: "MIGRATE_BLOCK",
        osType: "LINUX",
        sourceServerId: smsDemoIds.sources.web01,
        target: { vmId: smsDemoIds.targets.ecsWeb01 },
        region: "cn-north-4",
        projectId: emulatorDefaults.projectId,
        credentials: { accessKey: emulatorDefaults.accessKey, secretKey: emulatorDefaults.secretKey },
      });
    },
    { project: "closure", stack: "test", config },
  );
  const text = regs.find((r) => r.type === "pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask")?.inputs
    .__provider;
  if (typeof text !== "string") throw new Error("no __provider was registered");
  return text;
}

describe("serialized provider of huaweicloud.sms.MigrationTask", () => {
  beforeAll(requireBuild);

  it("is under 4 KB and requires only the package's runtime by name", async () => {
    const text = await smsClosure();
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-migration-tasks/runtime"]));
  });

  it("contains no credential, from config, environment or resource arguments", async () => {
    process.env.HW_SECRET_KEY = emulatorDefaults.secretKey;
    const text = await smsClosure({
      "huaweicloud:accessKey": emulatorDefaults.accessKey,
      "huaweicloud:secretKey": { secret: emulatorDefaults.secretKey },
    });
    expect(text).not.toContain(emulatorDefaults.secretKey);
    expect(text).not.toContain(emulatorDefaults.accessKey);
  });

  it("loads in a fresh node process from the project directory, as the provider does", async () => {
    const text = await smsClosure();
    // The same loading as require-from-string in cmd/dynamic-provider: an empty filename,
    // module paths from the working directory.
    const script = `
      const Module = require("module");
      const m = new Module("", null);
      m.paths = Module._nodeModulePaths(process.cwd());
      m._compile(require("fs").readFileSync(0, "utf8"), "");
      const p = m.exports.handler();
      const runtime = require(require.resolve("pulumi-migration-tasks/runtime", { paths: [process.cwd()] }));
      console.log([typeof p.check, typeof p.delete, typeof runtime.huaweicloudSms.create].join(","));
    `;
    const res = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot, input: text, encoding: "utf8" });
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe("function,function,function");
  });
});

describe("serialized provider of alicloud.mse.MigrationTask", () => {
  beforeAll(requireBuild);

  it("is under 4 KB, requires only the runtime by name and holds no credential", async () => {
    const regs = await captureRegistrations(
      () => {
        new alicloud.mse.MigrationTask("orders-registry", {
          region: "cn-hangzhou",
          clusterType: "Nacos-Ans",
          originInstanceName: "orders-nacos",
          originInstanceAddress: "192.168.1.1:8848",
          targetInstanceId: "mse-cn-ud82xxxxx",
          credentials: { accessKey: "LTAIclosuretestkey", secretKey: "closure-test-secret-value" },
        });
      },
      {
        project: "closure",
        stack: "test",
        config: { "alicloud:secretKey": { secret: "config-secret-value" } },
      },
    );
    const text = regs.find((r) => r.type.startsWith("pulumi-nodejs:dynamic/alicloud/mse"))?.inputs.__provider;
    if (typeof text !== "string") throw new Error("no __provider was registered");
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
    const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["pulumi-migration-tasks/runtime"]));
    for (const s of ["closure-test-secret-value", "config-secret-value", "LTAIclosuretestkey"]) {
      expect(text).not.toContain(s);
    }
  });
});
