import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { captureRegistrations, containsPlaintext, isSecret, unwrapSecret } from "../harness";
import { DCS_FILE, MSE_FILE, SMS_FILE } from "./fixtures";
import { loadMigrations, MigrationFilesError } from "./load";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mt-load-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

describe("gitops.loadMigrations", () => {
  it("registers one resource per file, named by metadata.name, typed by kind", async () => {
    write("web-01.yaml", SMS_FILE);
    write("redis/sessions.yml", DCS_FILE);
    write("orders.yaml", MSE_FILE);
    let names: string[] = [];
    const regs = await captureRegistrations(
      () => {
        names = Object.keys(loadMigrations(dir));
      },
      {
        project: "gitops",
        stack: "dev",
        config: {
          sourceRedisPassword: { secret: "pw-source" },
          targetRedisPassword: { secret: "pw-target" },
        },
      },
    );
    expect(names.sort()).toEqual(["orders-registry", "sessions", "web-01"]);
    expect(regs.map((r) => [r.name, r.type]).sort()).toEqual([
      ["orders-registry", "pulumi-nodejs:dynamic/alicloud/mse:MigrationTask"],
      ["sessions", "pulumi-nodejs:dynamic/huaweicloud/dcs:MigrationTask"],
      ["web-01", "pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask"],
    ]);
    const web = regs.find((r) => r.name === "web-01");
    expect(web?.inputs).toMatchObject({ name: "web-01-to-ecs", speedLimitMbps: 100, state: "running" });
  });

  it("resolves secret references from stack config, also in another namespace, as secrets", async () => {
    write(
      "sessions.yaml",
      DCS_FILE.replace("{ config: sourceRedisPassword }", '{ config: "redis:sessionsSource" }'),
    );
    const regs = await captureRegistrations(() => loadMigrations(dir), {
      project: "gitops",
      stack: "dev",
      config: {
        "redis:sessionsSource": { secret: "pw-source" },
        targetRedisPassword: { secret: "pw-target" },
      },
    });
    const inputs = regs[0].inputs;
    expect(isSecret(inputs.sourcePassword)).toBe(true);
    expect(unwrapSecret(inputs.sourcePassword)).toBe("pw-source");
    expect(unwrapSecret(inputs.targetPassword)).toBe("pw-target");
    expect(inputs.source).toEqual({ address: "192.168.0.200:6379" });
    const { sourcePassword: _s, targetPassword: _t, ...rest } = inputs;
    expect(containsPlaintext(rest, "pw-source")).toBe(false);
    expect(containsPlaintext(rest, "pw-target")).toBe(false);
  });

  it("warns when a referenced secret is stored in plaintext config", async () => {
    write("sessions.yaml", DCS_FILE);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await captureRegistrations(() => loadMigrations(dir), {
        project: "gitops",
        stack: "dev",
        config: { sourceRedisPassword: "pw-plain", targetRedisPassword: { secret: "pw-target" } },
      });
      const said = warn.mock.calls.map((c) => String(c[0])).join("\n");
      expect(said).toContain(
        "config gitops:sourceRedisPassword is referenced as a secret but stored in plaintext; set it with pulumi config set --secret gitops:sourceRedisPassword",
      );
      expect(said).not.toContain("targetRedisPassword");
      expect(said).not.toContain("pw-plain");
    } finally {
      warn.mockRestore();
    }
  });

  it("fails naming the config key when a referenced secret is not set", async () => {
    write("sessions.yaml", DCS_FILE);
    await expect(
      captureRegistrations(() => loadMigrations(dir), {
        project: "gitops",
        stack: "dev",
        config: { targetRedisPassword: { secret: "pw-target" } },
      }),
    ).rejects.toThrow(/gitops:sourceRedisPassword/);
  });

  it("registers nothing when any file is invalid, and lists every problem", async () => {
    write("a.yaml", SMS_FILE.replace("osType: LINUX", "osType: OS2"));
    write("b.yaml", MSE_FILE.replace("syncType: All", "syncType: Some"));
    write("c.yaml", DCS_FILE);
    let thrown: unknown;
    const regs = await captureRegistrations(
      () => {
        try {
          loadMigrations(dir);
        } catch (e) {
          thrown = e;
        }
      },
      { project: "gitops", stack: "dev" },
    );
    expect(regs).toEqual([]);
    expect(thrown).toBeInstanceOf(MigrationFilesError);
    const rel = (f: string) => path.relative(process.cwd(), path.join(dir, f));
    expect((thrown as MigrationFilesError).message).toBe(
      [
        "2 problems in the migration files:",
        `${rel("a.yaml")}:8:11: spec.osType: must be one of "LINUX", "WINDOWS"`,
        `${rel("b.yaml")}:12:13: spec.syncType: must be one of "All", "Config", "Service"`,
      ].join("\n"),
    );
  });

  it("fails clearly for a folder that does not exist", () => {
    expect(() => loadMigrations(path.join(dir, "missing"))).toThrow(/missing: no such file or folder/);
  });
});
