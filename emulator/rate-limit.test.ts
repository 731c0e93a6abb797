/** The `rate-limit` fault: a token bucket per service, answered as each vendor's gateway throttles. */
import type { Emulator } from "./server";
import { startEmulator } from "./server";
import { huaweiCall, rawRequest } from "./testing/huawei-http";
import { resolveAlicloudSettings } from "../sdk/alibaba/credentials";
import { MseClient } from "../sdk/alibaba/mse/client";
import { mse } from "../sdk/alibaba/mse/contract";
import { CloudError } from "../sdk/core/errors";

let emu: Emulator;

beforeAll(async () => {
  // Emulator time stands still unless advanced, so the buckets refill only when told.
  emu = await startEmulator({ timeScale: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearFaults();
  emu.clearRequests();
});

const listSms = () => huaweiCall(emu.url, { method: "GET", path: "/v3/tasks" });

async function listMse(): Promise<CloudError | undefined> {
  const c = MseClient.fromSettings(resolveAlicloudSettings({ env: emu.env(), homeDir: "/nonexistent" }));
  try {
    await c.http.call(mse.listMigrationTask, {}, { noRetry: true });
    return undefined;
  } catch (e) {
    if (CloudError.isInstance(e)) return e;
    throw e;
  }
}

test("N requests per second: a burst of N passes, the rest get 429 APIGW.0308 with Retry-After until tokens refill", async () => {
  const added = await rawRequest({
    method: "POST",
    url: `${emu.url}/_emulator/faults`,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "rate-limit", service: "sms", requestsPerSecond: 5 }),
  });
  expect(added.status).toBe(200);
  const first = [];
  for (let i = 0; i < 8; i++) first.push(await listSms());
  expect(first.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  expect(first[5].headers["retry-after"]).toBe("1");
  expect((first[5].json as { error_code: string }).error_code).toBe("APIGW.0308");
  // The limit stays: it is not used up like the other faults.
  expect(emu.faults()).toHaveLength(1);
  emu.advance(0.4);
  expect([(await listSms()).status, (await listSms()).status, (await listSms()).status]).toEqual([
    200, 200, 429,
  ]);
  emu.advance(1);
  const after = [];
  for (let i = 0; i < 6; i++) after.push((await listSms()).status);
  expect(after).toEqual([200, 200, 200, 200, 200, 429]);
  expect(emu.requests().filter((r) => r.fault === "throttle")).toHaveLength(5);
});

test("each service has its own bucket; Alibaba answers 400 Throttling.User with Retry-After", async () => {
  emu.injectFault({ kind: "rate-limit", service: "mse", requestsPerSecond: 2 });
  expect(await listMse()).toBeUndefined();
  expect(await listMse()).toBeUndefined();
  const e = await listMse();
  expect([e?.httpStatus, e?.code, e?.retryAfterMs]).toEqual([400, "Throttling.User", 1000]);
  // SMS is not limited.
  for (let i = 0; i < 5; i++) expect((await listSms()).status).toBe(200);
  emu.clearFaults();
  expect(await listMse()).toBeUndefined();
});

test("a rate limit needs its rate", () => {
  expect(() => emu.injectFault({ kind: "rate-limit", service: "sms" })).toThrow(/requestsPerSecond/);
});
