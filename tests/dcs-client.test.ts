/**
 * The package's DcsClient and the official @huaweicloud/huaweicloud-sdk-core signer against the
 * DCS emulator: the signed wire format (including a DELETE with a JSON body) is accepted from
 * both, and a tampered signature is not.
 */
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core";
import { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import type { HttpRequestOptions } from "@huaweicloud/huaweicloud-sdk-core/HcClient";
import { DefaultHttpClient } from "@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient";
import type { Logger } from "@huaweicloud/huaweicloud-sdk-core/logger";
import { LogLevel } from "@huaweicloud/huaweicloud-sdk-core/logger";
import type { Emulator } from "../emulator";
import { dcsDemoIds, emulatorDefaults } from "../emulator";
import { CloudError } from "../sdk/core/errors";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { DcsClient } from "../sdk/huawei/dcs/client";
import { emulatorForTests } from "./helpers";

const P = emulatorDefaults.projectId;
let emulator: Emulator;
let client: DcsClient;

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function official(sk: string = emulatorDefaults.secretKey): HcClient {
  const cred = new BasicCredentials().withAk(emulatorDefaults.accessKey).withSk(sk).withProjectId(P);
  return new HcClient(new DefaultHttpClient({ logger: silent }, [emulator.url]), { logger: silent })
    .withEndpoints([emulator.url])
    .withCredential(cred);
}
const opts = (method: string, url: string, data?: Record<string, unknown>): HttpRequestOptions => ({
  method,
  url,
  contentType: "application/json",
  queryParams: {},
  pathParams: {},
  headers: {},
  data,
});

beforeAll(async () => {
  emulator = await emulatorForTests();
  client = new DcsClient(new HuaweiClient("dcs", resolveHuaweiSettings({ env: emulator.env() })));
});
afterAll(async () => emulator?.close());
beforeEach(() => emulator.reset());

async function readyTask(): Promise<string> {
  const { id } = await client.createOnlineTask({
    name: "client-test",
    vpc_id: dcsDemoIds.vpcId,
    subnet_id: dcsDemoIds.subnetId,
    security_group_id: dcsDemoIds.securityGroupId,
  });
  emulator.advance(10);
  return id;
}

describe("DcsClient against the emulator", () => {
  test("create, configure, list, stats, stop, delete; findTask treats the lingering detail as gone", async () => {
    const id = await readyTask();
    await client.configureOnlineTask(id, {
      migration_method: "full_amount_migration",
      resume_mode: "auto",
      source_instance: { id: dcsDemoIds.instances.source, password: dcsDemoIds.passwords.source },
      target_instance: { id: dcsDemoIds.instances.target, password: dcsDemoIds.passwords.target },
    });
    expect((await client.stats(id)).is_migrating).toBe(true);
    emulator.advance(40);
    expect((await client.showTask(id)).status).toBe("SUCCESS");
    expect(await client.isListed(id, "client-test")).toBe(true);
    expect(await client.deleteTasks([id])).toEqual([id]);
    expect((await client.showTask(id)).status).toBe("SUCCESS");
    expect(await client.findTask(id)).toBeUndefined();
  });

  test("DCS.4133 is a CloudError with HTTP 400 that findTask reads as gone", async () => {
    const e = await client.showTask("nope").catch((x: unknown) => x);
    expect(CloudError.isInstance(e) && [e.httpStatus, e.code]).toEqual([400, "DCS.4133"]);
    expect(await client.findTask("nope")).toBeUndefined();
  });

  test("batch stop reports per-task results", async () => {
    const id = await readyTask();
    const res = await client.batchStopTasks([id]);
    expect(res).toEqual([expect.objectContaining({ result: "failed", task_id: id, error_code: "DCS.4026" })]);
  });
});

describe("requests signed by the official Huawei Cloud SDK", () => {
  test("GET list and a DELETE with a JSON body are accepted", async () => {
    const id = await readyTask();
    const list = await official().sendRequest<{ httpStatusCode?: number; count?: number }>(
      opts("GET", `/v2/${P}/migration-tasks`),
    );
    expect(list.httpStatusCode).toBe(200);
    expect(list.count).toBe(1);
    const del = await official().sendRequest<{ httpStatusCode?: number; task_id_list?: string[] }>(
      opts("DELETE", `/v2/${P}/migration-tasks/delete`, { task_id_list: [id] }),
    );
    expect(del.httpStatusCode).toBe(200);
    expect(await client.isListed(id)).toBe(false);
    expect(emulator.requests().map((r) => [r.operation, r.status, r.auth])).toEqual(
      expect.arrayContaining([
        ["ListMigrationTask", 200, "aksk"],
        ["DeleteMigrationTask", 200, "aksk"],
      ]),
    );
  });

  test("a wrong secret key is rejected with 401 APIGW.0301", async () => {
    const e = await official("wrong-secret-key-000000000000000000000000")
      .sendRequest(opts("GET", `/v2/${P}/migration-tasks`))
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ httpStatusCode: 401, errorCode: "APIGW.0301" });
  });
});
