/**
 * The emulator's gateway refuses what the cloud's refuses, and its request log, readable by anyone
 * at `GET /_emulator/requests`, never keeps a caller's secrets.
 */
import { startEmulator } from "./server";
import type { Emulator } from "./server";
import { alicloudDefaults } from "./alibaba/defaults";
import { emulatorDefaults } from "./defaults";
import { resolveAlicloudSettings } from "../sdk/alibaba/credentials";
import { MseClient } from "../sdk/alibaba/mse/client";
import { encodeParams, signRpcV1 } from "../sdk/alibaba/signer";
import { CloudError } from "../sdk/core/errors";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { DcsClient } from "../sdk/huawei/dcs/client";
import { SmsClient } from "../sdk/huawei/sms/client";

let emulator: Emulator;
const FOREIGN_PROJECT = "ffffffffffffffffffffffffffffffff";

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => emulator?.close());
beforeEach(() => emulator.clearRequests());

const huawei = (service: "sms" | "dcs", projectId: string) =>
  new HuaweiClient(
    service,
    resolveHuaweiSettings({ env: { ...emulator.env(), HW_PROJECT_ID: projectId }, homeDir: "/nonexistent" }),
    { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1 } },
  );

async function failure(p: Promise<unknown>): Promise<CloudError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!CloudError.isInstance(e)) throw new Error(`expected a CloudError, got ${String(e)}`);
  return e;
}

describe("an AK/SK call's X-Project-Id must be a project of the key's account", () => {
  test("DCS: a foreign project in both path and header is refused like a foreign path", async () => {
    const e = await failure(new DcsClient(huawei("dcs", FOREIGN_PROJECT)).listTasks().next());
    expect({ status: e.httpStatus, code: e.code }).toEqual({ status: 403, code: "APIGW.0302" });
  });

  test("SMS: a foreign X-Project-Id is refused", async () => {
    const e = await failure(new SmsClient(huawei("sms", FOREIGN_PROJECT)).listTasks().next());
    expect({ status: e.httpStatus, code: e.code }).toEqual({ status: 403, code: "APIGW.0302" });
  });

  test("a foreign X-Domain-Id is refused as well", async () => {
    const settings = resolveHuaweiSettings({
      env: { ...emulator.env(), HW_PROJECT_ID: "", HUAWEICLOUD_SDK_DOMAIN_ID: FOREIGN_PROJECT },
      homeDir: "/nonexistent",
    });
    const client = new HuaweiClient(
      "sms",
      { ...settings, projectId: undefined, domainId: FOREIGN_PROJECT },
      {
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1 },
      },
    );
    const e = await failure(new SmsClient(client).listTasks().next());
    expect({ status: e.httpStatus, code: e.code }).toEqual({ status: 403, code: "APIGW.0302" });
  });

  test("the account's own project is accepted by both", async () => {
    await new DcsClient(huawei("dcs", emulatorDefaults.projectId)).listTasks().next();
    await new SmsClient(huawei("sms", emulatorDefaults.projectId)).listTasks().next();
  });
});

describe("the request log keeps no secret", () => {
  const token = alicloudDefaults.securityToken;
  const sts = {
    accessKeyId: alicloudDefaults.stsAccessKeyId,
    accessKeySecret: alicloudDefaults.stsAccessKeySecret,
    securityToken: token,
  };

  async function logText(): Promise<string> {
    const res = await fetch(`${emulator.url}/_emulator/requests`);
    return await res.text();
  }

  test("an Alibaba v1 caller's SecurityToken and Signature are redacted, in the query and the detail", async () => {
    const v1 = MseClient.fromSettings(
      { ...resolveAlicloudSettings({ env: emulator.env(), homeDir: "/nonexistent" }), ...sts },
      { signatureVersion: "v1", retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1 } },
    );
    await v1.findMigrationTask(1);
    // A bad signature: the log's detail carries the server's string to sign.
    const signed = signRpcV1(
      "POST",
      { Action: "ListMigrationTask", Version: "2019-05-31" },
      { ...sts, accessKeySecret: "wrong-secret" },
      { format: "JSON" },
    );
    const q = encodeParams(signed);
    const res = await fetch(`${emulator.url}/?${q}`, { method: "POST" });
    expect(res.status).toBe(400);

    const text = await logText();
    const entries = JSON.parse(text) as { query: string; detail?: string }[];
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain(token);
    expect(text).not.toContain(encodeURIComponent(token));
    expect(text).not.toContain(encodeURIComponent(signed.Signature));
    expect(text).not.toContain(alicloudDefaults.stsAccessKeySecret);
    // What is kept still says what was called.
    expect(entries.some((e) => e.query.includes("Action=ListMigrationTask"))).toBe(true);
    expect(entries.some((e) => e.query.includes("SecurityToken=REDACTED"))).toBe(true);
  });
});
