#!/usr/bin/env node
// Runs jest and closes with one plain summary line ("tests: N passed, N failed, N skipped")
// that CI reads; the exit code is jest's own.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const out = path.join(__dirname, "..", "jest-results.json");
fs.rmSync(out, { force: true });
const jest = require.resolve("jest/bin/jest");
const res = spawnSync(process.execPath, [jest, "--json", `--outputFile=${out}`, ...process.argv.slice(2)], {
  stdio: "inherit",
});
let code = res.status ?? 1;
if (fs.existsSync(out)) {
  const r = JSON.parse(fs.readFileSync(out, "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) {
    console.error("no test ran");
    code = 1;
  }
} else {
  console.log("tests: 0 passed, 1 failed");
}
process.exit(code);
