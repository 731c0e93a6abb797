import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { main } from "./cli";
import { DCS_FILE, MSE_FILE, SMS_FILE } from "./fixtures";

/** Runs a command in-process and returns what a user would see. */
async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mt-cli-"));
  fs.mkdirSync(path.join(dir, "migrations"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

describe("pulumi-migration-tasks validate", () => {
  it("exits 0 and prints no problem for valid files, with a summary on stderr", async () => {
    write("migrations/web-01.yaml", SMS_FILE);
    write("migrations/redis/sessions.yml", DCS_FILE);
    write("migrations/README.txt", "not a migration file");
    const r = await run(["validate", "migrations/"], dir);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "validate: 2 files, 0 invalid, 0 problems\n" });
  });

  it("defaults to the migrations folder", async () => {
    write("migrations/web-01.yaml", SMS_FILE.replace("osType: LINUX", "osType: MACOS"));
    const r = await run(["validate"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('migrations/web-01.yaml:8:11: spec.osType: must be one of "LINUX", "WINDOWS"\n');
  });

  it("exits 1 and prints every problem of every file as file:line:column: field: rule", async () => {
    write("migrations/a-broken.yaml", "apiVersion: pulumi-migration-tasks/v1\nkind: [\n");
    write("migrations/b-web-01.yaml", SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 1001"));
    write(
      "migrations/c-sessions.yaml",
      DCS_FILE.replace("password: { config: sourceRedisPassword }", "password: s3cret"),
    );
    write("migrations/d-orders.yaml", MSE_FILE);
    const r = await run(["validate", "migrations"], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^migrations\/a-broken\.yaml:\d+:\d+: \(yaml\): /);
    expect(lines[1]).toBe("migrations/b-web-01.yaml:13:19: spec.speedLimitMbps: must be at most 1000");
    expect(lines[2]).toMatch(/^migrations\/c-sessions\.yaml:15:15: spec\.source\.password: is a secret/);
    expect(r.stdout).not.toContain("s3cret");
    expect(r.stderr).toBe("validate: 4 files, 3 invalid, 3 problems\n");
  });

  it("exits 2 for a path that does not exist", async () => {
    const r = await run(["validate", "nowhere"], dir);
    expect(r).toMatchObject({ code: 2, stdout: "" });
    expect(r.stderr).toBe("pulumi-migration-tasks: nowhere: no such file or folder\n");
  });
});

describe("pulumi-migration-tasks schema", () => {
  const schemaOf = async () => {
    const r = await run(["schema"], dir);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it("prints a draft 2020-12 JSON Schema that accepts every valid file", async () => {
    const schema = await schemaOf();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const text of [SMS_FILE, DCS_FILE, MSE_FILE]) {
      expect({ ok: validate(parse(text)), errors: validate.errors }).toEqual({ ok: true, errors: null });
    }
  });

  it.each([
    ["an unknown field", SMS_FILE.replace("speedLimitMbps:", "speedLimit:")],
    ["a bad enum", SMS_FILE.replace("osType: LINUX", "osType: MACOS")],
    ["an out-of-range value", SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 1001")],
    ["a plaintext password", DCS_FILE.replace("{ config: sourceRedisPassword }", "hunter2")],
    ["an unknown kind", SMS_FILE.replace("huaweicloud.sms.MigrationTask", "huaweicloud.sms.Task")],
    ["a missing required field", SMS_FILE.replace(/ {2}osType: LINUX\n/, "")],
  ])("rejects %s, as editors will flag it", async (_what, text) => {
    const validate = new Ajv2020({ strict: false }).compile(await schemaOf());
    expect(validate(parse(text))).toBe(false);
  });
});

describe("pulumi-migration-tasks usage", () => {
  it("exits 2 with the usage for an unknown command or a missing --base", async () => {
    const unknown = await run(["lint"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown command "lint"\nusage:/);
    const noBase = await run(["review"], dir);
    expect(noBase.code).toBe(2);
    expect(noBase.stderr).toMatch(/^review: --base <git revision> is required\nusage:/);
    const badFlag = await run(["validate", "--fix"], dir);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--fix/);
  });

  it("prints the usage for help", async () => {
    const r = await run(["--help"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pulumi-migration-tasks review --base <rev>/);
  });

  it("exits 2 naming git's complaint for a revision that does not exist", async () => {
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const r = await run(["review", "--base", "no-such-branch"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pulumi-migration-tasks: git rev-parse: /);
  });
});

describe("pulumi-migration-tasks review in a git repository", () => {
  const gitEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
  };
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env: gitEnv, stdio: "pipe" });
  const commitAll = () => {
    git("add", "-A");
    git("commit", "-q", "-m", "change");
  };
  beforeEach(() => {
    git("init", "-q");
    write("migrations/web 01.yaml", SMS_FILE);
    write("migrations/.archive/orders.yaml", MSE_FILE);
    write("migrations/redis/sessions.yaml", DCS_FILE);
    commitAll();
  });

  it("chooses the same files at the base as in the working tree: a hidden folder is neither", async () => {
    const r = await run(["review", "--base", "HEAD"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "**0 to create · 0 to update in place · 0 to replace · 0 to delete · 2 unchanged**",
    );
  });

  it("reads paths with spaces, and lists every task as deleted when the folder goes", async () => {
    fs.rmSync(path.join(dir, "migrations"), { recursive: true });
    const r = await run(["review", "--base", "HEAD"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "**0 to create · 0 to update in place · 0 to replace · 2 to delete · 0 unchanged**",
    );
    expect(r.stdout).toContain(
      "| `web-01` | `huaweicloud.sms.MigrationTask` | **delete** | — | `migrations/web 01.yaml` |",
    );
  });

  it("does not follow links inside the folder, as git does not", async () => {
    fs.symlinkSync("..", path.join(dir, "migrations", "up"));
    const v = await run(["validate"], dir);
    expect(v).toEqual({ code: 0, stdout: "", stderr: "validate: 2 files, 0 invalid, 0 problems\n" });
    const r = await run(["review", "--base", "HEAD"], dir);
    expect(r.stdout).toContain("2 unchanged");
  });
});
