import { formatProblem, readMigrationFile, validateSources } from "./documents";
import type { SourceFile } from "./documents";
import { DCS_FILE, SMS_FILE } from "./fixtures";
import { KINDS, secretSpecPaths, specPath } from "./kinds";

const file = (path: string, text: string): SourceFile => ({ path, text });
const problems = (text: string, path = "migrations/x.yaml") =>
  validateSources([file(path, text)]).problems.map(formatProblem);

describe("validate: each kind of invalid file gets its own message at its own position", () => {
  it("accepts the valid files and reports nothing", () => {
    const r = validateSources([file("a.yaml", SMS_FILE), file("b.yaml", DCS_FILE)]);
    expect(r.problems).toEqual([]);
    expect(r.documents.map((d) => [d.name, d.kind.kind])).toEqual([
      ["web-01", "huaweicloud.sms.MigrationTask"],
      ["sessions", "huaweicloud.dcs.MigrationTask"],
    ]);
  });

  it.each([
    [
      "bad YAML",
      SMS_FILE.replace("  name: web-01\n", "  name: [web-01\n"),
      /^migrations\/x\.yaml:5:1: \(yaml\): Flow sequence in block collection must be sufficiently indented and end with a \]$/,
    ],
    [
      "a duplicate key",
      SMS_FILE.replace("  state: running\n", "  state: running\n  state: paused\n"),
      /^migrations\/x\.yaml:15:3: \(yaml\): Map keys must be unique$/,
    ],
    [
      "a wrong type",
      SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: fast"),
      /^migrations\/x\.yaml:13:19: spec\.speedLimitMbps: must be a number, not a string$/,
    ],
    [
      "a fraction where an integer is needed",
      SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 1.5"),
      /^migrations\/x\.yaml:13:19: spec\.speedLimitMbps: must be an integer, not a number$/,
    ],
    [
      "an out-of-range value",
      SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 1001"),
      /^migrations\/x\.yaml:13:19: spec\.speedLimitMbps: must be at most 1000$/,
    ],
    [
      "a bad enum",
      SMS_FILE.replace("osType: LINUX", "osType: MACOS"),
      /^migrations\/x\.yaml:8:11: spec\.osType: must be one of "LINUX", "WINDOWS"$/,
    ],
    [
      "an unknown field (pointed at its key)",
      SMS_FILE.replace("  speedLimitMbps: 100", "  speedLimitMpbs: 100"),
      /^migrations\/x\.yaml:13:3: spec\.speedLimitMpbs: unknown field; check the spelling$/,
    ],
    [
      "an unknown nested field",
      SMS_FILE.replace('{ vmId: "b1', '{ vmID: "b1'),
      /^migrations\/x\.yaml:10:13: spec\.target\.vmID: unknown field; check the spelling$/,
    ],
    [
      "a missing required field (pointed at spec)",
      SMS_FILE.replace('  sourceServerId: "a1b2c3d4-0001-4000-8000-000000000001"\n', ""),
      /^migrations\/x\.yaml:5:1: spec\.sourceServerId: is required$/,
    ],
    [
      "a plaintext secret",
      DCS_FILE.replace("password: { config: sourceRedisPassword }", "password: hunter2"),
      /^migrations\/x\.yaml:15:15: spec\.source\.password: is a secret: never write it in the file; reference a stack config secret instead, such as \{ config: mySecretKey \}$/,
    ],
    [
      "a reference in a field that is not secret",
      SMS_FILE.replace('projectId: "0123456789abcdef0123456789abcdef"', "projectId: { config: projectId }"),
      /^migrations\/x\.yaml:12:14: spec\.projectId: only secret fields take a \{ config: <key> \} reference; write the value itself$/,
    ],
    [
      "a malformed reference",
      DCS_FILE.replace("{ config: targetRedisPassword }", '{ config: "bad key!" }'),
      /^migrations\/x\.yaml:18:25: spec\.target\.password\.config: must be a stack config key such as sourceRedisPassword or ns:key$/,
    ],
    [
      "an unknown kind",
      SMS_FILE.replace("kind: huaweicloud.sms.MigrationTask", "kind: huaweicloud.ecs.Server"),
      /^migrations\/x\.yaml:2:7: kind: unknown kind "huaweicloud\.ecs\.Server"; must be one of huaweicloud\.sms\.MigrationTask, huaweicloud\.dcs\.MigrationTask, alicloud\.mse\.MigrationTask$/,
    ],
    [
      "a wrong apiVersion",
      SMS_FILE.replace("pulumi-migration-tasks/v1", "pulumi-migration-tasks/v2"),
      /^migrations\/x\.yaml:1:13: apiVersion: must be one of "pulumi-migration-tasks\/v1"$/,
    ],
    [
      "an unknown top-level field",
      SMS_FILE.replace("metadata:\n", "labels: {}\nmetadata:\n"),
      /^migrations\/x\.yaml:3:1: labels: unknown field; check the spelling$/,
    ],
    [
      "a bad resource name",
      SMS_FILE.replace("  name: web-01\n", "  name: web 01\n"),
      /^migrations\/x\.yaml:4:9: metadata\.name: must start with a letter or digit/,
    ],
    [
      "a rule across fields (the resource's own)",
      SMS_FILE.replace('{ vmId: "b1', '{ vmTemplateId: "c1", vmId: "b1'),
      /^migrations\/x\.yaml:10:11: spec\.target: set exactly one of vmId \(an existing ECS\) or vmTemplateId$/,
    ],
    [
      "a rule on a list item",
      SMS_FILE.replace(
        "  state: running\n",
        '  state: running\n  speedLimits:\n    - { start: "08:00", end: "18:00", speedMbps: 50 }\n    - { start: "20:00", end: "19:00", speedMbps: 50 }\n',
      ),
      /^migrations\/x\.yaml:17:7: spec\.speedLimits\.1: start 20:00 must be before end 19:00$/,
    ],
    [
      "an empty file",
      "# nothing yet\n",
      /^migrations\/x\.yaml:1:1: \(document\): the file declares no migration task$/,
    ],
    [
      "two documents in one file",
      SMS_FILE + "---\n" + SMS_FILE,
      /^migrations\/x\.yaml:16:1: \(document\): one migration task per file/,
    ],
    [
      "a document that is not a mapping",
      "- a\n- b\n",
      /^migrations\/x\.yaml:1:1: \(document\): must be a mapping with apiVersion, kind, metadata and spec$/,
    ],
  ])("%s", (_what, text, expected) => {
    const got = problems(text);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(expected);
  });

  it("reports the resource's own rules between fields in file terms (a DCS backup import)", () => {
    expect(problems(DCS_FILE.replace("kind: online", "kind: backup"))).toEqual([
      'migrations/x.yaml:5:1: spec.backupFiles: is required for kind "backup"',
      'migrations/x.yaml:10:12: spec.network: is only for kind "online"',
      'migrations/x.yaml:12:21: spec.bandwidthLimitMb: is only for kind "online"',
      "migrations/x.yaml:14:5: spec.source: a backup import has no live source; use backupFiles",
      "migrations/x.yaml:14:5: spec.source: a backup import has no source password",
    ]);
  });

  it("points at each plaintext credential", () => {
    const text = SMS_FILE.replace(
      "  state: running\n",
      "  state: running\n  credentials: { accessKey: AK, secretKey: SK }\n",
    );
    expect(problems(text).map((p) => p.split(": is a secret")[0])).toEqual([
      "migrations/x.yaml:15:29: spec.credentials.accessKey",
      "migrations/x.yaml:15:44: spec.credentials.secretKey",
    ]);
  });

  it("reports every problem of a file, not only the first", () => {
    const text = SMS_FILE.replace("osType: LINUX", "osType: MACOS").replace(
      "speedLimitMbps: 100",
      "speedLimitMbps: -1",
    );
    expect(problems(text)).toEqual([
      'migrations/x.yaml:8:11: spec.osType: must be one of "LINUX", "WINDOWS"',
      "migrations/x.yaml:13:19: spec.speedLimitMbps: must be at least 0",
    ]);
  });
});

describe("validate: across files", () => {
  it("reports a duplicate resource name at the second file, naming the first", () => {
    const r = validateSources([
      file("migrations/a.yaml", SMS_FILE),
      file("migrations/b.yaml", SMS_FILE.replace("web-01-to-ecs", "web-01-again")),
    ]);
    expect(r.problems.map(formatProblem)).toEqual([
      'migrations/b.yaml:4:9: metadata.name: duplicate name "web-01": migrations/a.yaml:4:9 declares it already',
    ]);
    expect(r.documents.map((d) => d.file)).toEqual(["migrations/a.yaml"]);
  });

  it("reports two tasks of one kind sharing a cloud task name in a region", () => {
    const r = validateSources([
      file("migrations/a.yaml", SMS_FILE),
      file("migrations/b.yaml", SMS_FILE.replace("  name: web-01\n", "  name: web-02\n")),
    ]);
    expect(r.problems.map(formatProblem)).toEqual([
      'migrations/b.yaml:6:9: spec.name: duplicate task name "web-01-to-ecs" in cn-north-4: migrations/a.yaml uses it already',
    ]);
  });

  it("reports a duplicate name even when one of the files has other problems", () => {
    const r = validateSources([
      file("migrations/a.yaml", SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 1001")),
      file("migrations/b.yaml", SMS_FILE.replace("web-01-to-ecs", "web-01-again")),
    ]);
    expect(r.problems.map(formatProblem)).toEqual([
      "migrations/a.yaml:13:19: spec.speedLimitMbps: must be at most 1000",
      'migrations/b.yaml:4:9: metadata.name: duplicate name "web-01": migrations/a.yaml:4:9 declares it already',
    ]);
    expect(r.documents).toEqual([]);
  });

  it("keeps judging the other files when one does not parse", () => {
    const r = validateSources([
      file("migrations/a.yaml", "apiVersion: [\n"),
      file("migrations/b.yaml", SMS_FILE.replace("osType: LINUX", "osType: BEOS")),
      file("migrations/c.yaml", DCS_FILE),
    ]);
    expect(r.problems.map((p) => `${p.file} ${p.field}`)).toEqual([
      "migrations/a.yaml (yaml)",
      "migrations/b.yaml spec.osType",
    ]);
    expect(r.documents.map((d) => d.name)).toEqual(["sessions"]);
    expect(r.files).toBe(3);
  });
});

describe("secret references", () => {
  it("are recorded by path and replaced in the inputs by a stand-in naming the key", () => {
    const r = readMigrationFile(file("x.yaml", DCS_FILE));
    expect(r.problems).toEqual([]);
    expect(r.document?.secrets).toEqual([
      { path: ["source", "password"], ref: { config: "sourceRedisPassword" } },
      { path: ["target", "password"], ref: { config: "targetRedisPassword" } },
    ]);
    expect(r.document?.inputs.sourcePassword).toBe("secret-ref:sourceRedisPassword");
    expect(r.document?.inputs.source).toEqual({ address: "192.168.0.200:6379" });
  });
});

describe("specPath", () => {
  it("maps inputs users write inside another field back to where they are written", () => {
    const dcs = KINDS["huaweicloud.dcs.MigrationTask"];
    expect(specPath(dcs, ["sourcePassword"])).toEqual(["source", "password"]);
    expect(specPath(dcs, ["targetPassword"])).toEqual(["target", "password"]);
    expect(specPath(dcs, ["target", "instanceId"])).toEqual(["target", "instanceId"]);
    expect(secretSpecPaths(dcs)).toEqual([["source", "password"], ["target", "password"], ["credentials"]]);
  });
});

describe("files that are odd rather than merely wrong", () => {
  const others = [
    file("migrations/b.yaml", SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 999999")),
  ];
  const judged = (text: string) =>
    validateSources([file("migrations/a.yaml", text), ...others]).problems.map(formatProblem);

  it.each([
    [
      "an alias to nothing",
      SMS_FILE.replace("name: web-01-to-ecs", "name: *nm"),
      /^migrations\/a\.yaml:1:1: \(yaml\): Unresolved alias/,
    ],
    [
      "aliases that expand without bound",
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      /^migrations\/a\.yaml:1:1: \(yaml\): Excessive alias count/,
    ],
    [
      "a kind named after an object member",
      SMS_FILE.replace("kind: huaweicloud.sms.MigrationTask", "kind: toString"),
      /^migrations\/a\.yaml:2:7: kind: unknown kind "toString"/,
    ],
    [
      "kind __proto__",
      SMS_FILE.replace("kind: huaweicloud.sms.MigrationTask", "kind: __proto__"),
      /^migrations\/a\.yaml:2:7: kind: unknown kind "__proto__"/,
    ],
  ])("reports %s as that file's problem and still judges the others", (_what, text, expected) => {
    const got = judged(text);
    expect(got[0]).toMatch(expected);
    expect(got).toContain("migrations/b.yaml:13:19: spec.speedLimitMbps: must be at most 1000");
  });

  it.each([
    ["a block scalar header", "password: |Hunter2Secret"],
    ["a tag", "password: !Hunter2Secret x"],
    ["an alias", "password: *Hunter2Secret"],
  ])("never quotes the text of a YAML error, which may be a secret typed by mistake (%s)", (_what, line) => {
    const got = problems(DCS_FILE.replace("password: { config: sourceRedisPassword }", line));
    expect(got.length).toBeGreaterThan(0);
    expect(got.join("\n")).not.toContain("Hunter2Secret");
  });

  it("rejects a password written as the resource's top-level input, where it would be dropped", () => {
    const text = DCS_FILE.replace("    password: { config: sourceRedisPassword }\n", "").replace(
      "  source:\n",
      "  sourcePassword: Hunter2Plain\n  source:\n",
    );
    expect(problems(text)).toEqual([
      "migrations/x.yaml:13:3: spec.sourcePassword: unknown field; write it as source.password: { config: <stack config key> }",
    ]);
  });

  it("reports the envelope's problems and the spec's together", () => {
    expect(
      problems(SMS_FILE.replace("pulumi-migration-tasks/v1", "v2").replace("osType: LINUX", "osType: BEOS")),
    ).toEqual([
      'migrations/x.yaml:1:13: apiVersion: must be one of "pulumi-migration-tasks/v1"',
      'migrations/x.yaml:8:11: spec.osType: must be one of "LINUX", "WINDOWS"',
    ]);
  });

  it("points at the key of an unknown field whatever its spelling", () => {
    expect(
      problems(
        SMS_FILE.replace(
          '  target: { vmId: "b1b2c3d4-0002-4000-8000-000000000001" }',
          "  target:\n    vmId: b1\n    vm-template: x",
        ).replace("  speedLimitMbps: 100", "  speed-limit: 5\n  speedLimitMbps: 100"),
      ),
    ).toEqual([
      "migrations/x.yaml:12:5: spec.target.vm-template: unknown field; check the spelling",
      "migrations/x.yaml:15:3: spec.speed-limit: unknown field; check the spelling",
    ]);
  });

  it("counts columns after a byte-order mark as editors do", () => {
    expect(problems("\uFEFF" + SMS_FILE.replace("pulumi-migration-tasks/v1", "v2"))).toEqual([
      'migrations/x.yaml:1:13: apiVersion: must be one of "pulumi-migration-tasks/v1"',
    ]);
  });

  it("says a missing enum field is required, and takes an empty secret field as absent", () => {
    expect(problems(SMS_FILE.replace("  osType: LINUX\n", ""))).toEqual([
      "migrations/x.yaml:5:1: spec.osType: is required",
    ]);
    expect(problems(SMS_FILE + "  credentials:\n")).toEqual([]);
  });
});

describe("validate: every problem of a file in one run", () => {
  it("a secret problem, a field problem and a cross-field rule are all reported together", () => {
    const text = DCS_FILE.replace("  name: sessions-to-dcs\n", "  name: 1-sessions\n")
      .replace("migrationMethod: incremental_migration", "migrationMethod: full_amount_migration")
      .replace("password: { config: sourceRedisPassword }", "password: Plain-Passw0rd");
    const found = problems(text);
    expect(found).toEqual([
      expect.stringMatching(/:7:9: spec\.name: must start with a letter/),
      expect.stringMatching(/:12:21: spec\.bandwidthLimitMb: .*incremental/),
      expect.stringMatching(/:15:15: spec\.source\.password: is a secret: never write it in the file/),
    ]);
    expect(found.join("\n")).not.toContain("Plain-Passw0rd");
  });

  it("a reference in a field that is not secret is reported once, beside the other problems", () => {
    const text = DCS_FILE.replace("  name: sessions-to-dcs\n", "  name: { config: taskName }\n").replace(
      "bandwidthLimitMb: 100",
      "bandwidthLimitMb: 0",
    );
    const found = problems(text);
    expect(found).toEqual([
      expect.stringMatching(/spec\.name: only secret fields take a \{ config: <key> \} reference/),
      expect.stringMatching(/spec\.bandwidthLimitMb: must be at least 1/),
    ]);
  });
});
