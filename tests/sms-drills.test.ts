/** Trigger-keyed drills of huaweicloud.sms.MigrationTask against the emulator. */
import type { Emulator } from "../emulator";
import { emulatorDefaults, smsDemoIds } from "../emulator";
import { setLogSink } from "../provider/common/log";
import type { PropertyMap } from "../provider/common/values";
import { check, create, deleteTask, diff, update } from "../provider/huaweicloud/sms/impl";
import { emulatorForTests } from "./helpers";

let emulator: Emulator;

const inputs = (over: PropertyMap = {}): PropertyMap => ({
  name: "drill-web-02",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: smsDemoIds.sources.web02,
  target: { vmId: smsDemoIds.targets.ecsWeb02 },
  region: "cn-north-4",
  projectId: emulatorDefaults.projectId,
  state: "running",
  ...over,
});
const checked = async (over: PropertyMap = {}) => (await check({}, inputs(over))).inputs;
const actions = () =>
  emulator
    .requests()
    .filter((r) => r.operation === "UpdateTaskStatus")
    .map((r) => r.status);

beforeAll(async () => {
  emulator = await emulatorForTests({ durations: { replication: 2, clone: 2 } });
  setLogSink(() => undefined);
});
afterAll(async () => emulator?.close());

describe("drills", () => {
  it("run once per trigger value, and again only when the trigger changes", async () => {
    const first = await create(await checked());
    const id = first.id;
    emulator.clearRequests();

    const withCheck = await checked({ drills: { networkCheck: "2026-11-01" } });
    expect((await diff(id, first.outs, withCheck)).changes).toBe(true);
    const afterCheck = await update(id, first.outs, withCheck);
    expect(actions()).toEqual([200]);
    expect(afterCheck.outs?.networkCheck).toBeDefined();

    emulator.clearRequests();
    const same = await checked({ drills: { networkCheck: "2026-11-01" } });
    expect((await diff(id, afterCheck.outs ?? {}, same)).changes).toBe(false);

    const next = await checked({
      drills: { networkCheck: "2026-11-02", cloneTest: "v1" },
      drillTemplateId: smsDemoIds.templates.linux,
    });
    const afterClone = await update(id, afterCheck.outs ?? {}, next);
    expect(actions()).toEqual([200, 200]);
    const ops = emulator
      .requests()
      .filter((r) => r.operation === "UpdateTaskStatus")
      .map((r) => r.path);
    expect(ops.every((p) => p === `/v3/tasks/${id}/action`)).toBe(true);
    // clone_test waits until the clone server is FINISHED.
    expect((afterClone.outs?.cloneServer as { state?: string } | undefined)?.state).toBe("FINISHED");
    await deleteTask(id, afterClone.outs ?? {});
  });
});
