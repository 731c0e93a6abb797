/**
 * `npm run faults`: the fault suite over every cell (see fault-suite.ts). Prints a table of the
 * cells, then one line per figure, with `--json` as one JSON object a line like `npm run bench`:
 * {"name", "value", "unit"}. Options: `--kind sms|dcs|mse`, `--operation <op>`, `--fault <name>`
 * narrow the cells; `--verbose` shows why a first run failed. Exits 1 when any task is left untracked or duplicated, any cell does not
 * converge, or a secret shows in plaintext.
 */
import * as path from "node:path";
import { startEmulator } from "../emulator";
import type { CellResult } from "./fault-suite";
import { allCells, figures, runCell, suiteEnv } from "./fault-suite";

const root = path.resolve(__dirname, "..", "..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, timeScale: 600 });
  Object.assign(process.env, emulator.env(), suiteEnv());
  const cells = allCells().filter(
    (c) =>
      (option("kind") ?? c.kind) === c.kind &&
      (option("operation") ?? c.operation) === c.operation &&
      (option("fault") ?? c.fault) === c.fault,
  );
  const results: CellResult[] = [];
  const mark = (b: boolean) => (b ? "yes" : "no");
  const row = (cols: string[]) => cols.map((c, i) => c.padEnd([5, 10, 22, 7, 7, 8, 11, 8][i] ?? 0)).join(" ");
  const out = (l: string) => console.log(l);
  out(row(["kind", "operation", "fault", "first", "second", "orphans", "duplicates", "secrets"]));
  try {
    for (const cell of cells) {
      const r = await runCell(emulator, cell, root);
      results.push(r);
      out(
        row([
          r.kind,
          r.operation,
          r.fault,
          mark(r.convergedFirst),
          mark(r.convergedSecond),
          String(r.orphans),
          String(r.duplicates),
          String(r.plaintextSecrets),
        ]) +
          (r.convergedSecond
            ? args.includes("--verbose") && r.firstError
              ? `  first run: ${r.firstError}`
              : ""
            : `  ${r.secondError ?? r.firstError ?? "not as declared"}`),
      );
    }
  } finally {
    await emulator.close();
  }
  const figs = figures(results);
  for (const f of figs) console.log(json ? JSON.stringify(f) : `${f.name.padEnd(28)} ${f.value} ${f.unit}`);
  const bad = figs.filter(
    (f) =>
      ["faults.unconverged", "faults.orphans", "faults.duplicates", "faults.plaintext_secrets"].includes(
        f.name,
      ) && f.value > 0,
  );
  if (bad.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
