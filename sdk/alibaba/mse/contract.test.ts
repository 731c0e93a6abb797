import { decodeParams, encodeParams, flattenParams } from "../signer";
import {
  AddMigrationTaskResponse,
  DeleteMigrationTaskResponse,
  ListMigrationTaskRequest,
  ListMigrationTaskResponse,
  MseErrorBody,
  UpdateMigrationTaskRequest,
  UpdateMigrationTaskResponse,
  joinNamespaces,
  mse,
  splitNamespaces,
} from "./contract";
import { PopErrorBody } from "../contract";

/** The "Example" column of the request table in the UpdateMigrationTask document. */
const SEED_REQUEST = {
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
};

/** The "Success response" example of the same page, verbatim. */
const SEED_RESPONSE = `{
  "HttpCode": "200",
  "Data": {
    "Id": "1",
    "UserId": "183876217*****",
    "ClusterType": "Nacos-Ans",
    "OriginInstanceAddress": "192.168.100.2:2181",
    "OriginInstanceName": "src",
    "OriginInstanceNamespace": "fsdfsdfdsf",
    "TargetInstanceId": "mse-cn-zvp2u*****",
    "TargetClusterName": "multiple-nacos",
    "TargetClusterUrl": "mse-0b*****-nacos-ans.mse.aliyuncs.com:8848",
    "ProjectDesc": "1232345",
    "GmtCreate": "2022-01-07T10:07:57.000+0000",
    "GmtModified": "2022-01-07T10:07:57.000+0000",
    "SyncType": ""
  },
  "RequestId": "AF21683A-29C7-4853-AC0F-B5ADEE4****",
  "Message": "The request was successfully processed.\\n",
  "ErrorCode": "mse-100-000",
  "Success": true
}`;

const listItem = {
  Id: 1,
  ClusterType: "Nacos-Ans",
  GmtCreate: "2022-01-07T10:07:57.000+0000",
  GmtModified: "2022-01-07T10:07:57.000+0000",
  OriginInstanceAddress: "192.168.1.1:8848",
  OriginInstanceName: "src",
  OriginInstanceNamespace: "ns1",
  ProjectDesc: "d",
  SyncType: "Service",
  TargetClusterName: "t",
  TargetClusterUrl: "u",
  TargetInstanceId: "mse-cn-x",
  UserId: "1838",
};

describe("the seed's UpdateMigrationTask example", () => {
  test("its request validates, and survives the wire (flatten, encode, decode) unchanged", () => {
    expect(UpdateMigrationTaskRequest.parse(SEED_REQUEST)).toEqual(SEED_REQUEST);
    const received = decodeParams(encodeParams(flattenParams(SEED_REQUEST)));
    expect(mse.updateMigrationTask.params.parse(received)).toEqual(SEED_REQUEST);
  });

  test("its response parses, with Data.Id a string and an empty SyncType", () => {
    const r = UpdateMigrationTaskResponse.parse(JSON.parse(SEED_RESPONSE));
    expect([r.Data.Id, r.HttpCode, r.Data.SyncType, r.Data.GmtModified]).toEqual([
      "1",
      "200",
      "",
      "2022-01-07T10:07:57.000+0000",
    ]);
  });
});

describe("response field types (docs/alibaba-mse.md pitfalls)", () => {
  const env = { RequestId: "R", Success: true, ErrorCode: "", Message: "ok" };

  test("Add: Id a string, no HttpCode needed", () => {
    expect(AddMigrationTaskResponse.safeParse({ ...env, Data: { Id: "12" } }).success).toBe(true);
    expect(AddMigrationTaskResponse.safeParse({ ...env, Data: { Id: 12 } }).success).toBe(false);
  });

  test("Update: Id a string; HttpCode a string, never a number", () => {
    expect(UpdateMigrationTaskResponse.safeParse({ ...env, HttpCode: "200", Data: { Id: 1 } }).success).toBe(
      false,
    );
    expect(UpdateMigrationTaskResponse.safeParse({ ...env, HttpCode: 200, Data: { Id: "1" } }).success).toBe(
      false,
    );
  });

  test("Delete: Data a boolean", () => {
    expect(DeleteMigrationTaskResponse.safeParse({ ...env, HttpCode: "200", Data: true }).success).toBe(true);
    expect(DeleteMigrationTaskResponse.safeParse({ ...env, HttpCode: "200", Data: "true" }).success).toBe(
      false,
    );
  });

  test("List: item Id a number; paging fields numbers", () => {
    const page = { ...env, HttpCode: "200", PageNumber: 1, PageSize: 10, TotalCount: 1 };
    expect(ListMigrationTaskResponse.safeParse({ ...page, Data: [listItem] }).success).toBe(true);
    expect(ListMigrationTaskResponse.safeParse({ ...page, Data: [{ ...listItem, Id: "1" }] }).success).toBe(
      false,
    );
    expect(ListMigrationTaskResponse.safeParse({ ...page, TotalCount: "1", Data: [] }).success).toBe(false);
  });
});

describe("request validation, as the emulator applies it", () => {
  test.each([
    ["ClusterType", "Nacos"],
    ["SyncType", "Everything"],
    ["AcceptLanguage", "fr"],
  ])("%s outside the documented values is a free string on the wire, as in the SDK", (field, value) => {
    expect(UpdateMigrationTaskRequest.safeParse({ [field]: value }).success).toBe(true);
  });

  test("every parameter is optional, as documented", () => {
    for (const op of Object.values(mse)) expect(op.params.safeParse({}).success).toBe(true);
  });

  test("PageNum and PageSize arrive as text and are read as positive integers", () => {
    expect(ListMigrationTaskRequest.parse({ PageNum: "2", PageSize: "10" })).toEqual({
      PageNum: 2,
      PageSize: 10,
    });
    for (const bad of ["0", "-1", "1.5", "x", ""])
      expect(ListMigrationTaskRequest.safeParse({ PageNum: bad }).success).toBe(false);
  });

  test("common parameters of other layers (Action, Signature...) are ignored, not refused", () => {
    expect(
      mse.deleteMigrationTask.params.parse({ Id: "1", Action: "DeleteMigrationTask", Signature: "x" }),
    ).toEqual({ Id: "1" });
  });
});

describe("operations and envelopes", () => {
  test("names are the Actions, all of version 2019-05-31", () => {
    expect(Object.values(mse).map((o) => [o.name, o.version])).toEqual([
      ["AddMigrationTask", "2019-05-31"],
      ["UpdateMigrationTask", "2019-05-31"],
      ["DeleteMigrationTask", "2019-05-31"],
      ["ListMigrationTask", "2019-05-31"],
    ]);
  });

  test("the gateway's and MSE's error bodies", () => {
    expect(
      PopErrorBody.safeParse({
        RequestId: "R",
        HostId: "mse.cn-hangzhou.aliyuncs.com",
        Code: "SignatureDoesNotMatch",
        Message: "Specified signature is not matched with our calculation.",
        Recommend: "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=mse&requestId=R",
      }).success,
    ).toBe(true);
    expect(
      MseErrorBody.safeParse({
        RequestId: "R",
        Success: false,
        ErrorCode: "NotFound",
        HttpCode: "404",
        Message: "Not found:12",
      }).success,
    ).toBe(true);
    expect(
      MseErrorBody.safeParse({
        RequestId: "R",
        Success: false,
        ErrorCode: "NotFound",
        HttpCode: 404,
        Message: "x",
      }).success,
    ).toBe(false);
  });

  test("namespaces travel as one comma-separated string", () => {
    expect(joinNamespaces(["ns1", "ns2"])).toBe("ns1,ns2");
    expect(splitNamespaces(" ns1, ,ns2 ")).toEqual(["ns1", "ns2"]);
    expect(splitNamespaces(undefined)).toEqual([]);
  });
});
