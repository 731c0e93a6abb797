/**
 * Unit tests of every rule of the policy pack, called the way the policy server calls them:
 * `validateResource(args, reportViolation)` with the inputs behind @pulumi/policy's
 * unknown-checking proxy, secrets already unwrapped.
 */
import {
  UnknownValueError,
  unknownCheckingProxy,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import type * as PolicyModule from "./index";
import { validOnlineInputs } from "../provider/huaweicloud/dcs/fixtures";
import {
  DCS_BANDWIDTH_DEFAULTS,
  DCS_BANDWIDTH_LIMIT_BOUNDS,
  DCS_TASK_TYPE,
  DEFAULT_POLICY_PACK_NAME,
  MIGRATION_TASK_INLINE_CREDENTIALS,
  MSE_TASK_TYPE,
  SMS_BLOCK_MIGRATION_SPEED_LIMIT,
  SMS_CUTOVER_REQUIRES_APPROVAL,
  SMS_PUBLIC_IP_MIGRATION,
  SMS_TASK_TYPE,
  dcsBandwidthLimitBounds,
  migrationTaskInlineCredentials,
  policies,
  smsBlockMigrationSpeedLimit,
  smsCutoverRequiresApproval,
  smsPublicIpMigration,
} from "./index";

// The engine's marker for a value unknown during preview (a computed string); the policy server
// keeps it in the inputs and its proxy throws UnknownValueError when a rule reads it.
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
const ACCESS_KEY = "AKIAEXAMPLE0123456789";

class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}

/** What one validation produced. */
interface Outcome {
  violations: string[];
  /** Set when the rule declared itself not applicable, with its reason. */
  notApplicable?: string;
}

/** Builds the `args` the policy server builds for one resource (see @pulumi/policy server.js). */
function makeArgs(
  type: string,
  inputs: Record<string, unknown>,
  config: Record<string, unknown> = {},
): ResourceValidationArgs {
  const name = "task-1";
  const props = unknownCheckingProxy(inputs) as ResourceValidationArgs["props"];
  const typeOf = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType;
  return {
    type,
    props,
    urn: `urn:pulumi:dev::migration::${type}::${name}`,
    name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: ["credentials"],
    },
    stackTags: new Map<string, string>(),
    isType: (cls) => typeOf(cls) === type,
    asType: (cls) => (typeOf(cls) === type ? props : undefined) as never,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** Runs a policy's validations and collects the violations reported. */
async function run(
  policy: ResourceValidationPolicy,
  type: string,
  inputs: Record<string, unknown>,
  config?: Record<string, unknown>,
): Promise<Outcome> {
  const args = makeArgs(type, inputs, config);
  const violations: string[] = [];
  const report = (message: string) => {
    violations.push(message);
  };
  const validations = policy.validateResource;
  if (validations === undefined) throw new Error(`${policy.name} has no validateResource`);
  try {
    for (const v of Array.isArray(validations) ? validations : [validations]) {
      await v(args, report);
    }
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason };
    throw e;
  }
  return { violations };
}

const smsBase: Record<string, unknown> = {
  name: "web-01-to-ecs",
  type: "MIGRATE_FILE",
  osType: "LINUX",
  sourceServerId: "8a9d2a9f-6a8b-4c47-a8a3-000000000001",
  target: { vmId: "5c1d6f43-0d4e-4f0a-9b0e-000000000001" },
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  speedLimitMbps: 0,
  usePublicIp: false,
  migrationIp: "192.168.10.20",
  state: "ready",
};

// The DCS resource's own valid online inputs, as the engine sends them to the analyzer.
const dcsBase: Record<string, unknown> = { ...validOnlineInputs };

const mseBase: Record<string, unknown> = {
  region: "cn-hangzhou",
  clusterType: "Nacos-Ans",
  originInstanceName: "nacos-prod",
  originInstanceAddress: "192.168.1.1:8848",
  targetInstanceId: "mse-cn-ud82xxxxx",
};

const CUTOVER_MESSAGE =
  'The task is declared with state "cutover" but has no cutoverApproval. Cutover launches the ' +
  "target server and stops the source server's replication, so it cannot be undone by declaring " +
  "another state; set cutoverApproval to the ticket or the person that approved it.";

const BLOCK_MESSAGE =
  "The task migrates block by block (type MIGRATE_BLOCK) without a bandwidth cap. Block migration " +
  "copies whole disks and, uncapped, saturates the source server's uplink and starves its workload; " +
  "set speedLimitMbps above 0 (0 means unlimited) or give a speedLimits schedule with a window above 0.";

const publicIpMessage = (why: string) =>
  `The task migrates over the public internet (${why}). Disk data then crosses the internet and the ` +
  "migration depends on the source's public bandwidth; if a private line or VPN reaches the target " +
  "VPC, set usePublicIp: false and migrationIp to the target server's private address.";

const dcsMissingMessage = (min: number, max: number) =>
  `The online incremental migration sets no bandwidthLimitMb. Set it between ${min} and ${max} MB/s: ` +
  "uncapped, the migration competes with the source Redis's clients for its network for as long as " +
  "the task keeps syncing.";

const dcsOutOfBoundsMessage = (v: number, min: number, max: number) =>
  `bandwidthLimitMb ${v} MB/s is outside the allowed ${min} to ${max} MB/s.`;

const credentialsMessage = (ns: string) =>
  "The task passes credentials as a resource argument (in a migration file, a credentials field, " +
  "even one that references stack config). They are stored (encrypted) with the task in the " +
  "stack state and must be repeated for every task; set " +
  `${ns}:accessKey and ${ns}:secretKey in stack configuration instead, which every task reads ` +
  `(pulumi config set --secret ${ns}:secretKey).`;

describe("the policy list", () => {
  it("holds the five rules under their kebab-case names, each once", () => {
    expect(policies.map((p) => p.name)).toEqual([
      "sms-cutover-requires-approval",
      "sms-block-migration-speed-limit",
      "dcs-bandwidth-limit-bounds",
      "sms-public-ip-migration",
      "migration-task-inline-credentials",
    ]);
    expect([
      SMS_CUTOVER_REQUIRES_APPROVAL,
      SMS_BLOCK_MIGRATION_SPEED_LIMIT,
      DCS_BANDWIDTH_LIMIT_BOUNDS,
      SMS_PUBLIC_IP_MIGRATION,
      MIGRATION_TASK_INLINE_CREDENTIALS,
    ]).toEqual(policies.map((p) => p.name));
  });

  it("gives every rule its enforcement level and a description", () => {
    expect(Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]))).toEqual({
      "sms-cutover-requires-approval": "mandatory",
      "sms-block-migration-speed-limit": "mandatory",
      "dcs-bandwidth-limit-bounds": "mandatory",
      "sms-public-ip-migration": "advisory",
      "migration-task-inline-credentials": "advisory",
    });
    for (const p of policies) expect(p.description.length).toBeGreaterThan(20);
  });

  it("uses the type tokens of the dynamic resources", () => {
    expect(SMS_TASK_TYPE).toBe("pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask");
    expect(DCS_TASK_TYPE).toBe("pulumi-nodejs:dynamic/huaweicloud/dcs:MigrationTask");
    expect(MSE_TASK_TYPE).toBe("pulumi-nodejs:dynamic/alicloud/mse:MigrationTask");
  });

  it("tags each single-type rule with its type, so the server skips other types without calling it", () => {
    const typeOf = (p: ResourceValidationPolicy) =>
      (p.validateResource as unknown as { __pulumiType?: string }).__pulumiType;
    expect(typeOf(smsCutoverRequiresApproval)).toBe(SMS_TASK_TYPE);
    expect(typeOf(smsBlockMigrationSpeedLimit)).toBe(SMS_TASK_TYPE);
    expect(typeOf(smsPublicIpMigration)).toBe(SMS_TASK_TYPE);
    expect(typeOf(dcsBandwidthLimitBounds)).toBe(DCS_TASK_TYPE);
    expect(typeOf(migrationTaskInlineCredentials)).toBeUndefined();
  });

  it("does not start a policy server on import; migrationTasksPolicyPack does", () => {
    const ctor = jest.fn();
    jest.isolateModules(() => {
      jest.doMock("@pulumi/policy", () => ({ ...jest.requireActual("@pulumi/policy"), PolicyPack: ctor }));
      const mod = require("./index") as typeof PolicyModule;
      expect(ctor).not.toHaveBeenCalled();
      const config = { [DCS_BANDWIDTH_LIMIT_BOUNDS]: { maxMb: 512 } };
      mod.migrationTasksPolicyPack(undefined, config);
      expect(ctor).toHaveBeenCalledTimes(1);
      expect(ctor).toHaveBeenCalledWith(
        DEFAULT_POLICY_PACK_NAME,
        expect.objectContaining({ policies: mod.policies }),
        config,
      );
      mod.migrationTasksPolicyPack("team-pack");
      expect(ctor).toHaveBeenLastCalledWith("team-pack", expect.anything(), undefined);
    });
    jest.dontMock("@pulumi/policy");
  });
});

describe("sms-cutover-requires-approval", () => {
  const policy = smsCutoverRequiresApproval;

  it("is mandatory", () => {
    expect(policy.name).toBe("sms-cutover-requires-approval");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("reports a cutover without cutoverApproval", async () => {
    expect(await run(policy, SMS_TASK_TYPE, { ...smsBase, state: "cutover" })).toEqual({
      violations: [CUTOVER_MESSAGE],
    });
  });

  it.each(["", "   "])("reports a cutover whose cutoverApproval is blank (%j)", async (approval) => {
    expect(
      await run(policy, SMS_TASK_TYPE, { ...smsBase, state: "cutover", cutoverApproval: approval }),
    ).toEqual({ violations: [CUTOVER_MESSAGE] });
  });

  it.each(["CHG-20240611-0042", "Wang Fang"])("passes a cutover approved by %j", async (approval) => {
    expect(
      await run(policy, SMS_TASK_TYPE, { ...smsBase, state: "cutover", cutoverApproval: approval }),
    ).toEqual({ violations: [] });
  });

  it.each([["ready"], ["running"], ["paused"], [undefined]])(
    "does not apply to a task declared %s",
    async (state) => {
      expect(await run(policy, SMS_TASK_TYPE, { ...smsBase, state })).toEqual({
        violations: [],
        notApplicable: "The task is not declared with state cutover",
      });
    },
  );

  it("ignores an unknown approval on a task that is not cut over, and defers one on a cutover", async () => {
    expect(
      (await run(policy, SMS_TASK_TYPE, { ...smsBase, state: "ready", cutoverApproval: UNKNOWN }))
        .notApplicable,
    ).toBeDefined();
    await expect(
      run(policy, SMS_TASK_TYPE, { ...smsBase, state: "cutover", cutoverApproval: UNKNOWN }),
    ).rejects.toBeInstanceOf(UnknownValueError);
    await expect(run(policy, SMS_TASK_TYPE, { ...smsBase, state: UNKNOWN })).rejects.toBeInstanceOf(
      UnknownValueError,
    );
  });

  it("does not apply to other resource types", async () => {
    expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, state: "cutover" })).toEqual({
      violations: [],
      notApplicable: `Policy only applies to resources of type '${SMS_TASK_TYPE}'`,
    });
  });
});

describe("sms-block-migration-speed-limit", () => {
  const policy = smsBlockMigrationSpeedLimit;
  const block: Record<string, unknown> = { ...smsBase, type: "MIGRATE_BLOCK" };

  it("is mandatory", () => {
    expect(policy.name).toBe("sms-block-migration-speed-limit");
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it("reports a block migration without speedLimitMbps or speedLimits", async () => {
    const { speedLimitMbps: _omitted, ...inputs } = block;
    expect(await run(policy, SMS_TASK_TYPE, inputs)).toEqual({ violations: [BLOCK_MESSAGE] });
  });

  it("reports speedLimitMbps 0 (unlimited) with an empty schedule", async () => {
    expect(await run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: 0, speedLimits: [] })).toEqual({
      violations: [BLOCK_MESSAGE],
    });
  });

  it("reports a schedule whose windows are all 0 Mbit/s (unlimited)", async () => {
    const speedLimits = [{ start: "00:00", end: "24:00", speedMbps: 0 }];
    expect(await run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: 0, speedLimits })).toEqual({
      violations: [BLOCK_MESSAGE],
    });
  });

  it("passes a block migration capped by speedLimitMbps", async () => {
    expect(await run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: 200 })).toEqual({
      violations: [],
    });
  });

  it("passes a block migration capped by a speedLimits schedule", async () => {
    const speedLimits = [
      { start: "08:00", end: "20:00", speedMbps: 50 },
      { start: "20:00", end: "24:00", speedMbps: 500 },
    ];
    expect(await run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: 0, speedLimits })).toEqual({
      violations: [],
    });
  });

  it("decides from the known cap when the other one is unknown during preview", async () => {
    expect(
      await run(policy, SMS_TASK_TYPE, {
        ...block,
        speedLimitMbps: UNKNOWN,
        speedLimits: [{ start: "00:00", end: "24:00", speedMbps: 100 }],
      }),
    ).toEqual({ violations: [] });
    expect(await run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: 100, speedLimits: UNKNOWN })).toEqual(
      {
        violations: [],
      },
    );
  });

  it("defers to the update when no known cap decides", async () => {
    await expect(
      run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: UNKNOWN, speedLimits: [] }),
    ).rejects.toBeInstanceOf(UnknownValueError);
    await expect(
      run(policy, SMS_TASK_TYPE, { ...block, speedLimitMbps: 0, speedLimits: UNKNOWN }),
    ).rejects.toBeInstanceOf(UnknownValueError);
  });

  it("does not apply to a file-level migration", async () => {
    const { speedLimitMbps: _omitted, ...inputs } = smsBase;
    expect(await run(policy, SMS_TASK_TYPE, inputs)).toEqual({
      violations: [],
      notApplicable: "The task is not a block-level migration (type MIGRATE_BLOCK)",
    });
  });
});

describe("sms-public-ip-migration", () => {
  const policy = smsPublicIpMigration;

  it("is advisory", () => {
    expect(policy.name).toBe("sms-public-ip-migration");
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it("reports usePublicIp: true", async () => {
    expect(await run(policy, SMS_TASK_TYPE, { ...smsBase, usePublicIp: true })).toEqual({
      violations: [publicIpMessage("usePublicIp is true, the API's default when it is not set")],
    });
  });

  it("reports an absent usePublicIp, which the API defaults to true", async () => {
    const { usePublicIp: _omitted, migrationIp: _alsoOmitted, ...inputs } = smsBase;
    expect(await run(policy, SMS_TASK_TYPE, inputs)).toEqual({
      violations: [publicIpMessage("usePublicIp is not set and the API defaults it to true")],
    });
  });

  it("passes a migration over a private network", async () => {
    expect(await run(policy, SMS_TASK_TYPE, { ...smsBase, usePublicIp: false })).toEqual({ violations: [] });
  });

  it("defers an unknown usePublicIp to the update", async () => {
    await expect(run(policy, SMS_TASK_TYPE, { ...smsBase, usePublicIp: UNKNOWN })).rejects.toBeInstanceOf(
      UnknownValueError,
    );
  });

  it("does not apply to other resource types", async () => {
    expect((await run(policy, MSE_TASK_TYPE, mseBase)).notApplicable).toBe(
      `Policy only applies to resources of type '${SMS_TASK_TYPE}'`,
    );
  });
});

describe("dcs-bandwidth-limit-bounds", () => {
  const policy = dcsBandwidthLimitBounds;

  it("is mandatory, with minMb and maxMb in its config schema (defaults 1 and 1024)", () => {
    expect(policy.name).toBe("dcs-bandwidth-limit-bounds");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(DCS_BANDWIDTH_DEFAULTS).toEqual({ minMb: 1, maxMb: 1024 });
    expect(policy.configSchema).toEqual({
      properties: {
        minMb: expect.objectContaining({ type: "integer", default: 1, minimum: 1, maximum: 10240 }),
        maxMb: expect.objectContaining({ type: "integer", default: 1024, minimum: 1, maximum: 10240 }),
      },
    });
  });

  it("refuses a misspelt bound instead of leaving the default in force", async () => {
    await expect(run(policy, DCS_TASK_TYPE, dcsBase, { maxMB: 200 })).rejects.toThrow(
      'dcs-bandwidth-limit-bounds: unknown config "maxMB"; the settings are minMb and maxMb',
    );
  });

  it("reports a missing bandwidthLimitMb with the default bounds", async () => {
    const { bandwidthLimitMb: _omitted, ...inputs } = dcsBase;
    expect(await run(policy, DCS_TASK_TYPE, inputs)).toEqual({ violations: [dcsMissingMessage(1, 1024)] });
  });

  it("reports a limit above the default maximum", async () => {
    expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: 2048 })).toEqual({
      violations: [dcsOutOfBoundsMessage(2048, 1, 1024)],
    });
  });

  it.each([1, 100, 1024])("passes %d MB/s within the default bounds", async (mb) => {
    expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: mb })).toEqual({
      violations: [],
    });
  });

  describe("with bounds from the policy config", () => {
    const config = { minMb: 50, maxMb: 200 };

    it.each([49, 201, 1024])("reports %d MB/s", async (mb) => {
      expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: mb }, config)).toEqual({
        violations: [dcsOutOfBoundsMessage(mb, 50, 200)],
      });
    });

    it.each([50, 120, 200])("passes %d MB/s", async (mb) => {
      expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: mb }, config)).toEqual({
        violations: [],
      });
    });

    it("names the configured bounds when the limit is missing", async () => {
      const { bandwidthLimitMb: _omitted, ...inputs } = dcsBase;
      expect(await run(policy, DCS_TASK_TYPE, inputs, config)).toEqual({
        violations: [dcsMissingMessage(50, 200)],
      });
    });

    it("takes the default for a bound the config leaves out", async () => {
      expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: 600 }, { maxMb: 512 })).toEqual(
        {
          violations: [dcsOutOfBoundsMessage(600, 1, 512)],
        },
      );
      expect(await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: 5 }, { minMb: 10 })).toEqual({
        violations: [dcsOutOfBoundsMessage(5, 10, 1024)],
      });
    });

    it("fails the run on contradictory bounds instead of blaming the task", async () => {
      await expect(run(policy, DCS_TASK_TYPE, dcsBase, { minMb: 500, maxMb: 100 })).rejects.toThrow(
        "dcs-bandwidth-limit-bounds: minMb (500) must not exceed maxMb (100)",
      );
    });
  });

  it("reports a limit that is not a number without echoing it", async () => {
    const outcome = await run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: "hunter2" });
    expect(outcome).toEqual({
      violations: ["bandwidthLimitMb must be a number of MB/s between 1 and 1024."],
    });
  });

  it("never echoes the Redis passwords", async () => {
    const { bandwidthLimitMb: _omitted, ...inputs } = dcsBase;
    const { violations } = await run(policy, DCS_TASK_TYPE, inputs);
    expect(violations.join("\n")).not.toContain("Passw0rd");
  });

  it.each([
    [
      "a full migration",
      { ...dcsBase, migrationMethod: "full_amount_migration", bandwidthLimitMb: undefined },
    ],
    [
      "a backup import",
      { ...dcsBase, kind: "backup", migrationMethod: "full_amount_migration", bandwidthLimitMb: undefined },
    ],
  ])("does not apply to %s", async (_label, inputs) => {
    expect(await run(policy, DCS_TASK_TYPE, inputs)).toEqual({
      violations: [],
      notApplicable: "The task is not an online incremental migration",
    });
  });

  it("defers an unknown limit to the update", async () => {
    await expect(
      run(policy, DCS_TASK_TYPE, { ...dcsBase, bandwidthLimitMb: UNKNOWN }),
    ).rejects.toBeInstanceOf(UnknownValueError);
  });

  it("does not apply to other resource types", async () => {
    expect((await run(policy, SMS_TASK_TYPE, smsBase)).notApplicable).toBe(
      `Policy only applies to resources of type '${DCS_TASK_TYPE}'`,
    );
  });
});

describe("migration-task-inline-credentials", () => {
  const policy = migrationTaskInlineCredentials;
  const credentials = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY };

  it("is advisory", () => {
    expect(policy.name).toBe("migration-task-inline-credentials");
    expect(policy.enforcementLevel).toBe("advisory");
  });

  it.each([
    ["SMS", SMS_TASK_TYPE, smsBase, "huaweicloud"],
    ["DCS", DCS_TASK_TYPE, dcsBase, "huaweicloud"],
    ["MSE", MSE_TASK_TYPE, mseBase, "alicloud"],
  ])(
    "reports credentials on the %s task, naming the config keys and no secret",
    async (_label, type, base, ns) => {
      const { violations } = await run(policy, type, { ...base, credentials });
      expect(violations).toEqual([credentialsMessage(ns)]);
      expect(violations.join("\n")).not.toContain(SECRET_KEY);
      expect(violations.join("\n")).not.toContain(ACCESS_KEY);
    },
  );

  it("reports credentials that are unknown during preview: they are inline all the same", async () => {
    expect(await run(policy, SMS_TASK_TYPE, { ...smsBase, credentials: UNKNOWN })).toEqual({
      violations: [credentialsMessage("huaweicloud")],
    });
  });

  it.each([
    ["SMS", SMS_TASK_TYPE, smsBase],
    ["DCS", DCS_TASK_TYPE, dcsBase],
    ["MSE", MSE_TASK_TYPE, mseBase],
  ])("passes the %s task without credentials", async (_label, type, base) => {
    expect(await run(policy, type, base)).toEqual({ violations: [] });
  });

  it("does not apply to other resource types", async () => {
    expect(await run(policy, "aws:s3/bucket:Bucket", { credentials })).toEqual({
      violations: [],
      notApplicable: "Policy only applies to migration tasks",
    });
  });
});

describe("every rule", () => {
  it.each([
    ["SMS", SMS_TASK_TYPE],
    ["DCS", DCS_TASK_TYPE],
    ["MSE", MSE_TASK_TYPE],
  ])("copes with the %s task that has no inputs at all", async (_label, type) => {
    for (const p of policies) {
      await expect(run(p, type, {})).resolves.toEqual(
        expect.objectContaining({ violations: expect.any(Array) }),
      );
    }
  });
});
