/**
 * `npm run demo` (dist/scripts/demo.js), the README's main job: with the CLI that
 * pulumi:install builds, and with the harness when asked, each saying which it used and showing
 * the provider's progress while the create waits rather than after the run.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { repoRoot, requireBuild } from "./helpers";
import { requirePulumiCli } from "./cli/pulumi";

jest.setTimeout(300_000);

function demo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, "dist", "scripts", "demo.js")], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => resolve({ code, lines: out.split("\n") }));
  });
}

const index = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(l));

beforeAll(() => requireBuild());

describe("npm run demo", () => {
  it("uses the pulumi CLI built by pulumi:install, streaming progress while the create waits", async () => {
    requirePulumiCli();
    const { code, lines } = await demo({ MIGRATION_TASKS_DEMO_ENGINE: "" });
    expect(code).toBe(0);
    expect(lines.join("\n")).toMatch(
      /with the pulumi CLI v3\.\d+\.\d+ \(.*\.toolchain\/pulumi\/bin\/pulumi\)/,
    );
    const progress = index(lines, /info: \[runtime\] waiting for task [0-9a-f-]+ to be running/);
    const created = index(lines, /MigrationTask web-01 created/);
    expect(progress).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(progress);
    expect(index(lines, /- 2 deleted/)).toBeGreaterThan(created);
    expect(lines.join("\n")).toMatch(/emulator served \d+ API calls/);
  });

  it("falls back to the harness when asked, saying so, with progress lines before the create is reported", async () => {
    const { code, lines } = await demo({ MIGRATION_TASKS_DEMO_ENGINE: "harness" });
    expect(code).toBe(0);
    expect(lines.join("\n")).toMatch(/through the provider-protocol harness/);
    const progress = index(lines, /provider: .*waiting for task [0-9a-f-]+ to be running/);
    const created = index(lines, /^ +create +urn:pulumi:demo::sms-block-migration::/);
    expect(progress).toBeGreaterThanOrEqual(0);
    expect(created).toBeGreaterThan(progress);
    expect(index(lines, /^ +delete +urn:/)).toBeGreaterThan(created);
  });
});
