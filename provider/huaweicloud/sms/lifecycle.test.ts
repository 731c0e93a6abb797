import { nextStep, satisfies } from "./lifecycle";

describe("SMS lifecycle", () => {
  const o = (status: string, extra: Record<string, string> = {}) => ({ status, ...extra });

  it.each([
    ["running", "READY", "start"],
    ["running", "ABORT", "start"],
    ["running", "MIGRATE_FAIL", "restart"],
    ["running", "SYNC_FAIL", "restart"],
    ["paused", "RUNNING", "stop"],
    ["paused", "SYNCING", "stop"],
    ["paused", "READY", "stop"],
    ["cutover", "MIGRATE_SUCCESS", "cutover"],
    ["cutover", "SYNCING", "cutover"],
    ["cutover", "READY", "start"],
    ["cutover", "MIGRATE_FAIL", "restart"],
  ] as const)("declared %s from %s acts with %s", (declared, status, op) => {
    expect(nextStep(declared, o(status))).toMatchObject({ kind: "act", operation: op });
  });

  it.each([
    ["running", "RUNNING"],
    ["running", "SYNCING"],
    ["running", "MIGRATE_SUCCESS"],
    ["ready", "READY"],
    ["paused", "ABORT"],
  ] as const)("declared %s is satisfied by %s", (declared, status) => {
    expect(satisfies(declared, o(status))).toBe(true);
    expect(nextStep(declared, o(status))).toEqual({ kind: "done" });
  });

  it("cutover is satisfied only once the source is cut over", () => {
    expect(satisfies("cutover", o("MIGRATE_SUCCESS"))).toBe(false);
    expect(satisfies("cutover", o("MIGRATE_SUCCESS", { migrationCycle: "cutovered" }))).toBe(true);
  });

  it("waits through transient states and while replicating before cutover", () => {
    expect(nextStep("running", o("ABORTING")).kind).toBe("wait");
    expect(nextStep("cutover", o("RUNNING")).kind).toBe("wait");
    expect(nextStep("cutover", o("MIGRATE_SUCCESS", { sourceServerState: "cutovering" })).kind).toBe("wait");
  });

  it("does not send the same action twice in one convergence", () => {
    expect(nextStep("running", o("READY"), new Set(["start"])).kind).toBe("wait");
    expect(nextStep("paused", o("RUNNING"), new Set(["stop"])).kind).toBe("wait");
  });

  it("reports a failure after its own start instead of restarting forever", () => {
    expect(nextStep("running", o("MIGRATE_FAIL"), new Set(["start"]))).toMatchObject({ kind: "failed" });
    expect(nextStep("running", o("MIGRATE_FAIL"), new Set(["restart"]))).toMatchObject({ kind: "failed" });
  });

  it.each([
    ["ready", "RUNNING", /cannot return to ready/],
    ["paused", "MIGRATE_SUCCESS", /nothing to pause/],
    ["paused", "MIGRATE_FAIL", /can only be restarted/],
    ["running", "MIGRATE_SUCCESS", null],
  ] as const)("declared %s from %s", (declared, status, reason) => {
    const s = nextStep(declared, o(status));
    if (reason === null) expect(s.kind).toBe("done");
    else expect(s).toMatchObject({ kind: "impossible", reason: expect.stringMatching(reason) });
  });

  it("a cut-over task cannot be declared anything but cutover", () => {
    const cut = o("MIGRATE_SUCCESS", { migrationCycle: "cutovered", sourceServerState: "finished" });
    for (const d of ["ready", "running", "paused"] as const) {
      expect(nextStep(d, cut)).toMatchObject({ kind: "impossible" });
    }
    expect(nextStep("cutover", cut)).toEqual({ kind: "done" });
  });
});
