/**
 * examples/gitops end to end: the package's `pulumi-migration-tasks` bin validates its
 * migrations and reviews a pull request between two committed revisions of a fixture
 * repository, and its two-line stack loads through the engine harness (the real
 * dynamic-provider process) against the emulator.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type * as Package from "..";
import type { Emulator } from "../emulator";
import { dcsDemoIds } from "../emulator";
import { containsPlaintext, DeploymentError, isSecret, MiniEngine } from "../harness";
import { emulatorForTests, exampleProgram, repoRoot, requireBuild, writes } from "./helpers";

const execFileAsync = promisify(execFile);
const example = path.join(repoRoot, "examples", "gitops");
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  bin: Record<string, string>;
};
const bin = path.join(repoRoot, pkg.bin["pulumi-migration-tasks"]);

// A pull request's job: no cloud credentials in the environment and no profile files at home.
const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), "mt-home-"));
const noCloudEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(HW_|OS_|HUAWEICLOUD_|ALICLOUD_|ALIBABA_CLOUD_|MIGRATION_TASKS_)/.test(k),
    ),
  ),
  HOME: emptyHome,
};
afterAll(() => fs.rmSync(emptyHome, { recursive: true, force: true }));

/** Runs the bin as `npx pulumi-migration-tasks` would; never throws, returns what a user sees. */
async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await execFileAsync(process.execPath, [bin, ...args], { cwd, env: noCloudEnv });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Platform Team",
  GIT_AUTHOR_EMAIL: "platform@example.com",
  GIT_COMMITTER_NAME: "Platform Team",
  GIT_COMMITTER_EMAIL: "platform@example.com",
};
const git = (cwd: string, ...args: string[]) => execFileAsync("git", args, { cwd, env: gitEnv });

beforeAll(() => requireBuild());

describe("the pulumi-migration-tasks bin", () => {
  it("is declared by the package, and runs as a command (shebang, executable after a build)", async () => {
    expect(pkg.bin["pulumi-migration-tasks"]).toBe("dist/gitops/cli.js");
    expect(fs.readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
    const r = await execFileAsync(bin, ["--help"], { env: noCloudEnv });
    expect(r.stdout).toMatch(/^usage:\n {2}pulumi-migration-tasks validate/);
  });

  it("validates the example's migrations with no cloud credentials", async () => {
    const r = await cli(["validate", "migrations/"], example);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "validate: 3 files, 0 invalid, 0 problems\n" });
  });
});

describe("review of a pull request in a GitOps repository", () => {
  let repo: string;
  beforeAll(async () => {
    // The fixture repository: the example's layout as its main branch, then one pull request.
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "mt-gitops-"));
    for (const f of ["Pulumi.yaml", "index.ts", "package.json", "policy-config.json"]) {
      fs.copyFileSync(path.join(example, f), path.join(repo, f));
    }
    fs.cpSync(path.join(example, "migrations"), path.join(repo, "migrations"), { recursive: true });
    await git(repo, "init", "-q", "-b", "main");
    await git(repo, "add", ".");
    await git(repo, "commit", "-q", "-m", "Migrations: web-01, sessions Redis, orders registry");
    await git(repo, "checkout", "-q", "-b", "cutover-web-01");

    const m = (f: string) => path.join(repo, "migrations", f);
    const web01 = fs.readFileSync(m("web-01.yaml"), "utf8");
    fs.writeFileSync(
      m("web-01.yaml"),
      web01
        .replace("speedLimitMbps: 100", "speedLimitMbps: 300")
        .replace("state: running", "state: cutover\n  cutoverApproval: CHG-2041 approved by the web team"),
    );
    fs.writeFileSync(
      m("web-02.yaml"),
      web01
        .replace(/web-01/g, "web-02")
        .replace("a1b2c3d4-0001-4000-8000-000000000001", "a1b2c3d4-0001-4000-8000-000000000002")
        .replace("b1b2c3d4-0002-4000-8000-000000000001", "b1b2c3d4-0002-4000-8000-000000000002")
        .replace("192.168.10.21", "192.168.10.22"),
    );
    const sessions = fs.readFileSync(m("sessions-redis.yaml"), "utf8");
    fs.writeFileSync(
      m("sessions-redis.yaml"),
      sessions
        .replace("bandwidthLimitMb: 100", "bandwidthLimitMb: 200")
        .replace("{ config: sourceRedisPassword }", "{ config: sessionsRedisPassword }"),
    );
    fs.rmSync(m("orders-registry.yaml"));
    await git(repo, "add", "-A");
    await git(repo, "commit", "-q", "-m", "Cut web-01 over, add web-02, retire the orders registry task");
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("prints the Markdown review of the change since the base revision", async () => {
    const r = await cli(["review", "--base", "main", "migrations/"], repo);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const md = r.stdout;
    const base = (await git(repo, "rev-parse", "--short", "main")).stdout.trim();
    expect(md).toContain(`## Migration tasks: \`main\` (${base}) → working tree`);
    expect(md).toContain("**1 to create · 2 to update in place · 0 to replace · 1 to delete · 0 unchanged**");
    expect(md).toContain("> - `orders-registry`: deleting a running migration stops it and removes the task");
    expect(md).toContain(
      "> - `web-01`: cutover launches the target server and ends replication from the source; it cannot be undone",
    );
    expect(md).toContain(
      "| `web-01` | `huaweicloud.sms.MigrationTask` | update in place | **cutover** | `migrations/web-01.yaml` |",
    );
    expect(md).toContain(
      "| `web-02` | `huaweicloud.sms.MigrationTask` | create | start | `migrations/web-02.yaml` |",
    );
    expect(md).toContain(
      "| `sessions-redis` | `huaweicloud.dcs.MigrationTask` | update in place | **stop, reconfigure** | `migrations/sessions-redis.yaml` |",
    );
    expect(md).toContain("| `speedLimitMbps` | `100` | `300` | update in place |");
    expect(md).toContain("| `bandwidthLimitMb` | `100` | `200` | update in place |");
    expect(md).toContain("| `source.password` | (secret) | (secret, changed) | update in place |");
    expect(md).not.toMatch(/sessionsRedisPassword|sourceRedisPassword/);
  });

  it("compares with the working tree, uncommitted edits included, from a subfolder too", async () => {
    const file = path.join(repo, "migrations", "web-02.yaml");
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, before.replace("osType: LINUX", "osType: WINDOWS"));
    try {
      const r = await cli(["review", "--base", "HEAD", "."], path.join(repo, "migrations"));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        "**0 to create · 0 to update in place · 1 to replace · 0 to delete · 2 unchanged**",
      );
      expect(r.stdout).toContain("| `osType` | `LINUX` | `WINDOWS` | replace |");
      expect(r.stdout).toContain(
        "> - `web-02`: replacing a running migration deletes it: the task and its progress are lost, and a new task starts over",
      );
      expect(r.stdout).toContain("`web-02.yaml`");
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  it("exits 1 and lists the problems when a changed file is invalid", async () => {
    const file = path.join(repo, "migrations", "web-02.yaml");
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, before.replace("speedLimitMbps: 100", "speedLimitMbps: lots"));
    try {
      const r = await cli(["review", "--base", "main"], repo);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("> [!CAUTION]");
      expect(r.stdout).toContain(
        "migrations/web-02.yaml:15:19: spec.speedLimitMbps: must be a number, not a string",
      );
      const v = await cli(["validate"], repo);
      expect(v.code).toBe(1);
      expect(v.stdout).toBe(
        "migrations/web-02.yaml:15:19: spec.speedLimitMbps: must be a number, not a string\n",
      );
    } finally {
      fs.writeFileSync(file, before);
    }
  });
});

describe("the example stack, gitops.loadMigrations('./migrations'), through the engine harness", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await emulatorForTests();
  });
  afterAll(async () => emulator?.close());

  const config = {
    sourceRedisPassword: { secret: dcsDemoIds.passwords.selfBuilt },
    targetRedisPassword: { secret: dcsDemoIds.passwords.target },
  };

  it("registers one resource per file, converges them, stays unchanged, and destroys them", async () => {
    const engine = new MiniEngine({ projectDir: example, project: "gitops", stack: "test", config });
    const program = exampleProgram(example);
    try {
      const up = await engine.up(program);
      expect(up.steps.map((s) => [s.op, s.name]).sort()).toEqual([
        ["create", "orders-registry"],
        ["create", "sessions-redis"],
        ["create", "web-01"],
      ]);
      expect(engine.find("web-01")?.type).toBe("pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask");
      expect(engine.find("web-01")?.outputs.status).toMatch(/^(RUNNING|MIGRATE_SUCCESS|SYNCING)$/);
      expect(engine.find("sessions-redis")?.outputs.status).toBe("INCRMIGEATING");
      expect(engine.find("orders-registry")?.outputs.taskId).toMatch(/^\d+$/);
      expect(isSecret(engine.find("sessions-redis")?.outputs.sourcePassword)).toBe(true);
      for (const p of Object.values(dcsDemoIds.passwords)) {
        expect(containsPlaintext(engine.snapshot(), p)).toBe(false);
      }

      emulator.clearRequests();
      const again = await engine.up(program);
      expect(again.steps.map((s) => s.op)).toEqual(["same", "same", "same"]);
      expect(writes(emulator)).toEqual([]);

      const down = await engine.destroy();
      expect(down.steps.map((s) => s.op)).toEqual(["delete", "delete", "delete"]);
    } finally {
      await engine.close();
    }
  });

  it("fails the program before registering anything when a file is invalid, naming file, line and column", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mt-gitops-bad-"));
    fs.cpSync(path.join(example, "migrations"), dir, { recursive: true });
    const f = path.join(dir, "web-01.yaml");
    fs.writeFileSync(f, fs.readFileSync(f, "utf8").replace("osType: LINUX", "osType: SOLARIS"));
    const engine = new MiniEngine({ projectDir: example, project: "gitops", stack: "bad", config });
    // The same package the example loads, so that resources register with this engine.
    const { gitops } = require(
      require.resolve("pulumi-migration-tasks", { paths: [example] }),
    ) as typeof Package;
    emulator.clearRequests();
    try {
      const err = await engine.up(() => gitops.loadMigrations(dir)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeploymentError);
      const e = err as DeploymentError;
      expect(e.message).toContain("1 problem in the migration files:");
      expect(e.message).toContain(
        `${path.relative(example, f)}:10:11: spec.osType: must be one of "LINUX", "WINDOWS"`,
      );
      expect(e.summary.steps).toEqual([]);
      expect(emulator.requests()).toEqual([]);
    } finally {
      await engine.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
