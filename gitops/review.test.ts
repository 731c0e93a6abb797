import { validateSources } from "./documents";
import { DCS_FILE, MSE_FILE, SMS_FILE } from "./fixtures";
import type { ReviewEntry } from "./review";
import { renderReview, reviewChanges } from "./review";

type Files = Record<string, string>;

async function review(before: Files, after: Files): Promise<{ entries: ReviewEntry[]; markdown: string }> {
  const base = validateSources(Object.entries(before).map(([path, text]) => ({ path, text })));
  const head = validateSources(Object.entries(after).map(([path, text]) => ({ path, text })));
  const entries = await reviewChanges(base, head);
  const markdown = renderReview(entries, {
    base: "main",
    baseCommit: "abc1234",
    headProblems: head.problems,
    baseProblems: base.problems,
    headUnreadable: head.unreadable,
  });
  return { entries, markdown };
}

const one = (entries: ReviewEntry[], name: string) => {
  const e = entries.find((x) => x.name === name);
  if (!e) throw new Error(`no entry ${name}`);
  return e;
};

describe("review: what pulumi up would do, from the resources' field tables and diff", () => {
  it("lists an in-place update with the fields that changed, before and after", async () => {
    const { entries, markdown } = await review(
      { "m/web-01.yaml": SMS_FILE },
      { "m/web-01.yaml": SMS_FILE.replace("speedLimitMbps: 100", "speedLimitMbps: 200") },
    );
    expect(one(entries, "web-01")).toMatchObject({
      action: "update",
      changes: [
        { field: "speedLimitMbps", before: "100", after: "200", secret: false, effect: "update in place" },
      ],
      transitions: [],
      warnings: [],
    });
    expect(markdown).toContain(
      "**0 to create · 1 to update in place · 0 to replace · 0 to delete · 0 unchanged**",
    );
    expect(markdown).toContain(
      "| `web-01` | `huaweicloud.sms.MigrationTask` | update in place | — | `m/web-01.yaml` |",
    );
    expect(markdown).toContain("| `speedLimitMbps` | `100` | `200` | update in place |");
    expect(markdown).not.toContain("[!WARNING]");
  });

  it("flags replacing a running migration, naming the field that forces it", async () => {
    const { entries, markdown } = await review(
      { "m/web-01.yaml": SMS_FILE },
      { "m/web-01.yaml": SMS_FILE.replace("osType: LINUX", "osType: WINDOWS") },
    );
    const e = one(entries, "web-01");
    expect(e.action).toBe("replace");
    expect(e.changes).toEqual([
      { field: "osType", before: "LINUX", after: "WINDOWS", secret: false, effect: "replace" },
    ]);
    expect(e.transitions).toEqual([{ action: "start" }]);
    expect(markdown).toContain(
      "> - `web-01`: replacing a running migration deletes it: the task and its progress are lost, and a new task starts over",
    );
    expect(markdown).toContain("| **replace** |");
  });

  it("does not flag replacing a task that was never started", async () => {
    const ready = SMS_FILE.replace("state: running", "state: ready");
    const { entries } = await review(
      { "m/web-01.yaml": ready },
      { "m/web-01.yaml": ready.replace("osType: LINUX", "osType: WINDOWS") },
    );
    expect(one(entries, "web-01")).toMatchObject({ action: "replace", warnings: [] });
  });

  it("flags a cutover and lists it as a lifecycle step", async () => {
    const { entries, markdown } = await review(
      { "m/web-01.yaml": SMS_FILE },
      {
        "m/web-01.yaml": SMS_FILE.replace("state: running", "state: cutover\n  cutoverApproval: CHG-1234"),
      },
    );
    const e = one(entries, "web-01");
    expect(e.transitions).toEqual([
      {
        action: "cutover",
        warning:
          "cutover launches the target server and ends replication from the source; it cannot be undone",
      },
    ]);
    expect(markdown).toContain("| update in place | **cutover** |");
    expect(markdown).toContain("> - `web-01`: cutover launches the target server");
    expect(markdown).toContain("| `cutoverApproval` | — | `CHG-1234` | provider setting |");
  });

  it.each([
    ["ready", "running", "start"],
    ["running", "paused", "pause"],
    ["paused", "running", "resume"],
  ])("names the step from %s to %s: %s", async (from, to, action) => {
    const { entries } = await review(
      { "m/web-01.yaml": SMS_FILE.replace("state: running", `state: ${from}`) },
      { "m/web-01.yaml": SMS_FILE.replace("state: running", `state: ${to}`) },
    );
    expect(one(entries, "web-01").transitions).toEqual([{ action }]);
  });

  it("says when the provider will refuse a declared state (a cut-over task cannot run again)", async () => {
    const { entries, markdown } = await review(
      { "m/web-01.yaml": SMS_FILE.replace("state: running", "state: cutover") },
      { "m/web-01.yaml": SMS_FILE },
    );
    expect(one(entries, "web-01").transitions[0].blocked).toMatch(/cutover cannot be undone/);
    expect(markdown).toMatch(/`web-01`: the provider will refuse this at preview: the task was cut over/);
  });

  it("shows a secret only as changed, and a new create's start", async () => {
    const { entries, markdown } = await review(
      { "m/s.yaml": DCS_FILE },
      {
        "m/s.yaml": DCS_FILE.replace("{ config: sourceRedisPassword }", "{ config: sessionsSourcePassword }"),
        "m/web-01.yaml": SMS_FILE,
      },
    );
    expect(one(entries, "sessions").changes).toEqual([
      {
        field: "source.password",
        before: "(secret)",
        after: "(secret, changed)",
        secret: true,
        effect: "update in place",
      },
    ]);
    expect(one(entries, "web-01")).toMatchObject({ action: "create", transitions: [{ action: "start" }] });
    expect(markdown).toContain("| `source.password` | (secret) | (secret, changed) | update in place |");
    expect(markdown).not.toMatch(/secret-ref|sessionsSourcePassword|sourceRedisPassword/);
  });

  it("shows a secret that appears or goes away as such, never its reference", async () => {
    const noTargetPassword = DCS_FILE.replace(/ {4}password: \{ config: targetRedisPassword \}\n/, "");
    const added = await review({ "m/s.yaml": noTargetPassword }, { "m/s.yaml": DCS_FILE });
    expect(one(added.entries, "sessions").changes).toEqual([
      {
        field: "target.password",
        before: undefined,
        after: "(secret, changed)",
        secret: true,
        effect: "update in place",
      },
    ]);
    expect(added.markdown).toContain("| `target.password` | — | (secret, changed) | update in place |");
    const removed = await review({ "m/s.yaml": DCS_FILE }, { "m/s.yaml": noTargetPassword });
    expect(removed.markdown).toContain("| `target.password` | (secret) | — | update in place |");
    expect(added.markdown + removed.markdown).not.toContain("targetRedisPassword");
  });

  it("uses the resource's diff: a DCS backup import's target change replaces it", async () => {
    const backup = DCS_FILE.replace("kind: online", "kind: backup")
      .replace(/ {2}network: .*\n/, "")
      .replace(/ {2}bandwidthLimitMb: .*\n/, "")
      .replace(/ {2}source:\n.*\n.*\n/, "")
      .replace(
        "  target:\n",
        "  backupFiles:\n    fileSource: self_build_obs\n    bucketName: redis-backups\n    files: [{ name: sessions.rdb }]\n  target:\n",
      )
      .replace("migrationMethod: incremental_migration", "migrationMethod: full_amount_migration");
    const { entries } = await review(
      { "m/s.yaml": backup },
      {
        "m/s.yaml": backup.replace(
          "d1e2f3a4-0001-4000-8000-000000000001",
          "d1e2f3a4-0001-4000-8000-000000000002",
        ),
      },
    );
    expect(one(entries, "sessions")).toMatchObject({
      action: "replace",
      changes: [{ field: "target", effect: "replace" }],
    });
  });

  it("flags a DCS IP switch and its rollback", async () => {
    const switched = DCS_FILE + "  ipSwitch: { exchanged: true, ips: [192.168.0.200] }\n";
    const forward = await review({ "m/s.yaml": DCS_FILE }, { "m/s.yaml": switched });
    expect(one(forward.entries, "sessions").transitions).toEqual([
      { action: "switch IPs", warning: "the IP switch moves the source's clients onto the target Redis" },
    ]);
    const back = await review(
      { "m/s.yaml": switched },
      { "m/s.yaml": switched.replace("exchanged: true", "exchanged: false") },
    );
    expect(one(back.entries, "sessions").transitions).toEqual([
      { action: "roll back IP switch", warning: "clients move back to the source Redis" },
    ]);
  });

  it("flags deleting a running migration", async () => {
    const { entries, markdown } = await review({ "m/s.yaml": DCS_FILE }, {});
    expect(one(entries, "sessions")).toMatchObject({ action: "delete", file: "m/s.yaml" });
    expect(markdown).toContain("> - `sessions`: deleting a running migration stops it and removes the task");
    expect(markdown).toContain("| `sessions` | `huaweicloud.dcs.MigrationTask` | **delete** |");
  });

  it("treats a changed kind under one name as a delete and a create", async () => {
    const { entries } = await review(
      { "m/a.yaml": MSE_FILE },
      { "m/a.yaml": SMS_FILE.replace("name: web-01\n", "name: orders-registry\n") },
    );
    expect(entries.map((e) => [e.name, e.kind, e.action])).toEqual([
      ["orders-registry", "alicloud.mse.MigrationTask", "delete"],
      ["orders-registry", "huaweicloud.sms.MigrationTask", "create"],
    ]);
  });

  it("compares sets without order: reordered namespaces change nothing", async () => {
    const { entries, markdown } = await review(
      { "m/a.yaml": MSE_FILE },
      { "m/a.yaml": MSE_FILE.replace("[public, orders]", "[orders, public]") },
    );
    expect(one(entries, "orders-registry").action).toBe("unchanged");
    expect(markdown).toContain("No migration task changes.");
  });

  it("does not read a file that stopped parsing as a deletion, and lists its problems", async () => {
    const { entries, markdown } = await review(
      { "m/web-01.yaml": SMS_FILE },
      { "m/web-01.yaml": SMS_FILE.replace("osType: LINUX", "osType: [LINUX") },
    );
    expect(entries).toEqual([]);
    expect(markdown).toContain("> [!CAUTION]");
    expect(markdown).toMatch(/```\nm\/web-01\.yaml:\d+:\d+: \(yaml\): /);
  });

  it("flags a running online DCS task whose migration settings change: the provider stops and reconfigures it", async () => {
    const { entries, markdown } = await review(
      { "m/s.yaml": DCS_FILE },
      { "m/s.yaml": DCS_FILE.replace("bandwidthLimitMb: 100", "bandwidthLimitMb: 200") },
    );
    expect(one(entries, "sessions").transitions).toEqual([
      {
        action: "stop, reconfigure",
        warning: "the running migration is stopped and configured afresh with the new settings",
      },
    ]);
    expect(markdown).toContain("| update in place | **stop, reconfigure** |");
    // A resume-mode change goes through its own PUT and leaves the migration running.
    const resume = await review(
      { "m/s.yaml": DCS_FILE },
      {
        "m/s.yaml": DCS_FILE.replace("bandwidthLimitMb: 100", "bandwidthLimitMb: 100\n  resumeMode: manual"),
      },
    );
    expect(one(resume.entries, "sessions").transitions).toEqual([]);
    // Declared stopped, the new settings wait for the next start.
    const stopped = DCS_FILE + "  state: stopped\n";
    const held = await review(
      { "m/s.yaml": stopped },
      { "m/s.yaml": stopped.replace("bandwidthLimitMb: 100", "bandwidthLimitMb: 200") },
    );
    expect(one(held.entries, "sessions").transitions).toEqual([
      { action: "settings kept for the next start" },
    ]);
  });

  it("says a stopped DCS backup import cannot be restarted, as the provider will", async () => {
    const backup = `apiVersion: pulumi-migration-tasks/v1
kind: huaweicloud.dcs.MigrationTask
metadata:
  name: sessions-import
spec:
  kind: backup
  name: sessions-import
  region: cn-north-4
  projectId: "0123456789abcdef0123456789abcdef"
  migrationMethod: full_amount_migration
  backupFiles: { fileSource: self_build_obs, bucketName: redis-backups, files: [{ name: sessions.rdb }] }
  target: { instanceId: d1e2f3a4-0001-4000-8000-000000000001 }
`;
    const { entries, markdown } = await review(
      { "m/i.yaml": backup + "  state: stopped\n" },
      { "m/i.yaml": backup + "  state: running\n" },
    );
    expect(one(entries, "sessions-import").transitions).toEqual([
      {
        action: "restart",
        blocked: "a stopped backup import cannot be restarted; change its backup files to replace it",
      },
    ]);
    expect(markdown).toContain("`sessions-import`: the provider will refuse this at preview");
  });

  it("lists no deletion while a file cannot be read, since the task may be declared there", async () => {
    const { entries, markdown } = await review(
      { "m/web-01.yaml": SMS_FILE, "m/s.yaml": DCS_FILE },
      { "m/renamed.yaml": SMS_FILE.replace("osType: LINUX", "osType: [LINUX"), "m/s.yaml": DCS_FILE },
    );
    expect(entries.map((e) => [e.name, e.action])).toEqual([["sessions", "unchanged"]]);
    expect(markdown).toContain(
      "Deletions are not listed while `m/renamed.yaml` cannot be read: a task missing below may be declared there.",
    );
  });

  it("does not read a renamed file with an invalid spec as a deletion", async () => {
    const { entries } = await review(
      { "m/web-01.yaml": SMS_FILE },
      { "m/web/web-01.yaml": SMS_FILE.replace("osType: LINUX", "osType: BEOS") },
    );
    expect(entries).toEqual([]);
  });
});
