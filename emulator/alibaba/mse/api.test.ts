/**
 * The MSE part of the emulator over HTTP: both signature versions, parameters in the query or a
 * form body, the gateway's refusals, paging, and the documented answer shapes.
 */
import { startEmulator } from "../../server";
import type { Emulator } from "../../server";
import { alicloudEnv, emulatorEnv } from "../../env";
import { alicloudDefaults } from "../defaults";
import { mseDemoIds } from "./demo";
import { MSE_DEFAULT_PAGE_SIZE, MSE_MAX_PAGE_SIZE } from "./index";
import { resolveAlicloudSettings } from "../../../sdk/alibaba/credentials";
import { MseClient, isMseNotFound } from "../../../sdk/alibaba/mse/client";
import { UpdateMigrationTaskResponse } from "../../../sdk/alibaba/mse/contract";
import { encodeParams, signAcs3, signRpcV1 } from "../../../sdk/alibaba/signer";
import { CloudError } from "../../../sdk/core/errors";

let emulator: Emulator;

const cred: { accessKeyId: string; accessKeySecret: string; securityToken?: string } = {
  accessKeyId: alicloudDefaults.accessKeyId,
  accessKeySecret: alicloudDefaults.accessKeySecret,
};
const client = (version: "v3" | "v1" = "v3", over: Partial<typeof cred> = {}) =>
  MseClient.fromSettings(
    { ...resolveAlicloudSettings({ env: emulator.env(), homeDir: "/nonexistent" }), ...over },
    { signatureVersion: version, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1 } },
  );

const task = {
  ClusterType: "Nacos-Ans" as const,
  OriginInstanceName: "orders-nacos",
  OriginInstanceAddress: "192.168.1.1:8848",
  OriginInstanceNamespace: "public,orders",
  TargetInstanceId: mseDemoIds.instances.ordersNacos,
  TargetClusterName: "orders",
  TargetClusterUrl: "mse-66xxxxx-nacos-ans.mse.aliyuncs.com:8848",
  SyncType: "All" as const,
  ProjectDesc: "orders registry into MSE",
};

/** A v1-signed call sent as pop-core sends it: every parameter in a form body. */
async function formCall(
  params: Record<string, string>,
  opts: { date?: Date; nonce?: string; secret?: string } = {},
) {
  const signed = signRpcV1(
    "POST",
    { Action: "ListMigrationTask", Version: "2019-05-31", ...params },
    { ...cred, accessKeySecret: opts.secret ?? cred.accessKeySecret },
    { date: opts.date, nonce: opts.nonce, format: "JSON" },
  );
  const res = await fetch(`${emulator.url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodeParams(signed),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A v3-signed call with the parameters in the query, as openapi-client sends it. */
async function v3Call(
  action: string,
  params: Record<string, string>,
  opts: { date?: Date; nonce?: string } = {},
) {
  const q = encodeParams(params);
  const req = signAcs3(
    {
      method: "POST",
      url: `${emulator.url}/${q ? `?${q}` : ""}`,
      headers: { "x-acs-action": action, "x-acs-version": "2019-05-31" },
    },
    cred,
    opts,
  );
  const res = await fetch(req.url, { method: "POST", headers: req.headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => emulator?.close());
beforeEach(() => emulator.reset());

describe("MSE migration tasks on the emulator", () => {
  test.each(["v3", "v1"] as const)("create, list, update and delete with signature %s", async (v) => {
    const c = client(v);
    const added = await c.addMigrationTask(task);
    expect(added.data).toMatchObject({ ...task, UserId: alicloudDefaults.userId });
    expect(added.id).toMatch(/^\d+$/);
    const found = await c.findMigrationTask(added.id, { originInstanceName: "orders-nacos" });
    expect(found?.Id).toBe(Number(added.id));
    expect(found?.OriginInstanceNamespace).toBe("public,orders");
    const updated = await c.updateMigrationTask(added.id, { SyncType: "Config", ProjectDesc: "changed" });
    expect([updated.SyncType, updated.ProjectDesc, updated.TargetClusterName]).toEqual([
      "Config",
      "changed",
      "orders",
    ]);
    expect(await c.deleteMigrationTask(added.id)).toBe(true);
    expect(await c.findMigrationTask(added.id)).toBeUndefined();
    const again = await c.deleteMigrationTask(added.id).catch((e: unknown) => e);
    expect(isMseNotFound(again)).toBe(true);
    expect(again).toMatchObject({ httpStatus: 404, code: "NotFound" });
  });

  test("caps the page size, so a listing of more tasks than a page must page", async () => {
    expect(emulator.config()).toMatchObject({ mse: { pageSize: MSE_MAX_PAGE_SIZE } });
    // A cap as low as the default page size makes a few tasks span pages.
    emulator.configure({ mse: { pageSize: MSE_DEFAULT_PAGE_SIZE } });
    const c = client();
    for (let i = 0; i < MSE_DEFAULT_PAGE_SIZE + 3; i++)
      await c.addMigrationTask({ ...task, OriginInstanceName: `reg-${i}` });
    const first = await v3Call("ListMigrationTask", { PageNum: "1", PageSize: "100" });
    expect(first.body).toMatchObject({
      PageNumber: 1,
      PageSize: MSE_DEFAULT_PAGE_SIZE,
      TotalCount: MSE_DEFAULT_PAGE_SIZE + 4,
    });
    expect((first.body.Data as unknown[]).length).toBe(MSE_DEFAULT_PAGE_SIZE);
    const all = [];
    for await (const t of c.listMigrationTasks()) all.push(t.Id);
    expect(new Set(all).size).toBe(MSE_DEFAULT_PAGE_SIZE + 4);
    const lists = emulator.requests().filter((r) => r.operation === "ListMigrationTask");
    expect(lists.length).toBeGreaterThan(2);
    const filtered = [];
    for await (const t of c.listMigrationTasks({ OriginInstanceName: "reg-1" }))
      filtered.push(t.OriginInstanceName);
    expect(filtered.sort()).toEqual(["reg-1", "reg-10", "reg-11", "reg-12"]);
    emulator.configure({ mse: { pageSize: MSE_MAX_PAGE_SIZE } });
  });

  test("accepts pop-core's form body and answers List in the documented shape", async () => {
    const res = await formCall({ PageNum: "1", PageSize: "5", OriginInstanceName: "src" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Success: true,
      HttpCode: "200",
      PageNumber: 1,
      PageSize: 5,
      TotalCount: 1,
    });
    const item = (res.body.Data as Record<string, unknown>[])[0];
    expect(item.Id).toBe(mseDemoIds.task);
    expect(item.GmtCreate).toBe("2022-01-07T10:07:57.000+0000");
  });

  test("answers the UpdateMigrationTask example of the documentation in its documented shape", async () => {
    const res = await v3Call("UpdateMigrationTask", {
      RequestPars: "{}",
      Id: "1",
      ClusterType: "Nacos-Ans",
      OriginInstanceAddress: "192.168.1.1:8848",
      OriginInstanceName: "Source instance",
      OriginInstanceNamespace: "namesapceId1,namesapceId2",
      TargetInstanceId: "mse-cn-ud82*****",
      TargetClusterName: "Destination instance",
      TargetClusterUrl: "mse-66*****-nacos-ans.mse.aliyuncs.com:8848",
      ProjectDesc: "This is a description.",
      AcceptLanguage: "zh",
    });
    expect(res.status).toBe(200);
    const parsed = UpdateMigrationTaskResponse.parse(res.body);
    expect(parsed).toMatchObject({
      HttpCode: "200",
      Success: true,
      ErrorCode: "mse-100-000",
      Data: {
        Id: "1",
        OriginInstanceName: "Source instance",
        TargetInstanceId: "mse-cn-ud82*****",
        GmtCreate: "2022-01-07T10:07:57.000+0000",
      },
    });
    expect(parsed.Data.GmtModified).not.toBe(parsed.Data.GmtCreate);
  });

  test("refuses a bad signature, an unknown key, a reused nonce and a stale timestamp", async () => {
    const bad = await formCall({}, { secret: "wrong" });
    expect([bad.status, bad.body.Code]).toEqual([400, "SignatureDoesNotMatch"]);
    expect(bad.body).toMatchObject({
      RequestId: expect.any(String),
      HostId: expect.any(String),
      Recommend: expect.any(String),
    });
    const unknown = await client("v3", { accessKeyId: "LTAIunknown", accessKeySecret: "x" })
      .updateMigrationTask("1", {})
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ httpStatus: 404, code: "InvalidAccessKeyId.NotFound" });
    const once = await v3Call("ListMigrationTask", {}, { nonce: "nonce-1" });
    expect(once.status).toBe(200);
    const twice = await v3Call("ListMigrationTask", {}, { nonce: "nonce-1" });
    expect([twice.status, twice.body.Code]).toEqual([400, "SignatureNonceUsed"]);
    const stale = await formCall({}, { date: new Date(Date.now() - 20 * 60_000) });
    expect([stale.status, stale.body.Code]).toEqual([400, "InvalidTimeStamp.Expired"]);
    const staleV3 = await v3Call("ListMigrationTask", {}, { date: new Date(Date.now() + 20 * 60_000) });
    expect(staleV3.body.Code).toBe("InvalidTimeStamp.Expired");
  });

  test("STS keys need their token", async () => {
    const sts = {
      accessKeyId: alicloudDefaults.stsAccessKeyId,
      accessKeySecret: alicloudDefaults.stsAccessKeySecret,
    };
    const withToken = client("v3", { ...sts, securityToken: alicloudDefaults.securityToken } as Partial<
      typeof cred
    >);
    expect(await withToken.findMigrationTask(1)).toBeDefined();
    const without = await client("v1", sts)
      .findMigrationTask(1)
      .catch((e: unknown) => e);
    expect(CloudError.isInstance(without) && without.code?.startsWith("InvalidSecurityToken")).toBe(true);
  });

  test("reports MSE business errors with both envelopes", async () => {
    const res = await v3Call("AddMigrationTask", { ...task, RequestPars: "{not json" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      Code: "InvalidParameter",
      Success: false,
      ErrorCode: "InvalidParameter",
      HttpCode: "400",
    });
    expect(String(res.body.Message)).toMatch(/^Parameter error:RequestPars/);
    const missing = await v3Call("AddMigrationTask", { ...task, TargetInstanceId: "mse-cn-nope" });
    expect([missing.status, missing.body.Code]).toEqual([404, "NotFound"]);
    const action = await v3Call("CreateMigrationTask", {});
    expect([action.status, action.body.Code]).toEqual([404, "InvalidAction.NotFound"]);
  });

  test("--print-env points the Alibaba tools at the emulator", () => {
    expect(emulatorEnv(emulator.url)).toMatchObject({
      ALICLOUD_ACCESS_KEY: alicloudDefaults.accessKeyId,
      ALICLOUD_SECRET_KEY: alicloudDefaults.accessKeySecret,
      ALICLOUD_REGION: "cn-hangzhou",
      MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT: emulator.url,
    });
    expect(Object.keys(alicloudEnv(emulator.url))).toHaveLength(4);
  });

  test("control plane: seed, force-state, page size", () => {
    emulator.seed({
      mse: {
        tasks: [
          {
            id: 500,
            clusterType: "Eureka",
            originInstanceAddress: "10.0.0.1:8761",
            originInstanceName: "e",
            targetInstanceId: mseDemoIds.instances.eureka,
          },
        ],
      },
    });
    emulator.forceState({ service: "mse", kind: "task", id: 500, fields: { projectDesc: "drifted" } });
    emulator.configure({ mse: { pageSize: 3 } });
    const state = emulator.state().services as {
      mse: { pageSize: number; tasks: { Id: string; ProjectDesc?: string }[] };
    };
    expect(state.mse.pageSize).toBe(3);
    expect(state.mse.tasks.find((t) => t.Id === "500")?.ProjectDesc).toBe("drifted");
    emulator.forceState({ service: "mse", kind: "task", id: 500, delete: true });
    expect(() => emulator.forceState({ service: "mse", kind: "task", id: 500, delete: true })).toThrow(
      /Not found/,
    );
    emulator.configure({ mse: { pageSize: MSE_MAX_PAGE_SIZE } });
  });
});
