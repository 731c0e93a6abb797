import { UNKNOWN } from "../../common/unknown";
import { validBackupInputs, validOnlineInputs } from "./fixtures";
import { check, diff } from "./impl";
import { nextDcsStep, inDeclaredState } from "./lifecycle";

const failuresOf = async (over: Record<string, unknown>, base: Record<string, unknown> = validOnlineInputs) =>
  (await check({}, { ...base, ...over })).failures ?? [];

describe("check", () => {
  test("valid inputs of both kinds pass, and the resume mode defaults to auto", async () => {
    expect(await failuresOf({})).toEqual([]);
    expect(await failuresOf({}, validBackupInputs)).toEqual([]);
    const { resumeMode: _r, ...noResume } = validOnlineInputs;
    expect((await check({}, noResume)).inputs?.resumeMode).toBe("auto");
  });

  test.each([
    [{ source: { address: "192.168.0.200" } }, "source", /ip:port/],
    [{ source: { address: "192.168.0.300:6379" } }, "source", /ip:port/],
    [{ source: { address: "192.168.0.200:70000" } }, "source", /ip:port/],
    [{ bandwidthLimitMb: 0 }, "bandwidthLimitMb", /./],
    [{ bandwidthLimitMb: 10241 }, "bandwidthLimitMb", /./],
    [{ migrationMethod: "full" }, "migrationMethod", /must be one of/],
    [{ resumeMode: "sometimes" }, "resumeMode", /must be one of/],
    [{ state: "paused" }, "state", /must be one of/],
    [{ source: { instanceId: "x1", address: "192.168.0.200:6379" } }, "source", /exactly one/],
    [{ target: {} }, "target", /exactly one/],
    [{ network: undefined }, "network", /required/],
    [{ migrationMethod: "full_amount_migration" }, "bandwidthLimitMb", /incremental/],
    [{ source: { adress: "192.168.0.200:6379" } }, "source", /unknown field/],
  ])("%j fails on %s", async (over, property, reason) => {
    const f = await failuresOf(over);
    expect(f.map((x) => x.property)).toContain(property);
    expect(f.find((x) => x.property === property)?.reason).toMatch(reason);
  });

  test.each([
    [{ backupFiles: undefined }, "backupFiles"],
    [{ source: { address: "192.168.0.200:6379" } }, "source"],
    [{ target: { address: "192.168.0.153:6379" } }, "target"],
    [{ resumeMode: "auto" }, "resumeMode"],
    [{ ipSwitch: { exchanged: true, ips: ["1.1.1.1"] } }, "ipSwitch"],
    [{ backupFiles: { fileSource: "backup_record", files: [{ name: "a.rdb" }] } }, "backupFiles"],
  ])("backup %j fails on %s", async (over, property) => {
    expect((await failuresOf(over, validBackupInputs)).map((x) => x.property)).toContain(property);
  });

  test("a password never appears in a failure", async () => {
    const f = await failuresOf({ sourcePassword: "", source: { address: "S3cret-value" } });
    expect(JSON.stringify(f)).not.toContain("S3cret-value");
  });

  test("unknown values pass at preview", async () => {
    expect(await failuresOf({ source: UNKNOWN, bandwidthLimitMb: UNKNOWN })).toEqual([]);
  });
});

describe("diff", () => {
  const olds = { ...validOnlineInputs, status: "INCRMIGEATING", taskId: "t1", ecsAddress: "192.168.0.20" };
  const d = (news: Record<string, unknown>, o: Record<string, unknown> = olds) => diff("t1", o, news);

  test("no change, no diff", async () => {
    expect(await d(validOnlineInputs)).toMatchObject({ changes: false, replaces: [] });
  });
  test.each(["resumeMode", "bandwidthLimitMb", "sourcePassword", "targetPassword", "migrationMethod"])(
    "%s changes in place",
    async (field) => {
      const value =
        field === "resumeMode"
          ? "manual"
          : field === "bandwidthLimitMb"
            ? 200
            : field === "migrationMethod"
              ? "full_amount_migration"
              : "new";
      expect(await d({ ...validOnlineInputs, [field]: value })).toMatchObject({
        changes: true,
        replaces: [],
      });
    },
  );
  test.each(["name", "network", "kind", "projectId"])("%s replaces", async (field) => {
    const value =
      field === "network"
        ? { vpcId: "v", subnetId: "s", securityGroupId: "g" }
        : field === "kind"
          ? "backup"
          : field === "projectId"
            ? "f".repeat(32)
            : "other-name";
    expect((await d({ ...validOnlineInputs, [field]: value })).replaces).toContain(field);
  });
  test("backup: new files or method replace, deleting first when the target stays", async () => {
    const bo = { ...validBackupInputs, status: "SUCCESS", taskId: "t2" };
    const r = await diff("t2", bo, { ...validBackupInputs, migrationMethod: "incremental_migration" });
    expect(r).toMatchObject({ changes: true, replaces: ["migrationMethod"], deleteBeforeReplace: true });
    expect(await diff("t2", bo, { ...validBackupInputs, targetPassword: "x" })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });
  test("drift: a stopped or failed task declared running shows a change", async () => {
    expect((await d(validOnlineInputs, { ...olds, status: "TERMINATED" })).changes).toBe(true);
    expect((await d(validOnlineInputs, { ...olds, status: "MIGRATION_FAILED" })).changes).toBe(true);
    expect((await d(validOnlineInputs, { ...olds, status: "FULLMIGRATING" })).changes).toBe(false);
  });
  test("drift: an IP switch that no longer matches shows a change", async () => {
    const ip = { exchanged: true, ips: ["1.1.1.1"], exchangeDomain: false };
    expect(
      (
        await d(
          { ...validOnlineInputs, ipSwitch: ip },
          { ...olds, ipSwitch: ip, ipSwitchStatus: "ROLLBACK_SUCCESS" },
        )
      ).changes,
    ).toBe(true);
    expect(
      (
        await d(
          { ...validOnlineInputs, ipSwitch: ip },
          { ...olds, ipSwitch: ip, ipSwitchStatus: "EXCHANGE_SUCCESS" },
        )
      ).changes,
    ).toBe(false);
  });
  test("a failed backup import declared running cannot be converged in place", async () => {
    await expect(diff("t2", { ...validBackupInputs, status: "FAILED" }, validBackupInputs)).rejects.toThrow(
      /replace the task/,
    );
  });
});

describe("lifecycle", () => {
  const o = (
    status: string,
    extra: Partial<{ method: string; ecsReady: boolean; kind: "online" | "backup" }> = {},
  ) => ({
    kind: "online" as const,
    status,
    method: "incremental_migration",
    ecsReady: true,
    ...extra,
  });
  test.each([
    ["running", o("RUNNING", { method: undefined, ecsReady: false }), { kind: "wait" }],
    ["running", o("RUNNING", { method: undefined }), { kind: "act", action: "configure" }],
    ["running", o("FULLMIGRATING"), { kind: "wait" }],
    ["running", o("INCRMIGEATING"), { kind: "done" }],
    ["running", o("SUCCESS", { method: "full_amount_migration" }), { kind: "done" }],
    ["running", o("TERMINATED"), { kind: "act", action: "restart" }],
    ["running", o("MIGRATION_FAILED"), { kind: "act", action: "configure" }],
    ["running", o("TERMINATING"), { kind: "wait" }],
    ["stopped", o("INCRMIGEATING"), { kind: "act", action: "stop" }],
    ["stopped", o("TERMINATED"), { kind: "done" }],
    ["stopped", o("RUNNING", { method: undefined }), { kind: "done" }],
    ["running", o("FAILED", { kind: "backup" }), { kind: "failed" }],
  ] as const)("%s from %j → %j", (declared, obs, step) => {
    expect(nextDcsStep(declared, obs)).toMatchObject(step);
  });
  test("a failure after our own configure is reported, not retried", () => {
    expect(nextDcsStep("running", o("MIGRATION_FAILED"), new Set(["configure"]))).toMatchObject({
      kind: "failed",
    });
  });
  test("TERMINATED with changed settings configures instead of restarting", () => {
    expect(nextDcsStep("running", o("TERMINATED"), new Set(), true)).toMatchObject({ action: "configure" });
  });
  test("a migration in progress counts as running for drift", () => {
    expect(inDeclaredState("running", o("FULLMIGRATING"))).toBe(true);
    expect(inDeclaredState("running", o("TERMINATED"))).toBe(false);
  });
});
