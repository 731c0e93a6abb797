/**
 * A representative subset of the fault suite (`npm run faults` runs every cell): after each
 * fault, and once more without it, the task converges, nothing is left untracked or duplicated,
 * and no secret shows in plaintext.
 */
import type { Emulator } from "../emulator";
import type { Cell, CellResult } from "../scripts/fault-suite";
import { figures, runCell, suiteEnv } from "../scripts/fault-suite";
import { emulatorForTests, repoRoot, requireBuild } from "./helpers";

let emulator: Emulator;

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
  Object.assign(process.env, suiteEnv());
});
afterAll(async () => {
  delete process.env.MIGRATION_TASKS_READ_TIMEOUT_MS;
  await emulator?.close();
});

const CELLS: Cell[] = [
  { kind: "dcs", operation: "create", fault: "killed-mid-wait" },
  { kind: "sms", operation: "create", fault: "drop-after" },
  { kind: "mse", operation: "create", fault: "latency-past-timeout" },
  { kind: "dcs", operation: "update", fault: "drop-after" },
  { kind: "sms", operation: "lifecycle", fault: "drop-after" },
  { kind: "dcs", operation: "lifecycle", fault: "latency-past-timeout" },
  { kind: "sms", operation: "refresh", fault: "error5xx" },
  { kind: "mse", operation: "delete", fault: "killed-mid-wait" },
  { kind: "dcs", operation: "delete", fault: "fail-next-3" },
];

test("a subset of the fault suite: every cell converges, no orphan, no duplicate, no plaintext secret", async () => {
  const results: CellResult[] = [];
  for (const cell of CELLS) results.push(await runCell(emulator, cell, repoRoot));
  const byName = Object.fromEntries(figures(results).map((f) => [f.name, f.value]));
  expect(byName).toEqual({
    "faults.cells": CELLS.length,
    // A killed process always fails its first run; the next run converges.
    "faults.converged_first": CELLS.length - 2,
    "faults.converged_second": 2,
    "faults.unconverged": 0,
    "faults.orphans": 0,
    "faults.duplicates": 0,
    "faults.plaintext_secrets": 0,
  });
  // A lost create answer and a killed create never leave two tasks: checked per cell, too.
  expect(results.filter((r) => r.duplicates > 0 || r.orphans > 0)).toEqual([]);
}, 240_000);
