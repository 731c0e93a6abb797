/**
 * End to end: runs `policy-pack/` exactly as `pulumi preview --policy-pack policy-pack` does and
 * talks to it over the Analyzer gRPC service, as the engine does.
 *
 * The CLI starts node's `@pulumi/pulumi/cmd/run-policy-pack` (resolved from the pack directory)
 * with the arguments `<engine-address> <pack-dir>` and the pack directory as working directory;
 * run-policy-pack drops the engine address and `require`s the pack, whose `PolicyPack` serves the
 * Analyzer service on 127.0.0.1 and prints the port as the first stdout line. Nothing dials the
 * engine address, so no engine is needed here. Policy config reaches the pack through the
 * `Configure` RPC, which the engine sends after `GetAnalyzerInfo` with `--policy-pack-config`
 * merged over the schema defaults.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as readline from "node:readline";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerTypes from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import { emulatorDefaults, smsDemoIds } from "../emulator";
import type { CapturedRegistration } from "../harness";
import { captureRegistrations, isSecret, unwrapSecret } from "../harness";
import { KINDS } from "../gitops/kinds";
import { gitops, huaweicloud } from "../index";
import { repoRoot } from "./helpers";

const PACK_DIR = path.join(repoRoot, "policy-pack");
const PACK_NAME = "pulumi-migration-tasks";
const PACK_VERSION = (
  JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }
).version;

const SMS_TYPE = "pulumi-nodejs:dynamic/huaweicloud/sms:MigrationTask";
const DCS_TYPE = "pulumi-nodejs:dynamic/huaweicloud/dcs:MigrationTask";

// Wire-format markers the engine uses in the properties it sends.
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

// The pack's own SDK copy (the one run-policy-pack and @pulumi/policy load), so that messages
// and credentials come from the same module instances as the server's.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json", { paths: [PACK_DIR] }));
const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
const apb = sdkRequire("@pulumi/pulumi/proto/analyzer_pb") as typeof analyzerTypes;
const agrpc = sdkRequire("@pulumi/pulumi/proto/analyzer_grpc_pb") as typeof analyzerGrpcTypes;
const structpb = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const emptypb = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
const Level = apb.EnforcementLevel;

/** One diagnostic, as plain data. */
interface Diag {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  enforcementLevel: number;
  message: string;
}

/** An Analyze answer, as plain data. */
interface Analysis {
  diagnostics: Diag[];
  notApplicable: Record<string, string>;
  /** The raw response bytes, to look for leaked secrets. */
  raw: Buffer;
}

let child: ChildProcess | undefined;
let client: analyzerGrpcTypes.AnalyzerClient | undefined;
const stderr: string[] = [];

function unary<T>(call: (cb: (err: grpcTypes.ServiceError | null, res: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    call((err, res) => (err ? reject(err) : resolve(res)));
  });
}

function analyzer(): analyzerGrpcTypes.AnalyzerClient {
  if (!client) throw new Error("the policy pack did not start");
  return client;
}

/** Sends one resource to Analyze the way the engine marshals it (inputs, options, no `__` keys). */
async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<Analysis> {
  const req = new apb.AnalyzeRequest();
  req.setUrn(`urn:pulumi:dev::migration::${type}::${name}`);
  req.setType(type);
  req.setName(name);
  req.setProperties(structpb.Struct.fromJavaScript(props as Record<string, structTypes.JavaScriptValue>));
  const timeouts = new apb.AnalyzerResourceOptions.CustomTimeouts();
  const opts = new apb.AnalyzerResourceOptions();
  opts.setCustomtimeouts(timeouts);
  opts.setAdditionalsecretoutputsList(["credentials"]);
  req.setOptions(opts);
  const res = await unary<analyzerTypes.AnalyzeResponse>((cb) => analyzer().analyze(req, cb));
  return {
    diagnostics: res.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      enforcementLevel: d.getEnforcementlevel(),
      message: d.getMessage(),
    })),
    notApplicable: Object.fromEntries(
      res.getNotApplicableList().map((n) => [n.getPolicyName(), n.getReason()]),
    ),
    raw: Buffer.from(res.serializeBinary()),
  };
}

/** Sends policy config as the engine does: every entry with its enforcement level. */
async function configure(
  config: Record<string, { enforcementLevel: number; properties?: Record<string, unknown> }>,
): Promise<void> {
  const req = new apb.ConfigureAnalyzerRequest();
  for (const [name, c] of Object.entries(config)) {
    const pc = new apb.PolicyConfig();
    pc.setEnforcementlevel(c.enforcementLevel);
    pc.setProperties(
      structpb.Struct.fromJavaScript((c.properties ?? {}) as Record<string, structTypes.JavaScriptValue>),
    );
    req.getPolicyconfigMap().set(name, pc);
  }
  await unary((cb) => analyzer().configure(req, cb));
}

// Same props the SDK registers for these tasks, with `__provider` left out as the engine does.
const smsCutover: Record<string, unknown> = {
  name: "web-01-to-ecs",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: "8a9d2a9f-6a8b-4c47-a8a3-000000000001",
  target: { vmId: "5c1d6f43-0d4e-4f0a-9b0e-000000000001" },
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  speedLimitMbps: 200,
  usePublicIp: false,
  migrationIp: "192.168.10.20",
  state: "cutover",
};

const dcsOnline: Record<string, unknown> = {
  kind: "online",
  name: "sessions-to-dcs",
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  migrationMethod: "incremental_migration",
  bandwidthLimitMb: 500,
  source: { address: "192.168.0.200:6379" },
  target: { instanceId: "d1e2f3a4-0001-4000-8000-000000000001" },
  sourcePassword: secret("SelfBuilt-Redis-Passw0rd"),
  targetPassword: secret("Target-Redis-Passw0rd"),
  state: "running",
};

/**
 * The inputs the engine sends to Analyze for a registration: the provider's Check result (with
 * its defaults, such as usePublicIp and state), secrets still marked, internal keys left out
 * (SkipInternalKeys drops `__provider`).
 */
async function engineInputs(reg: CapturedRegistration): Promise<Record<string, unknown>> {
  const kind = KINDS[reg.type.replace(/^pulumi-nodejs:dynamic\//, "").replace(/[/:]/g, ".")];
  if (!kind) throw new Error(`no kind for ${reg.type}`);
  const secretKeys: string[] = [];
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(reg.inputs)) {
    if (k.startsWith("__")) continue;
    if (isSecret(v)) secretKeys.push(k);
    plain[k] = isSecret(v) ? unwrapSecret(v) : v;
  }
  const checked = (await kind.check(plain)).inputs ?? plain;
  return Object.fromEntries(
    Object.entries(checked).map(([k, v]) => [k, secretKeys.includes(k) ? secret(v) : v]),
  );
}

const CUTOVER_DESCRIPTION =
  "An SMS migration task declared with state cutover must record who approved the cutover.";
const DCS_DESCRIPTION =
  "An online incremental DCS migration task must set bandwidthLimitMb within the bounds the policy allows.";

describe("policy-pack/ run as the Pulumi CLI runs it", () => {
  beforeAll(async () => {
    if (!fs.existsSync(path.join(repoRoot, "dist", "policy", "index.js"))) {
      throw new Error(
        "dist/policy is missing: run `npm run build` first (the pack loads the compiled rules)",
      );
    }
    const script = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PULUMI_NODEJS_PROJECT: "migration",
      PULUMI_NODEJS_STACK: "dev",
      PULUMI_NODEJS_DRY_RUN: "true",
    };
    // An engine address in the environment would make the SDK's logging dial it.
    delete env.PULUMI_NODEJS_ENGINE;
    delete env.PULUMI_NODEJS_MONITOR;
    const proc = spawn(process.execPath, [script, "127.0.0.1:1", "."], {
      cwd: PACK_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    readline.createInterface({ input: proc.stderr! }).on("line", (l) => stderr.push(l));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the policy pack printed no port within 15 s")), 15000);
      const lines = readline.createInterface({ input: proc.stdout! });
      lines.once("line", (line) => {
        clearTimeout(timer);
        const p = Number(line.trim());
        if (Number.isInteger(p) && p > 0) resolve(p);
        else reject(new Error(`the policy pack printed ${JSON.stringify(line)} instead of a port`));
      });
      proc.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(`the policy pack exited (${code ?? signal}) before its port:\n${stderr.join("\n")}`),
        );
      });
    });
    client = new agrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }, 20000);

  afterAll(async () => {
    client?.close();
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
  });

  it("describes the pack and its rules in GetAnalyzerInfo", async () => {
    const info = await unary<analyzerTypes.AnalyzerInfo>((cb) =>
      analyzer().getAnalyzerInfo(new emptypb.Empty(), cb),
    );
    expect(info.getName()).toBe(PACK_NAME);
    expect(info.getVersion()).toBe(PACK_VERSION);
    expect(info.getSupportsconfig()).toBe(true);
    const levels = Object.fromEntries(
      info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]),
    );
    expect(levels).toEqual({
      "sms-cutover-requires-approval": Level.MANDATORY,
      "sms-block-migration-speed-limit": Level.MANDATORY,
      "sms-public-ip-migration": Level.ADVISORY,
      "dcs-bandwidth-limit-bounds": Level.MANDATORY,
      "migration-task-inline-credentials": Level.ADVISORY,
    });
    const dcs = info.getPoliciesList().find((p) => p.getName() === "dcs-bandwidth-limit-bounds");
    expect(dcs?.getConfigschema()?.getProperties()?.toJavaScript()).toEqual({
      minMb: expect.objectContaining({ type: "integer", default: 1 }),
      maxMb: expect.objectContaining({ type: "integer", default: 1024 }),
    });
  });

  it("accepts the stack configuration the engine sends before analysis", async () => {
    const req = new apb.AnalyzerStackConfigureRequest();
    req.setProject("migration");
    req.setStack("dev");
    req.setDryRun(true);
    req.getTagsMap().set("team", "platform");
    await expect(unary((cb) => analyzer().configureStack(req, cb))).resolves.toBeDefined();
  });

  it("reports an SMS cutover without approval as a mandatory violation", async () => {
    const { diagnostics, notApplicable } = await analyze(SMS_TYPE, "web-01", smsCutover);
    expect(diagnostics).toEqual([
      {
        policyName: "sms-cutover-requires-approval",
        policyPackName: PACK_NAME,
        policyPackVersion: PACK_VERSION,
        enforcementLevel: Level.MANDATORY,
        message:
          `${CUTOVER_DESCRIPTION}\n` +
          'The task is declared with state "cutover" but has no cutoverApproval. Cutover launches the ' +
          "target server and stops the source server's replication, so it cannot be undone by declaring " +
          "another state; set cutoverApproval to the ticket or the person that approved it.",
      },
    ]);
    // The type tag lets the server skip the DCS rule without running it.
    expect(notApplicable["dcs-bandwidth-limit-bounds"]).toBe(
      `Policy only applies to resources of type '${DCS_TYPE}'`,
    );
  });

  it("reports nothing for a compliant SMS cutover", async () => {
    const { diagnostics } = await analyze(SMS_TYPE, "web-01", {
      ...smsCutover,
      cutoverApproval: "CHG-20240611-0042",
    });
    expect(diagnostics).toEqual([]);
  });

  it("defers a rule whose input is unknown during preview with an advisory note", async () => {
    const { diagnostics } = await analyze(SMS_TYPE, "web-01", { ...smsCutover, cutoverApproval: UNKNOWN });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        policyName: "sms-cutover-requires-approval",
        enforcementLevel: Level.ADVISORY,
        message:
          `can't run policy 'sms-cutover-requires-approval' from policy pack '${PACK_NAME}@v${PACK_VERSION}' ` +
          "during preview: string value at .cutoverApproval can't be known during preview",
      }),
    ]);
  });

  it("flags inline credentials without sending the secret back", async () => {
    const secretKey = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
    const { diagnostics, raw } = await analyze(SMS_TYPE, "web-01", {
      ...smsCutover,
      cutoverApproval: "CHG-20240611-0042",
      credentials: secret({ accessKey: "AKIAEXAMPLE0123456789", secretKey }),
    });
    expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["migration-task-inline-credentials", Level.ADVISORY],
    ]);
    expect(raw.includes(secretKey)).toBe(false);
    expect(raw.includes("AKIAEXAMPLE0123456789")).toBe(false);
  });

  it("analyzes the inputs the real SDK class registers", async () => {
    const regs = await captureRegistrations(
      () => {
        new huaweicloud.sms.MigrationTask("web-01", {
          name: "web-01-to-ecs",
          type: "MIGRATE_BLOCK",
          osType: "LINUX",
          sourceServerId: smsDemoIds.sources.web01,
          target: { vmId: smsDemoIds.targets.ecsWeb01 },
          region: "cn-north-4",
          projectId: emulatorDefaults.projectId,
          state: "cutover",
        });
      },
      { project: "migration", stack: "dev" },
    );
    const reg = regs.find((r) => r.name === "web-01");
    expect(reg?.type).toBe(SMS_TYPE);
    if (!reg) throw new Error("web-01 was not registered");
    const { diagnostics } = await analyze(SMS_TYPE, "web-01", await engineInputs(reg));
    expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["sms-cutover-requires-approval", Level.MANDATORY],
      ["sms-block-migration-speed-limit", Level.MANDATORY],
      ["sms-public-ip-migration", Level.ADVISORY],
    ]);
  });

  it("checks DCS bandwidth against the default bounds before any config", async () => {
    expect((await analyze(DCS_TYPE, "sessions", dcsOnline)).diagnostics).toEqual([]);
    const { diagnostics, raw } = await analyze(DCS_TYPE, "sessions", {
      ...dcsOnline,
      bandwidthLimitMb: 2048,
    });
    expect(diagnostics).toEqual([
      {
        policyName: "dcs-bandwidth-limit-bounds",
        policyPackName: PACK_NAME,
        policyPackVersion: PACK_VERSION,
        enforcementLevel: Level.MANDATORY,
        message: `${DCS_DESCRIPTION}\nbandwidthLimitMb 2048 MB/s is outside the allowed 1 to 1024 MB/s.`,
      },
    ]);
    expect(raw.includes("Passw0rd")).toBe(false);
  });

  it("applies the bounds and enforcement levels sent with Configure", async () => {
    await configure({
      "dcs-bandwidth-limit-bounds": {
        enforcementLevel: Level.MANDATORY,
        properties: { minMb: 10, maxMb: 200 },
      },
      "sms-public-ip-migration": { enforcementLevel: Level.DISABLED },
    });
    const { diagnostics } = await analyze(DCS_TYPE, "sessions", dcsOnline);
    expect(diagnostics).toEqual([
      {
        policyName: "dcs-bandwidth-limit-bounds",
        policyPackName: PACK_NAME,
        policyPackVersion: PACK_VERSION,
        enforcementLevel: Level.MANDATORY,
        message: `${DCS_DESCRIPTION}\nbandwidthLimitMb 500 MB/s is outside the allowed 10 to 200 MB/s.`,
      },
    ]);
    expect(
      (await analyze(DCS_TYPE, "sessions", { ...dcsOnline, bandwidthLimitMb: 150 })).diagnostics,
    ).toEqual([]);
    // The disabled rule no longer reports a public-internet migration.
    const sms = await analyze(SMS_TYPE, "web-01", {
      ...smsCutover,
      cutoverApproval: "CHG-20240611-0042",
      usePublicIp: true,
    });
    expect(sms.diagnostics).toEqual([]);
  });

  it("passes examples/gitops with its policy-config.json, and stops an unapproved cutover in a PR", async () => {
    const example = path.join(repoRoot, "examples", "gitops");
    const packConfig = JSON.parse(
      fs.readFileSync(path.join(example, "policy-config.json"), "utf8"),
    ) as Record<string, Record<string, unknown>>;
    // The engine sends every configured policy with its level; these stay mandatory.
    await configure(
      Object.fromEntries(
        Object.entries(packConfig).map(([name, properties]) => [
          name,
          { enforcementLevel: Level.MANDATORY, properties },
        ]),
      ),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mt-policy-gitops-"));
    fs.cpSync(path.join(example, "migrations"), dir, { recursive: true });
    const config = { sourceRedisPassword: { secret: "pw-1" }, targetRedisPassword: { secret: "pw-2" } };
    const analyzeFolder = async () => {
      const regs = await captureRegistrations(() => gitops.loadMigrations(dir), {
        project: "gitops",
        stack: "prod",
        config,
      });
      const out: Record<string, [string, number][]> = {};
      for (const r of regs) {
        const { diagnostics } = await analyze(r.type, r.name, await engineInputs(r));
        out[r.name] = diagnostics.map((d) => [d.policyName, d.enforcementLevel]);
      }
      return out;
    };
    try {
      expect(await analyzeFolder()).toEqual({ "orders-registry": [], "sessions-redis": [], "web-01": [] });
      // The pull request: web-01 declared cut over without an approval, Redis bandwidth raised.
      const web = path.join(dir, "web-01.yaml");
      fs.writeFileSync(web, fs.readFileSync(web, "utf8").replace("state: running", "state: cutover"));
      const redis = path.join(dir, "sessions-redis.yaml");
      fs.writeFileSync(
        redis,
        fs.readFileSync(redis, "utf8").replace("bandwidthLimitMb: 100", "bandwidthLimitMb: 800"),
      );
      expect(await analyzeFolder()).toEqual({
        "orders-registry": [],
        "sessions-redis": [["dcs-bandwidth-limit-bounds", Level.MANDATORY]],
        "web-01": [["sms-cutover-requires-approval", Level.MANDATORY]],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("carries the package's version, which the engine reports for each violation", () => {
    const root = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      version: string;
    };
    expect(PACK_VERSION).toBe(root.version);
  });

  it("wrote no errors to stderr", () => {
    expect(stderr.filter((l) => /error/i.test(l))).toEqual([]);
  });
});
