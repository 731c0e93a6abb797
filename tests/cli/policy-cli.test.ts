/**
 * `pulumi preview --policy-pack` with the project's policy pack over examples/gitops, under a
 * real Pulumi CLI: the example passes with its own config, and a change that declares a cutover
 * without approval and raises the DCS bandwidth past the configured bound is stopped.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { dcsDemoIds } from "../../emulator";
import { repoRoot, requireBuild } from "../helpers";
import { cliEmulator, type CliEmulator } from "./harness";
import { copyExample, policyCliDir, PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

let emu: CliEmulator;
let dir: string;
let cli: PulumiCli;
const pack = [
  "--policy-pack",
  path.join(repoRoot, "policy-pack"),
  "--policy-pack-config",
  "policy-config.json",
];

function edit(file: string, from: string, to: string): void {
  const p = path.join(dir, "migrations", file);
  const text = fs.readFileSync(p, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  fs.writeFileSync(p, text.replace(from, to));
}

beforeAll(async () => {
  requireBuild();
  emu = await cliEmulator();
  dir = copyExample("gitops");
  cli = new PulumiCli(dir, "policy", emu.env, policyCliDir);
  await cli.init({
    sourceRedisPassword: { secret: dcsDemoIds.passwords.selfBuilt },
    targetRedisPassword: { secret: dcsDemoIds.passwords.target },
  });
});

afterAll(async () => {
  cli?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await emu?.close();
});

describe("pulumi preview --policy-pack policy-pack over examples/gitops", () => {
  it("passes the example as it is, with its policy config", async () => {
    const preview = await cli.preview(pack);
    expect(preview.output).toMatch(/Policies:\s+✅ pulumi-migration-tasks@v\d+\.\d+\.\d+ \(local: /);
    expect(preview.output).not.toMatch(/mandatory/);
    expect(preview.output).toMatch(/\+ 4 to create/);
  });

  it("stops an unapproved cutover and a bandwidth above the configured bound", async () => {
    edit("web-01.yaml", "state: running", "state: cutover");
    edit("sessions-redis.yaml", "bandwidthLimitMb: 100", "bandwidthLimitMb: 600");
    const preview = await cli.preview(pack, { expectCode: 255 });
    expect(preview.output).toMatch(
      /\[mandatory\] +sms-cutover-requires-approval +\(.*MigrationTask: web-01\)/,
    );
    expect(preview.output).toMatch(
      /\[mandatory\] +dcs-bandwidth-limit-bounds +\(.*MigrationTask: sessions-redis\)/,
    );
    expect(preview.output).not.toContain(dcsDemoIds.passwords.selfBuilt);
    expect(emu.emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });
});
