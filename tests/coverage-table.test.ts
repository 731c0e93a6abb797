/**
 * The coverage table of emulator/README.md is the generated one (`npm run coverage:table`), and
 * what it says holds: every emulated service operation is driven by the official-SDK tests.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  coverageRows,
  renderTable,
  TABLE_BEGIN,
  TABLE_END,
  type CoverageRow,
} from "../scripts/coverage-table";

const readme = fs.readFileSync(path.join(__dirname, "..", "emulator", "README.md"), "utf8");

let rows: CoverageRow[] = [];
beforeAll(async () => {
  rows = await coverageRows();
}, 60_000);

test("emulator/README.md carries the generated table, unchanged (run `npm run coverage:table`)", () => {
  const a = readme.indexOf(TABLE_BEGIN);
  const b = readme.indexOf(TABLE_END);
  expect(a).toBeGreaterThan(0);
  expect(readme.slice(a, b + TABLE_END.length)).toBe(renderTable(rows));
});

test("every emulated SMS, DCS and MSE operation is driven by the official SDK", () => {
  const undriven = rows
    .filter((r) => r.service !== "iam" && r.emulated && !r.officialSdk)
    .map((r) => r.operation);
  expect(undriven).toEqual([]);
});

test("the probes tell routed operations from others", () => {
  const by = (op: string) => rows.find((r) => r.operation === op);
  expect(by("ShowTask")).toMatchObject({ emulated: true, typedClient: true, resource: true });
  expect(by("ShowCertKey")).toMatchObject({ emulated: false, typedClient: false, resource: false });
  // The batch delete is emulated but no client method calls it.
  expect(by("DeleteTasks")).toMatchObject({ emulated: true, typedClient: false });
});
