/**
 * What a user sees of a provider error: the message once, not `Error: X: Error: X`, and no stack
 * frames of source files the package does not ship. Through the real dynamic-provider process,
 * whose server prints a failed check, diff, read or delete to its standard error (which the CLI
 * shows) and answers the engine with the message.
 */
import type { Emulator } from "../emulator";
import { emulatorDefaults, smsDemoIds } from "../emulator";
import { DeploymentError, MiniEngine } from "../harness";
import { huaweicloud } from "../index";
import { emulatorForTests, repoRoot, requireBuild } from "./helpers";

let emulator: Emulator;
let engine: MiniEngine;

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
  engine = new MiniEngine({ projectDir: repoRoot, project: "user-errors", stack: "test" });
});
afterAll(async () => {
  await engine?.close();
  await emulator?.close();
});

const program = (state: "ready" | "running") => () => {
  new huaweicloud.sms.MigrationTask("web-01", {
    name: "web-01-to-ecs",
    type: "MIGRATE_BLOCK",
    osType: "LINUX",
    sourceServerId: smsDemoIds.sources.web01,
    target: { vmId: smsDemoIds.targets.ecsWeb01 },
    region: emulatorDefaults.region,
    projectId: emulatorDefaults.projectId,
    state,
  });
};

test("a diff that refuses a change: the message once, no stack frames", async () => {
  await engine.up(program("running"));
  const before = engine.providerLogs().length;
  const e = await engine.up(program("ready"), { preview: true }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DeploymentError);
  const message = (e as DeploymentError).summary.failures[0]?.message ?? "";
  const core = 'cannot be made "ready"';
  expect(message).toContain(core);
  expect(message.split(core)).toHaveLength(2);
  expect(message).not.toMatch(/Error: .*Error: /);

  const printed = engine.providerLogs().slice(before).join("\n");
  expect(printed.split(core).length - 1).toBeLessThanOrEqual(1);
  expect(printed).not.toMatch(/Error: [^\n]*: Error: /);
  expect(printed).not.toMatch(/\.ts:\d+/);
  expect(printed).not.toMatch(/^\s+at /m);
  await engine.destroy();
});
