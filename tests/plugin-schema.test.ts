/**
 * The Pulumi package schema of the `migration-tasks` plugin: valid against Pulumi's own
 * metaschema, faithful to the zod inputs and field tables, printed by the CLI, and matched by the
 * TypeScript resource classes' declared outputs.
 *
 * `fixtures/pulumi-package-metaschema.json` is `pkg/codegen/schema/pulumi.json` of pulumi/pulumi
 * v3.248.0 (Apache-2.0), the metaschema the engine validates package schemas with.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import Ajv2020 from "ajv/dist/2020";
import * as ts from "typescript";
import { main } from "../gitops/cli";
import { captureRegistrations } from "../harness";
import { huaweicloud, alicloud } from "../index";
import { KINDS } from "../plugin/kinds";
import type { PackageSpec, PropertySpec } from "../plugin/schema";
import { packageSchema } from "../plugin/schema";
import metaschema from "./fixtures/pulumi-package-metaschema.json";

const schema = packageSchema();
const SMS = "migration-tasks:huaweicloud/sms:MigrationTask";
const DCS = "migration-tasks:huaweicloud/dcs:MigrationTask";
const MSE = "migration-tasks:alicloud/mse:MigrationTask";
const res = (token: string) => schema.resources[token];

describe("the package schema", () => {
  it("is valid against Pulumi's package metaschema", () => {
    const validate = new Ajv2020({
      strict: false,
      allErrors: true,
      validateFormats: false,
      logger: false,
    }).compile(metaschema);
    const ok = validate(JSON.parse(JSON.stringify(schema)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("names the package and the three resource tokens", () => {
    expect(schema.name).toBe("migration-tasks");
    expect(Object.keys(schema.resources).sort()).toEqual([MSE, DCS, SMS].sort());
  });

  it("requires exactly the inputs without a default that zod requires", () => {
    expect(res(SMS).requiredInputs.sort()).toEqual(
      ["name", "type", "osType", "sourceServerId", "target", "region", "projectId"].sort(),
    );
    expect(res(DCS).requiredInputs.sort()).toEqual(
      ["kind", "name", "region", "projectId", "migrationMethod", "target"].sort(),
    );
    expect(res(MSE).requiredInputs.sort()).toEqual(
      ["region", "clusterType", "originInstanceName", "originInstanceAddress", "targetInstanceId"].sort(),
    );
  });

  it("declares every field of each table as an input and an output, and every observed value as an output", () => {
    for (const k of KINDS) {
      const r = res(k.token);
      expect(Object.keys(r.inputProperties).sort()).toEqual(Object.keys(k.fields).sort());
      expect(Object.keys(r.properties).sort()).toEqual(
        [...Object.keys(k.fields), ...Object.keys(k.observed)].sort(),
      );
    }
  });

  it("marks secret inputs and outputs secret, and nothing else", () => {
    const secrets = (m: Record<string, PropertySpec>) =>
      Object.entries(m)
        .filter(([, p]) => p.secret)
        .map(([k]) => k)
        .sort();
    expect(secrets(res(SMS).inputProperties)).toEqual(["credentials"]);
    expect(secrets(res(SMS).properties)).toEqual(["credentials", "passphrase"]);
    expect(secrets(res(DCS).inputProperties)).toEqual(["credentials", "sourcePassword", "targetPassword"]);
    expect(secrets(res(DCS).properties)).toEqual(["credentials", "sourcePassword", "targetPassword"]);
    expect(secrets(res(MSE).properties)).toEqual(["credentials"]);
    const cfg = schema.config.variables;
    expect(
      Object.keys(cfg)
        .filter((k) => cfg[k].secret)
        .sort(),
    ).toEqual(
      [
        "alicloudAccessKey",
        "alicloudSecretKey",
        "alicloudSecurityToken",
        "huaweicloudAccessKey",
        "huaweicloudSecretKey",
        "huaweicloudSecurityToken",
        "huaweicloudToken",
      ].sort(),
    );
  });

  it("sets replaceOnChanges from the replace fields only", () => {
    for (const k of KINDS) {
      const replaced = Object.entries(res(k.token).inputProperties)
        .filter(([, p]) => p.replaceOnChanges)
        .map(([n]) => n)
        .sort();
      const expected = Object.entries(k.fields)
        .filter(([, m]) => m.change === "replace")
        .map(([n]) => n)
        .sort();
      expect(replaced).toEqual(expected);
    }
    expect(res(SMS).inputProperties.sourceServerId.replaceOnChanges).toBe(true);
    expect(res(SMS).inputProperties.speedLimitMbps.replaceOnChanges).toBeUndefined();
  });

  it("turns zod enums into enum types with their allowed values, and keeps defaults", () => {
    const enumOf = (p: PropertySpec) => {
      const t = schema.types[(p.$ref ?? "").replace("#/types/", "")];
      return t?.enum?.map((e) => e.value);
    };
    expect(enumOf(res(SMS).inputProperties.type)).toEqual(["MIGRATE_FILE", "MIGRATE_BLOCK"]);
    expect(enumOf(res(SMS).inputProperties.state)).toEqual(["ready", "running", "paused", "cutover"]);
    expect(res(SMS).inputProperties.state.default).toBe("ready");
    expect(enumOf(res(DCS).inputProperties.kind)).toEqual(["online", "backup"]);
    // Named, so that code generators do not mangle values in capitals (Python MIGRAT_E_BLOCK).
    expect(schema.types["migration-tasks:huaweicloud/sms:TaskType"].enum).toEqual([
      { name: "MigrateFile", value: "MIGRATE_FILE" },
      { name: "MigrateBlock", value: "MIGRATE_BLOCK" },
    ]);
    expect(schema.types["migration-tasks:alicloud/mse:ClusterType"].enum?.map((e) => e.name)).toEqual([
      "NacosAns",
      "ZooKeeper",
      "Eureka",
    ]);
    expect(res(SMS).inputProperties.useIpv6).toMatchObject({ type: "boolean", default: false });
    expect(res(SMS).inputProperties.speedLimitMbps).toMatchObject({ type: "integer" });
    expect(res(SMS).inputProperties.speedLimitMbps.description).toContain("0 to 1000");
  });

  it("describes nested objects as named types with their own required fields", () => {
    const disk = schema.types["migration-tasks:huaweicloud/sms:TargetDisk"];
    expect(disk.type).toBe("object");
    expect(disk.required?.sort()).toEqual(["deviceUse", "diskId", "name", "size"]);
    expect(res(SMS).properties.subTasks).toEqual({
      type: "array",
      items: { $ref: "#/types/migration-tasks:huaweicloud/sms:SubTask" },
      description: "The migration's sub-tasks.",
    });
  });
});

describe("pulumi-migration-tasks schema --pulumi", () => {
  it("prints the package schema", async () => {
    let out = "";
    const code = await main(["schema", "--pulumi"], { out: (t) => (out += t), err: () => {}, cwd: "." });
    expect(code).toBe(0);
    expect(JSON.parse(out) as PackageSpec).toEqual(JSON.parse(JSON.stringify(packageSchema())));
  });
});

/** Instance properties a class declares itself, with the text of their types. */
function declaredProperties(file: string): Map<string, string> {
  // The project's own compiler options, so that zod and the SDK resolve as in the build.
  const configFile = path.join(__dirname, "..", "tsconfig.json");
  const { config } = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  const options = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(configFile)).options;
  const program = ts.createProgram([file], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const out = new Map<string, string>();
  ts.forEachChild(source, (node) => {
    if (!ts.isClassDeclaration(node) || node.name?.text !== "MigrationTask") return;
    for (const m of node.members) {
      if (!ts.isPropertyDeclaration(m) || !ts.isIdentifier(m.name)) continue;
      out.set(
        m.name.text,
        checker.typeToString(checker.getTypeAtLocation(m), undefined, ts.TypeFormatFlags.NoTruncation),
      );
    }
  });
  return out;
}

const classFiles: Record<string, string> = {
  [SMS]: "provider/huaweicloud/sms/resource.ts",
  [DCS]: "provider/huaweicloud/dcs/resource.ts",
  [MSE]: "provider/alicloud/mse/resource.ts",
};

describe("the TypeScript resource classes", () => {
  it.each(Object.keys(classFiles))(
    "%s declares exactly the schema's outputs, with matching types",
    (token) => {
      const declared = declaredProperties(path.join(__dirname, "..", classFiles[token]));
      const props = res(token).properties;
      expect([...declared.keys()].sort()).toEqual(Object.keys(props).sort());
      for (const [name, p] of Object.entries(props)) {
        const t = declared.get(name) ?? "";
        expect([name, /^Output(Instance)?</.test(t)]).toEqual([name, true]);
        const kind =
          p.type === "array"
            ? "[]"
            : p.type === "integer" || p.type === "number"
              ? "number"
              : p.type === "boolean"
                ? "boolean"
                : p.type === "string"
                  ? "string"
                  : undefined;
        if (kind) expect([name, t.includes(kind)]).toEqual([name, true]);
      }
    },
  );

  it("expose every schema output as an Output, even an input that was not given", async () => {
    const missing: Record<string, string[]> = {};
    const check = (r: object, token: string) => {
      missing[token] = Object.keys(res(token).properties).filter(
        (k) => !pulumi.Output.isInstance((r as Record<string, unknown>)[k]),
      );
    };
    await captureRegistrations(
      () => {
        const sms = new huaweicloud.sms.MigrationTask("web-01", {
          name: "web-01",
          type: "MIGRATE_BLOCK",
          osType: "LINUX",
          sourceServerId: "s-1",
          target: { vmId: "vm-1" },
          region: "cn-north-4",
          projectId: "0123456789abcdef0123456789abcdef",
        });
        check(sms, SMS);
        // The README's example: it compiles, and is an Output.
        if (!pulumi.Output.isInstance(sms.speedLimitMbps)) missing.speedLimitMbps = ["speedLimitMbps"];
        check(
          new huaweicloud.dcs.MigrationTask("redis", {
            kind: "backup",
            name: "redis-import",
            region: "cn-north-4",
            projectId: "0123456789abcdef0123456789abcdef",
            migrationMethod: "full_amount_migration",
            target: { instanceId: "i-1" },
          }),
          DCS,
        );
        check(
          new alicloud.mse.MigrationTask("registry", {
            region: "cn-hangzhou",
            clusterType: "Nacos-Ans",
            originInstanceName: "nacos",
            originInstanceAddress: "192.168.1.1:8848",
            targetInstanceId: "mse-cn-1",
          }),
          MSE,
        );
      },
      { project: "schema", stack: "test" },
    );
    expect(missing).toEqual({ [SMS]: [], [DCS]: [], [MSE]: [] });
  });
});
