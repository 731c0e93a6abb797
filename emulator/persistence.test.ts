/** State survives a restart on the same data directory. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emulatorDefaults } from "./defaults";
import { startEmulator } from "./server";
import { huaweiCall } from "./testing/huawei-http";
import { SmsTestClient } from "./testing/sms";

test("tasks, sources, tokens, ids and the clock offset survive a restart", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-state-"));
  try {
    const first = await startEmulator({ dataDir, timeScale: 0 });
    const c1 = new SmsTestClient(first.url);
    const id = await c1.create({ auto_start: true });
    first.advance(30);
    const midway = await c1.show(id);
    first.forceState({
      service: "sms",
      kind: "source",
      id: midway.source_server?.id ?? "",
      connected: false,
    });
    const tokenReply = await huaweiCall(first.url, {
      method: "POST",
      path: "/v3/auth/tokens",
      auth: "none",
      body: {
        auth: {
          identity: {
            methods: ["password"],
            password: {
              user: {
                name: emulatorDefaults.userName,
                password: emulatorDefaults.password,
                domain: { name: emulatorDefaults.domainName },
              },
            },
          },
        },
      },
    });
    const token = String(tokenReply.headers["x-subject-token"]);
    const clockBefore = first.now().getTime();
    await first.close();
    expect(fs.existsSync(path.join(dataDir, "emulator-state.json"))).toBe(true);

    const second = await startEmulator({ dataDir, timeScale: 0 });
    try {
      const c2 = new SmsTestClient(second.url);
      // The clock continues from the saved offset (plus the real time of the restart).
      expect(second.now().getTime() - clockBefore).toBeGreaterThanOrEqual(0);
      expect(second.now().getTime() - clockBefore).toBeLessThan(5_000);
      const again = await c2.show(id);
      expect(again.state).toBe("RUNNING");
      expect(again.sub_tasks?.map((s) => s.id)).toEqual(midway.sub_tasks?.map((s) => s.id));
      expect(again.connected).toBe(false);
      expect(
        (await huaweiCall(second.url, { method: "GET", path: "/v3/tasks", auth: { token } })).status,
      ).toBe(200);
      second.advance(30);
      expect((await c2.show(id)).state).toBe("MIGRATE_SUCCESS");
      // New sub-task ids continue after the saved counter.
      second.forceState({
        service: "sms",
        kind: "source",
        id: midway.source_server?.id ?? "",
        connected: true,
      });
      second.forceState({ service: "sms", kind: "task", id, state: "MIGRATE_FAIL" });
      expect((await c2.action(id, "restart")).status).toBe(200);
      const ids = (await c2.show(id)).sub_tasks?.map((s) => s.id) ?? [];
      expect(Math.min(...ids)).toBeGreaterThan(Math.max(...(midway.sub_tasks?.map((s) => s.id) ?? [])));
    } finally {
      await second.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
