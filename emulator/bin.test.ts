/** The `pulumi-migration-tasks-emulator` command, run from source through ts-node. */
import { spawn, spawnSync } from "child_process";
import * as path from "path";
import { rawRequest } from "./testing/huawei-http";

const ROOT = path.resolve(__dirname, "..");
const BIN = ["-r", "ts-node/register/transpile-only", path.join("emulator", "bin.ts")];

test("--print-env prints the export lines for the port and exits", () => {
  const r = spawnSync(process.execPath, [...BIN, "--print-env", "--port", "19999"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split("\n")).toEqual([
    "export HW_ACCESS_KEY=HPUAEMULATOR00000001",
    "export HW_SECRET_KEY=emulatorSecretKey000000000000000000000001",
    "export HW_REGION_NAME=cn-north-4",
    "export HW_PROJECT_ID=0123456789abcdef0123456789abcdef",
    "export MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT=http://127.0.0.1:19999",
    "export MIGRATION_TASKS_HUAWEICLOUD_DCS_ENDPOINT=http://127.0.0.1:19999",
    "export MIGRATION_TASKS_HUAWEICLOUD_IAM_ENDPOINT=http://127.0.0.1:19999",
    "export ALICLOUD_ACCESS_KEY=LTAIEMULATOR0000000001",
    "export ALICLOUD_SECRET_KEY=emulatorAlicloudSecret000000000001",
    "export ALICLOUD_REGION=cn-hangzhou",
    "export MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT=http://127.0.0.1:19999",
  ]);
  const d = spawnSync(process.execPath, [...BIN, "--print-env"], { cwd: ROOT, encoding: "utf8" });
  expect(d.stdout).toContain("MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT=http://127.0.0.1:18080");
});

test("bad arguments exit 2 with the usage", () => {
  const r = spawnSync(process.execPath, [...BIN, "--port", "x"], { cwd: ROOT, encoding: "utf8" });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("usage: pulumi-migration-tasks-emulator");
});

test("--port 0 prints exactly one listening line, serves, and stops cleanly on SIGTERM", async () => {
  const child = spawn(process.execPath, [...BIN, "--port", "0", "--time-scale", "2"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    let out = "";
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    expect(line).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(" ").pop() ?? "";
    const health = await rawRequest({ method: "GET", url: `${url}/_emulator/health`, headers: {} });
    expect(health.json).toMatchObject({ ok: true, url });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
});
