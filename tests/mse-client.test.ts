/**
 * The official Alibaba Cloud clients against the emulator's MSE: `@alicloud/openapi-client`
 * (signature v3, and v1 with `signatureAlgorithm: "v2"`) and `@alicloud/pop-core` (form body).
 */
import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import OpenApiUtil from "@alicloud/openapi-util";
import { RuntimeOptions } from "@alicloud/tea-util";
import RPCClient from "@alicloud/pop-core";
import type { Emulator } from "../emulator";
import {
  alicloudDefaults,
  MSE_DEFAULT_PAGE_SIZE,
  MSE_MAX_PAGE_SIZE,
  mseDemoIds,
  startEmulator,
} from "../emulator";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => emulator?.close());

function openapi(
  signatureAlgorithm?: string,
  secret: string = alicloudDefaults.accessKeySecret,
): OpenApiClient {
  return new OpenApiClient(
    new Config({
      accessKeyId: alicloudDefaults.accessKeyId,
      accessKeySecret: secret,
      endpoint: `127.0.0.1:${emulator.port}`,
      protocol: "HTTP",
      signatureAlgorithm,
    }),
  );
}

async function call(c: OpenApiClient, action: string, query: Record<string, unknown>) {
  const params = new Params({
    action,
    version: "2019-05-31",
    protocol: "HTTPS",
    pathname: "/",
    method: "POST",
    authType: "AK",
    style: "RPC",
    reqBodyType: "formData",
    bodyType: "json",
  });
  const res = (await c.callApi(
    params,
    new OpenApiRequest({ query: OpenApiUtil.query(query) }),
    new RuntimeOptions({}),
  )) as { body: Record<string, unknown> };
  return res.body;
}

const task = {
  ClusterType: "Nacos-Ans",
  OriginInstanceName: "orders-nacos",
  OriginInstanceAddress: "192.168.1.1:8848",
  OriginInstanceNamespace: "public,orders",
  TargetInstanceId: mseDemoIds.instances.ordersNacos,
  SyncType: "All",
  ProjectDesc: "desc (test)*~! 中文",
};

describe("official Alibaba clients against the emulator's MSE", () => {
  test.each([
    ["openapi-client, signature v3", undefined],
    ["openapi-client, signature v1 (signatureAlgorithm v2)", "v2"],
  ])("%s: add, list, update, delete", async (_name, algorithm) => {
    const c = openapi(algorithm);
    const added = (await call(c, "AddMigrationTask", task)) as { Data: { Id: string; ProjectDesc: string } };
    expect(typeof added.Data.Id).toBe("string");
    expect(added.Data.ProjectDesc).toBe(task.ProjectDesc);
    const listed = (await call(c, "ListMigrationTask", {
      PageNum: 1,
      PageSize: 5,
      OriginInstanceName: "orders-nacos",
    })) as {
      Data: { Id: number }[];
      HttpCode: string;
    };
    expect(listed.HttpCode).toBe("200");
    expect(listed.Data.map((t) => t.Id)).toContain(Number(added.Data.Id));
    const updated = (await call(c, "UpdateMigrationTask", { Id: added.Data.Id, SyncType: "Service" })) as {
      Data: { SyncType: string; GmtModified: string };
    };
    expect(updated.Data.SyncType).toBe("Service");
    expect((await call(c, "DeleteMigrationTask", { Id: added.Data.Id })).Data).toBe(true);
  });

  test("openapi-client raises the gateway's code for a wrong secret and MSE's for a missing task", async () => {
    await expect(call(openapi(undefined, "wrong"), "ListMigrationTask", {})).rejects.toMatchObject({
      code: "SignatureDoesNotMatch",
    });
    await expect(call(openapi(), "DeleteMigrationTask", { Id: "999999" })).rejects.toMatchObject({
      code: "NotFound",
      statusCode: 404,
    });
  });

  test("pop-core posts a form body, and pages through more tasks than a page holds", async () => {
    const c = new RPCClient({
      endpoint: emulator.url,
      apiVersion: "2019-05-31",
      accessKeyId: alicloudDefaults.accessKeyId,
      accessKeySecret: alicloudDefaults.accessKeySecret,
    });
    // A cap as low as the default page size makes a few tasks span pages.
    emulator.configure({ mse: { pageSize: MSE_DEFAULT_PAGE_SIZE } });
    for (let i = 0; i < MSE_DEFAULT_PAGE_SIZE + 2; i++) {
      await c.request("AddMigrationTask", { ...task, OriginInstanceName: `pop-${i}` }, { method: "POST" });
    }
    emulator.clearRequests();
    const ids = new Set<number>();
    for (let page = 1; page < 10; page++) {
      const res = await c.request<{ Data: { Id: number }[]; TotalCount: number; PageSize: number }>(
        "ListMigrationTask",
        { PageNum: page, PageSize: 100, OriginInstanceName: "pop-" },
        { method: "POST" },
      );
      expect(res.PageSize).toBe(MSE_DEFAULT_PAGE_SIZE);
      res.Data.forEach((t) => ids.add(t.Id));
      if (ids.size >= res.TotalCount) break;
    }
    expect(ids.size).toBe(MSE_DEFAULT_PAGE_SIZE + 2);
    const form = emulator.requests().filter((r) => r.operation === "ListMigrationTask");
    expect(form.length).toBe(2);
    expect(form.every((r) => r.query === "")).toBe(true);
    emulator.configure({ mse: { pageSize: MSE_MAX_PAGE_SIZE } });
  });
});
