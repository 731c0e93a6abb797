import fc from "fast-check";
import { UNKNOWN } from "../../common/unknown";
import { validInputs } from "./fixtures";
import { check, diff } from "./impl";

const checked = async (news: Record<string, unknown>) => check({}, news);

describe("huaweicloud.sms.MigrationTask check", () => {
  it("accepts valid inputs and fills defaults", async () => {
    const r = await checked(validInputs);
    expect(r.failures).toEqual([]);
    expect(r.inputs).toMatchObject({
      ...validInputs,
      projectName: "cn-north-4",
      useIpv6: false,
      usePublicIp: true,
      startTargetServer: true,
      syncing: false,
      priority: 1,
    });
  });

  it("defaults the declared state to ready", async () => {
    const { state: _s, ...rest } = validInputs;
    const r = await checked(rest);
    expect(r.inputs.state).toBe("ready");
  });

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ["name too long", { name: "x".repeat(65) }, "name", /name: .*64/],
    ["name with a space", { name: "web 01" }, "name", /name: must be 1 to 64 letters, digits/],
    ["empty name", { name: "" }, "name", /name:/],
    ["bad type", { type: "MIGRATE_DISK" }, "type", /type: must be one of "MIGRATE_FILE", "MIGRATE_BLOCK"/],
    ["bad os", { osType: "MACOS" }, "osType", /osType: must be one of/],
    [
      "speed limit over range",
      { speedLimitMbps: 1001 },
      "speedLimitMbps",
      /speedLimitMbps: must be at most 1000/,
    ],
    [
      "speed window over range",
      { speedLimits: [{ start: "00:00", end: "08:00", speedMbps: 1001 }] },
      "speedLimits",
      /speedLimits.0.speedMbps: must be at most 1000/,
    ],
    [
      "HCE on Windows",
      { osType: "WINDOWS", switchHce: true },
      "switchHce",
      /switchHce: applies to osType "LINUX"/,
    ],
    ["negative speed limit", { speedLimitMbps: -1 }, "speedLimitMbps", /speedLimitMbps:/],
    ["speed limit as a string", { speedLimitMbps: "100" }, "speedLimitMbps", /speedLimitMbps: .*number/],
    ["bad region", { region: "North China" }, "region", /region: must be a region id/],
    ["bad project id", { projectId: "proj" }, "projectId", /projectId: must be a 32-character/],
    ["unknown field", { speedlimit: 5 }, "speedlimit", /speedlimit: unknown field/],
    [
      "bad state",
      { state: "stopped" },
      "state",
      /state: must be one of "ready", "running", "paused", "cutover"/,
    ],
    ["both targets", { target: { vmId: "a", vmTemplateId: "b" } }, "target", /exactly one of vmId/],
    ["no target", { target: {} }, "target", /exactly one of vmId/],
    ["IPv6 without useIpv6", { migrationIp: "fe80::1" }, "migrationIp", /IPv4 address unless useIpv6/],
    [
      "IPv4 with useIpv6",
      { migrationIp: "10.0.0.1", useIpv6: true },
      "migrationIp",
      /IPv6 address when useIpv6/,
    ],
    [
      "bad duration",
      { timeouts: { create: "ten minutes" } },
      "timeouts",
      /timeouts.create: must be a duration/,
    ],
    [
      "speed window backwards",
      { speedLimits: [{ start: "18:00", end: "08:00", speedMbps: 10 }] },
      "speedLimits",
      /speedLimits.0: start 18:00 must be before end 08:00/,
    ],
    [
      "duplicate configuration key",
      {
        configurations: [
          { key: "A", value: "1" },
          { key: "A", value: "2" },
        ],
      },
      "configurations",
      /duplicate key A/,
    ],
    [
      "credentials without secret",
      { credentials: { accessKey: "AK" } },
      "credentials",
      /credentials.secretKey/,
    ],
  ];
  it.each(bad)("rejects %s naming the field", async (_label, patch, property, reason) => {
    const r = await checked({ ...validInputs, ...patch });
    const f = r.failures?.find((x) => x.property === property);
    expect(f).toBeDefined();
    expect(f?.reason).toMatch(reason);
  });

  it("accepts IPv4 and IPv6 migration addresses per useIpv6", async () => {
    expect((await checked({ ...validInputs, migrationIp: "192.168.1.10" })).failures).toEqual([]);
    expect((await checked({ ...validInputs, migrationIp: "2001:db8::10", useIpv6: true })).failures).toEqual(
      [],
    );
  });

  it("lets unknown values through during preview, whatever their type", async () => {
    const r = await checked({
      ...validInputs,
      speedLimitMbps: UNKNOWN,
      target: { vmId: UNKNOWN },
      region: UNKNOWN,
    });
    expect(r.failures).toEqual([]);
    expect(r.inputs.speedLimitMbps).toBe(UNKNOWN);
    expect(r.inputs.target).toEqual({ vmId: UNKNOWN });
  });

  it("still rejects the known fields beside unknown ones", async () => {
    const r = await checked({ ...validInputs, sourceServerId: UNKNOWN, name: "bad name!" });
    expect(r.failures?.map((f) => f.property)).toEqual(["name"]);
  });

  it("never returns undefined values", async () => {
    const r = await checked({ ...validInputs, migrationIp: undefined });
    expect(JSON.stringify(r.inputs)).not.toContain("undefined");
    expect(Object.values(r.inputs).includes(undefined)).toBe(false);
  });
});

describe("huaweicloud.sms.MigrationTask diff", () => {
  const outputsOf = async (news: Record<string, unknown>) => ({
    ...(await checked(news)).inputs,
    status: "RUNNING",
    taskId: "t-1",
  });

  it("reports no change for identical inputs", async () => {
    const olds = await outputsOf(validInputs);
    const news = (await checked(validInputs)).inputs;
    expect(await diff("t-1", olds, news)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates name and speed limit in place", async () => {
    const olds = await outputsOf(validInputs);
    const news = (await checked({ ...validInputs, name: "renamed", speedLimitMbps: 50 })).inputs;
    expect(await diff("t-1", olds, news)).toMatchObject({ changes: true, replaces: [] });
  });

  it("replaces on an immutable field, deleting first on the same source server", async () => {
    const olds = await outputsOf(validInputs);
    const news = (await checked({ ...validInputs, osType: "WINDOWS" })).inputs;
    expect(await diff("t-1", olds, news)).toEqual({
      changes: true,
      replaces: ["osType"],
      deleteBeforeReplace: true,
    });
  });

  it("creates the new task first when the source server changes", async () => {
    const olds = await outputsOf(validInputs);
    const news = (await checked({ ...validInputs, sourceServerId: "another" })).inputs;
    expect(await diff("t-1", olds, news)).toMatchObject({
      replaces: ["sourceServerId"],
      deleteBeforeReplace: false,
    });
  });

  it("ignores the order of set fields", async () => {
    const a = [
      { key: "A", value: "1" },
      { key: "B", value: "2" },
    ];
    const olds = await outputsOf({ ...validInputs, configurations: a });
    const news = (await checked({ ...validInputs, configurations: [...a].reverse() })).inputs;
    expect((await diff("t-1", olds, news)).changes).toBe(false);
  });

  it("shows an update when the observed status drifted from the declared state", async () => {
    const olds = { ...(await outputsOf(validInputs)), status: "MIGRATE_FAIL" };
    const news = (await checked(validInputs)).inputs;
    expect(await diff("t-1", olds, news)).toMatchObject({ changes: true, replaces: [] });
    const paused = { ...(await outputsOf(validInputs)), status: "ABORT" };
    expect((await diff("t-1", paused, news)).changes).toBe(true);
  });

  it("fails at preview on a transition the cloud cannot make", async () => {
    const olds = await outputsOf(validInputs);
    const news = (await checked({ ...validInputs, state: "ready" })).inputs;
    await expect(diff("t-1", olds, news)).rejects.toThrow(
      /state: task t-1 cannot be made "ready": .*cannot return to ready/,
    );
    const cut = {
      ...olds,
      status: "MIGRATE_SUCCESS",
      migrationCycle: "cutovered",
      sourceServerState: "finished",
    };
    const running = (await checked(validInputs)).inputs;
    await expect(diff("t-1", cut, running)).rejects.toThrow(/cutover cannot be undone/);
  });

  it("treats an unknown value as a change of that field only", async () => {
    const olds = await outputsOf(validInputs);
    const news = (await checked({ ...validInputs, speedLimitMbps: UNKNOWN })).inputs;
    expect(await diff("t-1", olds, news)).toMatchObject({ changes: true, replaces: [] });
    const news2 = (await checked({ ...validInputs, sourceServerId: UNKNOWN })).inputs;
    expect((await diff("t-1", olds, news2)).replaces).toEqual(["sourceServerId"]);
  });

  it("property: a normalised input never diffs against itself", async () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const inputs = fc.record(
      {
        name,
        type: fc.constantFrom("MIGRATE_FILE", "MIGRATE_BLOCK"),
        osType: fc.constantFrom("LINUX", "WINDOWS"),
        sourceServerId: fc.uuid(),
        target: fc.oneof(fc.record({ vmId: fc.uuid() }), fc.record({ vmTemplateId: fc.uuid(), name })),
        region: fc.constantFrom("cn-north-4", "ap-southeast-3", "eu-west-101"),
        projectId: fc.stringMatching(/^[0-9a-f]{32}$/),
        speedLimitMbps: fc.integer({ min: 0, max: 1000 }),
        usePublicIp: fc.boolean(),
        priority: fc.integer({ min: 0, max: 2 }),
        state: fc.constantFrom("ready", "running", "paused", "cutover"),
        configurations: fc.uniqueArray(
          fc.record({ key: fc.stringMatching(/^[A-Z_]{1,10}$/), value: fc.string() }),
          {
            selector: (c) => c.key,
            maxLength: 5,
          },
        ),
        drills: fc.record({ networkCheck: fc.string({ minLength: 1 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: ["name", "type", "osType", "sourceServerId", "target", "region", "projectId"] },
    );
    await fc.assert(
      fc.asyncProperty(inputs, async (x) => {
        const first = await checked(x);
        expect(first.failures).toEqual([]);
        const again = await checked(first.inputs);
        expect(again.inputs).toEqual(first.inputs);
        const d = await diff("t", { ...first.inputs }, again.inputs);
        expect(d.changes).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
