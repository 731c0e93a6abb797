/**
 * Not-found is decided by each service's own error code, never by an HTTP 404 alone: an API
 * gateway's 404 (`APIGW.0101`, a wrong endpoint path) is an error that keeps the resource, so
 * refresh does not drop a running task from state and destroy does not report success while the
 * task runs on.
 */
import type { Emulator } from "../emulator";
import { emulatorDefaults, smsDemoIds } from "../emulator";
import { setLogSink } from "../provider/common/log";
import { validOnlineInputs } from "../provider/huaweicloud/dcs/fixtures";
import * as dcs from "../provider/huaweicloud/dcs/impl";
import * as sms from "../provider/huaweicloud/sms/impl";
import type { PropertyMap } from "../provider/common/values";
import { CloudError } from "../sdk/core/errors";
import { isMseNotFound } from "../sdk/alibaba/mse/client";
import { isHuaweiNotFound } from "../sdk/huawei/client";
import { emulatorForTests } from "./helpers";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await emulatorForTests();
  setLogSink(() => undefined);
});
afterAll(async () => {
  Object.assign(process.env, emulator.env());
  await emulator?.close();
});
beforeEach(() => {
  Object.assign(process.env, emulator.env());
  emulator.reset();
  emulator.clearFaults();
});

const smsInputs = async (): Promise<PropertyMap> =>
  (
    await sms.check(
      {},
      {
        name: "web-01-to-ecs",
        type: "MIGRATE_BLOCK",
        osType: "LINUX",
        sourceServerId: smsDemoIds.sources.web01,
        target: { vmId: smsDemoIds.targets.ecsWeb01 },
        region: emulatorDefaults.region,
        projectId: emulatorDefaults.projectId,
        state: "ready",
      },
    )
  ).inputs as PropertyMap;

/** Points one service at a path the gateway does not publish: every call answers 404 APIGW.0101. */
function wrongEndpoint(service: "SMS" | "DCS"): void {
  process.env[`MIGRATION_TASKS_HUAWEICLOUD_${service}_ENDPOINT`] = `${emulator.url}/no-such-prefix`;
}

async function failure(p: Promise<unknown>): Promise<CloudError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!CloudError.isInstance(e)) throw new Error(`expected a CloudError, got ${String(e)}`);
  return e;
}

describe("SMS", () => {
  test("refresh through a gateway 404 (APIGW.0101) fails and keeps the task", async () => {
    const { id, outs } = await sms.create(await smsInputs());
    wrongEndpoint("SMS");
    const e = await failure(sms.read(id, outs as PropertyMap));
    expect(e.code).toBe("APIGW.0101");
    expect(e.httpStatus).toBe(404);
  });

  test("destroy through a gateway 404 fails, and the task is still there", async () => {
    const { id, outs } = await sms.create(await smsInputs());
    wrongEndpoint("SMS");
    expect((await failure(sms.deleteTask(id, outs as PropertyMap))).code).toBe("APIGW.0101");
    Object.assign(process.env, emulator.env());
    expect((await sms.read(id, outs as PropertyMap)).id).toBe(id);
  });

  test("the service's own not-found (SMS.2252) still reads as gone", async () => {
    const { id, outs } = await sms.create(await smsInputs());
    emulator.forceState({ service: "sms", kind: "task", id, delete: true });
    expect((await sms.read(id, outs as PropertyMap)).id).toBe("");
    await expect(sms.deleteTask(id, outs as PropertyMap)).resolves.toBeUndefined();
  });
});

describe("DCS", () => {
  const inputs = async () =>
    (await dcs.check({}, { ...validOnlineInputs, state: "running" })).inputs as PropertyMap;

  test("refresh and destroy through a gateway 404 fail and keep the task", async () => {
    const { id, outs } = await dcs.create(await inputs());
    wrongEndpoint("DCS");
    expect((await failure(dcs.read(id, outs as PropertyMap))).code).toBe("APIGW.0101");
    expect((await failure(dcs.deleteTask(id, outs as PropertyMap))).code).toBe("APIGW.0101");
    Object.assign(process.env, emulator.env());
    expect((await dcs.read(id, outs as PropertyMap)).id).toBe(id);
  });
});

describe("the classification", () => {
  const err = (httpStatus: number, code: string | undefined, service: string) =>
    new CloudError({
      cloud: "huaweicloud",
      service,
      operation: "ShowTask",
      httpStatus,
      code,
      detail: "x",
      retryable: false,
    });

  test.each([
    ["sms", 404, "SMS.2252", true],
    ["sms", 404, "APIGW.0101", false],
    ["sms", 404, undefined, false],
    ["dcs", 400, "DCS.4133", true],
    ["dcs", 404, "APIGW.0101", false],
    ["dcs", 404, "DCS.4004", false],
  ] as const)("%s HTTP %d %s → not found: %s", (service, status, code, expected) => {
    expect(isHuaweiNotFound(err(status, code, service), service)).toBe(expected);
  });
});

test.each([
  [404, "NotFound", true],
  [200, "NotFound", true],
  [404, "InvalidAction.NotFound", false],
  [404, "SomeGateway.404", false],
  [404, undefined, false],
] as const)("mse HTTP %d %s → not found: %s", (httpStatus, code, expected) => {
  const e = new CloudError({
    cloud: "alicloud",
    service: "mse",
    operation: "DeleteMigrationTask",
    httpStatus,
    code,
    detail: "x",
    retryable: false,
  });
  expect(isMseNotFound(e)).toBe(expected);
});
