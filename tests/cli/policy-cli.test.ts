/**
 * `pulumi preview --policy-pack` with the project's policy pack over examples/gitops, under a
 * real Pulumi CLI: the example passes with its own config, and a change that declares a cutover
 * without approval and raises the DCS bandwidth past the configured bound is stopped.
 */
import * as path from "node:path";
import { dcsDemoIds } from "../../emulator";
import { repoRoot, requireBuild } from "../helpers";
import { type CliEmulator, editFile, exampleStack, type ExampleStack, redisPasswords } from "./harness";
import { policyCliDir, type PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

let emu: CliEmulator;
let dir: string;
let cli: PulumiCli;
let stack: ExampleStack;
const pack = [
  "--policy-pack",
  path.join(repoRoot, "policy-pack"),
  "--policy-pack-config",
  "policy-config.json",
];

beforeAll(async () => {
  requireBuild();
  stack = await exampleStack("gitops", { config: redisPasswords, stack: "policy", cliDir: policyCliDir });
  ({ emu, dir, cli } = stack);
});

afterAll(async () => stack?.close());

describe("pulumi preview --policy-pack policy-pack over examples/gitops", () => {
  it("passes the example as it is, with its policy config", async () => {
    const preview = await cli.preview(pack);
    expect(preview.output).toMatch(/Policies:\s+✅ pulumi-migration-tasks@v\d+\.\d+\.\d+ \(local: /);
    expect(preview.output).not.toMatch(/mandatory/);
    expect(preview.output).toMatch(/\+ 4 to create/);
  });

  it("stops an unapproved cutover and a bandwidth above the configured bound", async () => {
    editFile(path.join(dir, "migrations", "web-01.yaml"), "state: running", "state: cutover");
    editFile(
      path.join(dir, "migrations", "sessions-redis.yaml"),
      "bandwidthLimitMb: 100",
      "bandwidthLimitMb: 600",
    );
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
