/**
 * The emulator against the vendors' official Python service SDKs (huaweicloudsdksms,
 * huaweicloudsdkdcs, alibabacloud-mse20190531, installed by `npm run sdks:install`): every
 * emulated operation is driven by tests/official-sdk/<service>.py, each answer must deserialise
 * into the SDK's model with every documented field, each error must raise the SDK's exception
 * with the vendor's code, message and request id, and throttling the SDK's throttling error.
 */
import { startEmulator } from "../emulator";
import { sms } from "../sdk/huawei/sms/contract";
import { dcs } from "../sdk/huawei/dcs/contract";
import { mse } from "../sdk/alibaba/mse/contract";
import { deleteTasks } from "../emulator/huawei/sms/contract-extra";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { runScenario, sdkPython, type ScenarioResult } from "./official-sdk/run";

/** Each scenario and the operations it must drive: every operation of the service's contracts. */
const scenarios: [string, string[]][] = [
  ["sms", [...Object.values(sms).map((o) => o.name), deleteTasks.name, "KeystoneListProjects"]],
  ["dcs", [...Object.values(dcs).map((o) => o.name), "KeystoneListProjects"]],
  ["mse", Object.values(mse).map((o) => o.name)],
];

describe.each(scenarios)("%s through the official Python SDK", (name, ops) => {
  let results: ScenarioResult[] = [];
  beforeAll(async () => {
    const emu = await startEmulator({ timeScale: 0 });
    try {
      results = await runScenario(name, emu.url);
    } finally {
      await emu.close();
    }
  }, 240_000);

  test.each(ops)("%s: every case passes", (op) => {
    const mine = results.filter((r) => r.op === op);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((r) => !r.ok).map((r) => `${r.case}: ${r.detail}`)).toEqual([]);
  });

  test("drives no operation outside the contracts", () => {
    expect([...new Set(results.map((r) => r.op))].filter((op) => !ops.includes(op))).toEqual([]);
  });
});

test("sdks:install reuses the environment installed from the same requirements", () => {
  sdkPython(); // fails with the instruction to install when there is nothing to reuse
  const r = spawnSync(process.execPath, [path.join(__dirname, "..", "scripts", "sdks-install.js")], {
    encoding: "utf8",
  });
  expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/python-sdks is current/)]);
});
