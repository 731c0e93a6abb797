import type { IncomingMessage } from "http";
import path from "path";
import querystring from "querystring";
import { Readable } from "stream";
import fc from "fast-check";
import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import OpenApiUtil from "@alicloud/openapi-util";
import * as tea from "@alicloud/tea-typescript";
import { RuntimeOptions } from "@alicloud/tea-util";
import RPCClient from "@alicloud/pop-core";
import type { HttpRequest } from "../core/http";
import type { AlicloudCredential } from "./signer";
import {
  EMPTY_BODY_SHA256,
  acs3CanonicalRequest,
  acs3SignedHeaderNames,
  acs3StringToSign,
  decodeParams,
  encodeParams,
  flattenParams,
  formatAlicloudTimestamp,
  parseAcs3Authorization,
  parseAlicloudTimestamp,
  rpcV1CanonicalQuery,
  rpcV1Signature,
  rpcV1StringToSign,
  signAcs3,
  signRpcV1,
  verifyAcs3,
  verifyRpcV1,
} from "./signer";

const AK = "LTAI5tEXAMPLEACCESSKEY";
const SK = "ExampleAccessKeySecret0000000000";
const TS = "2024-01-15T08:30:00Z";
const CLOCK = new Date(TS);
const NONCE = "3f9a2c1e-0000-4000-8000-000000000001";
const HOST = "mse.cn-hangzhou.aliyuncs.com";
const VERSION = "2019-05-31";

// ---------------------------------------------------------------------------------------------
// Golden vectors ALI-1..ALI-4, pasted from docs/signing.md.
// ---------------------------------------------------------------------------------------------

interface V3Vector {
  id: string;
  action: string;
  sts?: string;
  /** "query params (unencoded)" of the vector, in the doc's order. */
  query: Record<string, string>;
  /** "headers (excluding user-agent)" of the vector. */
  headers: Record<string, string>;
  canonical: string;
  stringToSign: string;
  authorization: string;
}

const V3_VECTORS: V3Vector[] = [
  {
    id: "ALI-1 v3-AddMigrationTask",
    action: "AddMigrationTask",
    query: {
      ClusterType: "Nacos-Ans",
      OriginInstanceName: "src nacos",
      OriginInstanceAddress: "192.168.1.1:8848",
      TargetInstanceId: "mse-cn-abc123",
      SyncType: "Service",
      ProjectDesc: "desc (test)*~!",
    },
    headers: {
      host: "mse.cn-hangzhou.aliyuncs.com",
      "x-acs-version": "2019-05-31",
      "x-acs-action": "AddMigrationTask",
      "x-acs-date": "2024-01-15T08:30:00Z",
      "x-acs-signature-nonce": "3f9a2c1e-0000-4000-8000-000000000001",
      accept: "application/json",
      "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-acs-credentials-provider": "static_ak",
    },
    canonical: `POST
/
ClusterType=Nacos-Ans&OriginInstanceAddress=192.168.1.1%3A8848&OriginInstanceName=src%20nacos&ProjectDesc=desc%20%28test%29%2A~%21&SyncType=Service&TargetInstanceId=mse-cn-abc123
host:mse.cn-hangzhou.aliyuncs.com
x-acs-action:AddMigrationTask
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider:static_ak
x-acs-date:2024-01-15T08:30:00Z
x-acs-signature-nonce:3f9a2c1e-0000-4000-8000-000000000001
x-acs-version:2019-05-31

host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `ACS3-HMAC-SHA256
ca5baf44334b44e7d8f8066e3ed3ea1fdb89d4c456500bf9d87b33798e266054`,
    authorization:
      "ACS3-HMAC-SHA256 Credential=LTAI5tEXAMPLEACCESSKEY,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=9ec856b7e9d8003f9384a1e70a574e0845ee1ae7fe17326cb64c582177926a62",
  },
  {
    id: "ALI-2 v3-ListMigrationTask-sts",
    action: "ListMigrationTask",
    sts: "EXAMPLE-STS-TOKEN",
    query: { PageNum: "1", PageSize: "10" },
    headers: {
      host: "mse.cn-hangzhou.aliyuncs.com",
      "x-acs-version": "2019-05-31",
      "x-acs-action": "ListMigrationTask",
      "x-acs-date": "2024-01-15T08:30:00Z",
      "x-acs-signature-nonce": "3f9a2c1e-0000-4000-8000-000000000001",
      accept: "application/json",
      "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-acs-credentials-provider": "static_sts",
      "x-acs-accesskey-id": "LTAI5tEXAMPLEACCESSKEY",
      "x-acs-security-token": "EXAMPLE-STS-TOKEN",
    },
    canonical: `POST
/
PageNum=1&PageSize=10
host:mse.cn-hangzhou.aliyuncs.com
x-acs-accesskey-id:LTAI5tEXAMPLEACCESSKEY
x-acs-action:ListMigrationTask
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-credentials-provider:static_sts
x-acs-date:2024-01-15T08:30:00Z
x-acs-security-token:EXAMPLE-STS-TOKEN
x-acs-signature-nonce:3f9a2c1e-0000-4000-8000-000000000001
x-acs-version:2019-05-31

host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `ACS3-HMAC-SHA256
b00398ec48e683f773c06786fdf0132e7e8e5a31b65ab4f0e24ed69738b745f3`,
    authorization:
      "ACS3-HMAC-SHA256 Credential=LTAI5tEXAMPLEACCESSKEY,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=20ff929de2a13a8bc63c99fd3b64fed2eb332927896e02821ec37987cb1894e7",
  },
];

interface V1Vector {
  id: string;
  action: string;
  sts?: string;
  /** Business parameters as the MSE client passes them. */
  business: Record<string, string>;
  /** "query params (unencoded)" of the vector: everything sent, Signature included. */
  sent: Record<string, string>;
  canonicalQuery: string;
  stringToSign: string;
  hmacKey: string;
  signature: string;
}

const V1_VECTORS: V1Vector[] = [
  {
    id: "ALI-3 v1-AddMigrationTask",
    action: "AddMigrationTask",
    business: {
      ClusterType: "Nacos-Ans",
      OriginInstanceName: "src nacos",
      OriginInstanceAddress: "192.168.1.1:8848",
      TargetInstanceId: "mse-cn-abc123",
      SyncType: "Service",
      ProjectDesc: "desc (test)*~!",
    },
    sent: {
      Action: "AddMigrationTask",
      Format: "json",
      Version: "2019-05-31",
      Timestamp: "2024-01-15T08:30:00Z",
      SignatureNonce: "3f9a2c1e-0000-4000-8000-000000000001",
      ClusterType: "Nacos-Ans",
      OriginInstanceName: "src nacos",
      OriginInstanceAddress: "192.168.1.1:8848",
      TargetInstanceId: "mse-cn-abc123",
      SyncType: "Service",
      ProjectDesc: "desc (test)*~!",
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      AccessKeyId: "LTAI5tEXAMPLEACCESSKEY",
      Signature: "t2DWIgR1D066tLxaV/sROFI/kp4=",
    },
    canonicalQuery:
      "AccessKeyId=LTAI5tEXAMPLEACCESSKEY&Action=AddMigrationTask&ClusterType=Nacos-Ans&Format=json&OriginInstanceAddress=192.168.1.1%3A8848&OriginInstanceName=src%20nacos&ProjectDesc=desc%20%28test%29%2A~%21&SignatureMethod=HMAC-SHA1&SignatureNonce=3f9a2c1e-0000-4000-8000-000000000001&SignatureVersion=1.0&SyncType=Service&TargetInstanceId=mse-cn-abc123&Timestamp=2024-01-15T08%3A30%3A00Z&Version=2019-05-31",
    stringToSign:
      "POST&%2F&AccessKeyId%3DLTAI5tEXAMPLEACCESSKEY%26Action%3DAddMigrationTask%26ClusterType%3DNacos-Ans%26Format%3Djson%26OriginInstanceAddress%3D192.168.1.1%253A8848%26OriginInstanceName%3Dsrc%2520nacos%26ProjectDesc%3Ddesc%2520%2528test%2529%252A~%2521%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3f9a2c1e-0000-4000-8000-000000000001%26SignatureVersion%3D1.0%26SyncType%3DService%26TargetInstanceId%3Dmse-cn-abc123%26Timestamp%3D2024-01-15T08%253A30%253A00Z%26Version%3D2019-05-31",
    hmacKey: "ExampleAccessKeySecret0000000000&",
    signature: "t2DWIgR1D066tLxaV/sROFI/kp4=",
  },
  {
    id: "ALI-4 v1-DeleteMigrationTask-sts",
    action: "DeleteMigrationTask",
    sts: "EXAMPLE-STS-TOKEN",
    business: { Id: "12" },
    sent: {
      Action: "DeleteMigrationTask",
      Format: "json",
      Version: "2019-05-31",
      Timestamp: "2024-01-15T08:30:00Z",
      SignatureNonce: "3f9a2c1e-0000-4000-8000-000000000001",
      Id: "12",
      SecurityToken: "EXAMPLE-STS-TOKEN",
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      AccessKeyId: "LTAI5tEXAMPLEACCESSKEY",
      Signature: "9UPAS0ctlj281lGHW3ud8f+Y/DE=",
    },
    canonicalQuery:
      "AccessKeyId=LTAI5tEXAMPLEACCESSKEY&Action=DeleteMigrationTask&Format=json&Id=12&SecurityToken=EXAMPLE-STS-TOKEN&SignatureMethod=HMAC-SHA1&SignatureNonce=3f9a2c1e-0000-4000-8000-000000000001&SignatureVersion=1.0&Timestamp=2024-01-15T08%3A30%3A00Z&Version=2019-05-31",
    stringToSign:
      "POST&%2F&AccessKeyId%3DLTAI5tEXAMPLEACCESSKEY%26Action%3DDeleteMigrationTask%26Format%3Djson%26Id%3D12%26SecurityToken%3DEXAMPLE-STS-TOKEN%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3f9a2c1e-0000-4000-8000-000000000001%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-15T08%253A30%253A00Z%26Version%3D2019-05-31",
    hmacKey: "ExampleAccessKeySecret0000000000&",
    signature: "9UPAS0ctlj281lGHW3ud8f+Y/DE=",
  },
];

function cred(sts?: string): AlicloudCredential {
  return sts
    ? { accessKeyId: AK, accessKeySecret: SK, securityToken: sts }
    : { accessKeyId: AK, accessKeySecret: SK };
}

/** The headers our client sets before signing; the signer adds the others. */
function callerHeaders(h: Record<string, string>): Record<string, string> {
  const own = [
    "host",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-accesskey-id",
    "x-acs-security-token",
  ];
  return Object.fromEntries(Object.entries(h).filter(([k]) => !own.includes(k)));
}

describe("golden vectors ALI-1, ALI-2 (ACS3-HMAC-SHA256)", () => {
  describe.each(V3_VECTORS.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const url = `https://${HOST}/?${encodeParams(v.query)}`;

    test("canonical request", () => {
      expect(acs3CanonicalRequest({ method: "POST", url, headers: v.headers })).toBe(v.canonical);
    });

    test("canonical request with the signed headers given explicitly", () => {
      const signed = v.authorization.split("SignedHeaders=")[1].split(",")[0].split(";");
      expect(acs3SignedHeaderNames(v.headers)).toEqual(signed);
      expect(acs3CanonicalRequest({ method: "POST", url, headers: v.headers }, signed)).toBe(v.canonical);
    });

    test("string to sign", () => {
      expect(acs3StringToSign(v.canonical)).toBe(v.stringToSign);
    });

    test("Authorization, with host, date, nonce, content hash and STS headers added by the signer", () => {
      const req: HttpRequest = { method: "POST", url, headers: callerHeaders(v.headers) };
      const signed = signAcs3(req, cred(v.sts), { nonce: NONCE, date: CLOCK });
      expect(signed.headers["Authorization"]).toBe(v.authorization);
      const { Authorization: _a, ...rest } = signed.headers;
      expect(rest).toEqual(v.headers);
      expect(req.headers["Authorization"]).toBeUndefined();
    });

    test("re-signing a signed request replaces the date, nonce and signature", () => {
      const once = signAcs3({ method: "POST", url, headers: callerHeaders(v.headers) }, cred(v.sts), {
        nonce: "other-nonce",
        date: new Date("2030-01-01T00:00:00Z"),
      });
      const again = signAcs3(once, cred(v.sts), { nonce: NONCE, date: CLOCK });
      expect(again.headers["Authorization"]).toBe(v.authorization);
    });

    test("the verifier accepts the doc's request as a server receives it", () => {
      const u = new URL(url);
      const headers = {
        ...v.headers,
        authorization: v.authorization,
        "user-agent": "AlibabaCloud (linux; x64)",
      };
      expect(
        verifyAcs3({ method: "POST", url: u.pathname + u.search, headers, body: "" }, SK, CLOCK),
      ).toBeUndefined();
    });

    test("parseAcs3Authorization", () => {
      const p = parseAcs3Authorization(v.authorization);
      expect(p?.accessKeyId).toBe(AK);
      expect(p?.signedHeaders.join(";")).toBe(v.authorization.split("SignedHeaders=")[1].split(",")[0]);
      expect(p?.signature).toBe(v.authorization.split("Signature=")[1]);
    });

    test("the official openapi-client 0.4.15 reproduces the vector (harness check)", async () => {
      const got = await officialCall({ action: v.action, query: v.query, sts: v.sts, fixed: true });
      expect(got.headers["Authorization"]).toBe(v.authorization);
    });
  });
});

describe("golden vectors ALI-3, ALI-4 (RPC signature v1)", () => {
  describe.each(V1_VECTORS.map((v) => [v.id, v] as const))("%s", (_id, v) => {
    test("canonicalized query string", () => {
      expect(rpcV1CanonicalQuery(v.sent)).toBe(v.canonicalQuery);
    });

    test("string to sign", () => {
      expect(rpcV1StringToSign("POST", v.sent)).toBe(v.stringToSign);
    });

    test("signature with the HMAC key secret + '&'", () => {
      expect(`${SK}&`).toBe(v.hmacKey);
      expect(rpcV1Signature("POST", v.sent, SK)).toBe(v.signature);
    });

    test("signRpcV1 adds exactly the common parameters the SDK sent", () => {
      const signed = signRpcV1("POST", { Action: v.action, Version: VERSION, ...v.business }, cred(v.sts), {
        nonce: NONCE,
        date: CLOCK,
      });
      expect(signed).toEqual(v.sent);
    });

    test("the verifier accepts the doc's parameters, from the query or a form body", () => {
      expect(verifyRpcV1("POST", v.sent, SK, CLOCK)).toBeUndefined();
      expect(verifyRpcV1("POST", decodeParams(encodeParams(v.sent)), SK, CLOCK)).toBeUndefined();
    });

    test("the official openapi-client 0.4.15 (signatureAlgorithm v2) reproduces the vector (harness check)", async () => {
      const got = await officialCall({
        action: v.action,
        query: v.business,
        sts: v.sts,
        fixed: true,
        v1: true,
      });
      expect(got.query).toEqual(v.sent);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The official packages, driven as docs/signing.md says the vectors were made: nonce and timestamp
// fixed (or read back), the HTTP send stubbed.
// ---------------------------------------------------------------------------------------------

/** openapi-client bundles its own tea-util; its getNonce is the one the client calls. */
const clientTeaUtil = require(
  require.resolve("@alicloud/tea-util", {
    paths: [path.dirname(require.resolve("@alicloud/openapi-client"))],
  }),
) as { default: { getNonce(): string } };

interface Captured {
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** Calls the official client with the MSE operation's `Params` (client.go) and returns what it would send. */
async function officialCall(c: {
  action: string;
  query: Record<string, unknown>;
  sts?: string;
  endpoint?: string;
  fixed?: boolean;
  v1?: boolean;
}): Promise<Captured> {
  let captured: Captured | undefined;
  const doAction = jest.spyOn(tea, "doAction").mockImplementation(async (req: tea.Request) => {
    captured = { headers: { ...req.headers }, query: { ...req.query } };
    return new tea.Response(
      // A stand-in for the socket's IncomingMessage: a readable body with a status.
      Object.assign(Readable.from([Buffer.from('{"RequestId":"r","Success":true}')]), {
        statusCode: 200,
        headers: {},
      }) as unknown as IncomingMessage,
    );
  });
  const spies = c.fixed
    ? [
        jest.spyOn(OpenApiUtil, "getTimestamp").mockReturnValue(TS),
        jest.spyOn(clientTeaUtil.default, "getNonce").mockReturnValue(NONCE),
      ]
    : [];
  try {
    const client = new OpenApiClient(
      new Config({
        accessKeyId: AK,
        accessKeySecret: SK,
        securityToken: c.sts,
        endpoint: c.endpoint ?? HOST,
        signatureAlgorithm: c.v1 ? "v2" : undefined,
      }),
    );
    const params = new Params({
      action: c.action,
      version: VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    await client.callApi(
      params,
      new OpenApiRequest({ query: OpenApiUtil.query(c.query) }),
      new RuntimeOptions({}),
    );
  } finally {
    doAction.mockRestore();
    for (const s of spies) s.mockRestore();
  }
  if (!captured) throw new Error("the official client sent nothing");
  return captured;
}

/** Parameter values: full Unicode, RFC 3986 reserved characters, numbers, booleans. */
const scalar = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom(..." !\"#$%&'()*+,/:;<=>?@[\\]^`{|}~-._", "é", "中", "😀", "\u00a0"),
    maxLength: 10,
  }),
  fc.integer(),
  fc.boolean(),
);
const key = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,9}$/);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.dictionary(key, scalar, { maxKeys: 2, noNullPrototype: true }), { maxLength: 2 }),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), {
      maxKeys: 2,
      noNullPrototype: true,
    }),
  },
  { weight: 1, arbitrary: fc.array(fc.option(scalar), { maxLength: 3 }) },
);
const paramsArb = fc.dictionary(key, value, { maxKeys: 6, noNullPrototype: true });
const actionArb = fc.constantFrom(
  "AddMigrationTask",
  "UpdateMigrationTask",
  "DeleteMigrationTask",
  "ListMigrationTask",
);
const stsArb = fc.option(
  fc
    .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 20 })
    .filter((s) => s.trim() === s && s !== ""),
  {
    nil: undefined,
  },
);
const endpointArb = fc.constantFrom(HOST, "mse-vpc.cn-shanghai.aliyuncs.com", "127.0.0.1:18081");

describe("agreement with the official packages on generated requests", () => {
  test("flattenParams equals openapi-util query() (arrays 1-based, nested objects, nulls dropped)", () => {
    fc.assert(
      fc.property(paramsArb, (p) => {
        expect(flattenParams(p)).toEqual(OpenApiUtil.query(p));
      }),
      { numRuns: 300 },
    );
  });

  test("flattenParams on a documented shape", () => {
    expect(
      flattenParams({
        Tag: [{ Key: "a", Value: "b" }, { Key: "c" }],
        Ids: [1, null, 3],
        Conf: { A: { B: true } },
        X: undefined,
      }),
    ).toEqual({
      "Tag.1.Key": "a",
      "Tag.1.Value": "b",
      "Tag.2.Key": "c",
      "Ids.1": "1",
      "Ids.3": "3",
      "Conf.A.B": "true",
    });
  });

  test("v3: same Authorization as openapi-client, and the verifier accepts the official wire form", async () => {
    await fc.assert(
      fc.asyncProperty(actionArb, paramsArb, stsArb, endpointArb, async (action, p, sts, endpoint) => {
        const official = await officialCall({ action, query: p, sts, endpoint });
        const h = official.headers;
        const req: HttpRequest = {
          method: "POST",
          url: `https://${endpoint}/?${encodeParams(flattenParams(p))}`,
          headers: {
            "x-acs-action": action,
            "x-acs-version": VERSION,
            accept: "application/json",
            "x-acs-credentials-provider": h["x-acs-credentials-provider"],
          },
        };
        const ours = signAcs3(req, cred(sts), {
          nonce: h["x-acs-signature-nonce"],
          date: new Date(h["x-acs-date"]),
        });
        expect(ours.headers["Authorization"]).toBe(h["Authorization"]);
        expect(ours.headers["host"]).toBe(h["host"]);
        expect(ours.headers["x-acs-content-sha256"]).toBe(EMPTY_BODY_SHA256);

        // tea-typescript's buildURL: querystring.stringify leaves !'()* unencoded.
        const wire = `/?${querystring.stringify(official.query)}`;
        expect(
          verifyAcs3({ method: "POST", url: wire, headers: h, body: "" }, SK, new Date(h["x-acs-date"])),
        ).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  test("v1: same parameters and Signature as openapi-client (signatureAlgorithm v2), and the verifier accepts them", async () => {
    await fc.assert(
      fc.asyncProperty(actionArb, paramsArb, stsArb, async (action, p, sts) => {
        const official = await officialCall({ action, query: p, sts, v1: true });
        const q = official.query;
        const ours = signRpcV1("POST", { Action: action, Version: VERSION, ...flattenParams(p) }, cred(sts), {
          nonce: q.SignatureNonce,
          date: new Date(q.Timestamp),
        });
        expect(ours).toEqual(q);
        const received = decodeParams(querystring.stringify(q));
        expect(verifyRpcV1("POST", received, SK, new Date(q.Timestamp))).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  test("v1: rpcV1Signature equals openapi-util getRPCSignature on flat maps, for GET and POST", () => {
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.string({ unit: "binary", maxLength: 10 }), { noNullPrototype: true }),
        fc.constantFrom("GET", "POST"),
        (p, method) => {
          expect(rpcV1Signature(method, p, SK)).toBe(OpenApiUtil.getRPCSignature(p, method, SK));
        },
      ),
      { numRuns: 300 },
    );
  });

  describe("pop-core 1.8.0 (Format JSON, parameters in a form body for POST, in the URL for GET)", () => {
    /** pop-core flattens arrays (of scalars or of flat objects) but not top-level objects, and keeps nulls. */
    const popValue = fc.oneof(
      { weight: 4, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
      {
        weight: 1,
        arbitrary: fc.array(fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 2, noNullPrototype: true }), {
          maxLength: 2,
        }),
      },
    );
    const httpx = require("httpx") as {
      request: (url: string, opts: { method?: string; data?: string }) => Promise<unknown>;
      read: (res: unknown) => Promise<string>;
    };

    test("same Signature, and the verifier accepts what it sends", async () => {
      await fc.assert(
        fc.asyncProperty(
          actionArb,
          fc.dictionary(key, popValue, { maxKeys: 6, noNullPrototype: true }),
          stsArb,
          fc.constantFrom("GET", "POST"),
          async (action, p, sts, method) => {
            let sent: { url: string; data?: string } | undefined;
            const request = jest.spyOn(httpx, "request").mockImplementation(async (url, opts) => {
              sent = { url, data: opts.data };
              return { statusCode: 200, headers: {}, req: { getHeaders: () => ({}) } };
            });
            const read = jest.spyOn(httpx, "read").mockResolvedValue('{"RequestId":"r"}');
            try {
              const client = new RPCClient({
                endpoint: `https://${HOST}`,
                apiVersion: VERSION,
                accessKeyId: AK,
                accessKeySecret: SK,
                securityToken: sts,
              });
              await client.request(action, p, { method });
            } finally {
              request.mockRestore();
              read.mockRestore();
            }
            if (!sent) throw new Error("pop-core sent nothing");
            const raw = method === "POST" ? (sent.data ?? "") : new URL(sent.url).search.slice(1);
            const received = decodeParams(raw);
            expect(received.Format).toBe("JSON");
            expect(rpcV1Signature(method, received, SK)).toBe(received.Signature);
            expect(verifyRpcV1(method, received, SK, new Date(received.Timestamp))).toBeUndefined();
            // Same business parameters as our flattening gives.
            const common = [
              "Action",
              "Format",
              "Version",
              "Timestamp",
              "SignatureNonce",
              "SignatureMethod",
              "SignatureVersion",
              "AccessKeyId",
              "SecurityToken",
              "Signature",
            ];
            const business = Object.fromEntries(
              Object.entries(received).filter(([k]) => !common.includes(k)),
            );
            expect(business).toEqual(
              flattenParams(Object.fromEntries(Object.entries(p).filter(([k]) => !common.includes(k)))),
            );
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The verifiers refuse what the gateway refuses.
// ---------------------------------------------------------------------------------------------

describe("verifyAcs3 failures", () => {
  const v = V3_VECTORS[1];
  const base = () => {
    const u = new URL(`https://${HOST}/?${encodeParams(v.query)}`);
    return {
      method: "POST",
      url: u.pathname + u.search,
      headers: { ...v.headers, authorization: v.authorization } as Record<string, string>,
      body: "",
    };
  };

  test.each([
    [
      "a changed query value",
      (r: ReturnType<typeof base>) => void (r.url = r.url.replace("PageSize=10", "PageSize=11")),
      "SignatureDoesNotMatch",
    ],
    [
      "a changed signed header",
      (r: ReturnType<typeof base>) => void (r.headers["x-acs-action"] = "DeleteMigrationTask"),
      "SignatureDoesNotMatch",
    ],
    ["a wrong secret", () => undefined, "SignatureDoesNotMatch", "wrong-secret"],
    [
      "a body that does not match x-acs-content-sha256",
      (r: ReturnType<typeof base>) => void (r.body = "Id=1"),
      "SignatureDoesNotMatch",
    ],
    [
      "no Authorization",
      (r: ReturnType<typeof base>) => void delete r.headers.authorization,
      "IncompleteSignature",
    ],
    [
      "another scheme",
      (r: ReturnType<typeof base>) => void (r.headers.authorization = "SDK-HMAC-SHA256 Access=x"),
      "IncompleteSignature",
    ],
    [
      "the nonce left unsigned",
      (r: ReturnType<typeof base>) =>
        void (r.headers.authorization = v.authorization.replace(";x-acs-signature-nonce", "")),
      "IncompleteSignature",
    ],
    [
      "a signed header missing",
      (r: ReturnType<typeof base>) => void delete r.headers["x-acs-credentials-provider"],
      "IncompleteSignature",
    ],
    [
      "a malformed x-acs-date",
      (r: ReturnType<typeof base>) => void (r.headers["x-acs-date"] = "20240115T083000Z"),
      "InvalidTimeStamp.Format",
    ],
  ])("%s", (_what, mutate, code, secret = SK) => {
    const r = base();
    mutate(r);
    expect(verifyAcs3(r, secret, CLOCK)?.code).toBe(code);
  });

  test("clock skew over 15 minutes, either way", () => {
    expect(verifyAcs3(base(), SK, new Date(CLOCK.getTime() + 15 * 60_000))).toBeUndefined();
    expect(verifyAcs3(base(), SK, new Date(CLOCK.getTime() + 15 * 60_000 + 1000))?.code).toBe(
      "InvalidTimeStamp.Expired",
    );
    expect(verifyAcs3(base(), SK, new Date(CLOCK.getTime() - 16 * 60_000))?.code).toBe(
      "InvalidTimeStamp.Expired",
    );
  });

  test("a mismatch reports the server's string to sign", () => {
    const r = base();
    r.url += "&Extra=1";
    const f = verifyAcs3(r, SK, CLOCK);
    expect(f?.stringToSign?.startsWith("ACS3-HMAC-SHA256\n")).toBe(true);
  });

  test("header names in any case and repeated values as arrays", () => {
    const r = base();
    const headers: Record<string, string | string[]> = {};
    for (const [k, val] of Object.entries(r.headers)) headers[k.toUpperCase()] = val;
    expect(verifyAcs3({ ...r, headers }, SK, CLOCK)).toBeUndefined();
  });
});

describe("verifyRpcV1 failures", () => {
  const sent = V1_VECTORS[1].sent;
  test.each([
    ["a changed parameter", { Id: "13" }, "SignatureDoesNotMatch"],
    ["an added parameter", { Extra: "1" }, "SignatureDoesNotMatch"],
    ["another method", {}, "SignatureDoesNotMatch", "GET"],
    ["no Signature", { Signature: undefined }, "MissingParameter"],
    ["no SignatureNonce", { SignatureNonce: undefined }, "MissingParameter"],
    ["no Timestamp", { Timestamp: undefined }, "MissingParameter"],
    ["SignatureMethod HMAC-SHA256", { SignatureMethod: "HMAC-SHA256" }, "InvalidParameter"],
    ["SignatureVersion 2.0", { SignatureVersion: "2.0" }, "InvalidParameter"],
    ["a Timestamp with milliseconds", { Timestamp: "2024-01-15T08:30:00.000Z" }, "InvalidTimeStamp.Format"],
    ["an expired Timestamp", { Timestamp: "2024-01-15T08:00:00Z" }, "InvalidTimeStamp.Expired"],
  ] as [string, Record<string, string | undefined>, string, string?][])(
    "%s",
    (_what, change, code, method = "POST") => {
      const p: Record<string, string> = { ...sent };
      for (const [k, val] of Object.entries(change)) {
        if (val === undefined) delete p[k];
        else p[k] = val;
      }
      expect(verifyRpcV1(method, p, SK, CLOCK)?.code).toBe(code);
    },
  );

  test("a mismatch names the server's string to sign in the message, as the gateway does", () => {
    const f = verifyRpcV1("POST", { ...sent, Id: "13" }, SK, CLOCK);
    expect(f?.message).toContain("server string to sign is:POST&%2F&AccessKeyId");
  });
});

describe("helpers", () => {
  test("timestamps: UTC, no milliseconds; impossible dates refused", () => {
    expect(formatAlicloudTimestamp(new Date("2024-01-15T08:30:00.987Z"))).toBe(TS);
    expect(parseAlicloudTimestamp(TS)).toBe(CLOCK.getTime());
    expect(parseAlicloudTimestamp("2024-02-31T00:00:00Z")).toBeUndefined();
    expect(parseAlicloudTimestamp("2024-01-15 08:30:00")).toBeUndefined();
  });

  test("fresh nonce and date on every signature by default", () => {
    const req: HttpRequest = {
      method: "POST",
      url: `https://${HOST}/`,
      headers: { "x-acs-action": "ListMigrationTask", "x-acs-version": VERSION },
    };
    const a = signAcs3(req, cred());
    const b = signAcs3(req, cred());
    expect(a.headers["x-acs-signature-nonce"]).not.toBe(b.headers["x-acs-signature-nonce"]);
    expect(a.headers["x-acs-signature-nonce"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Math.abs((parseAlicloudTimestamp(a.headers["x-acs-date"]) ?? 0) - Date.now())).toBeLessThan(5000);
    const p1 = signRpcV1("POST", { Action: "ListMigrationTask", Version: VERSION }, cred());
    const p2 = signRpcV1("POST", { Action: "ListMigrationTask", Version: VERSION }, cred());
    expect(p1.SignatureNonce).not.toBe(p2.SignatureNonce);
  });

  test("signRpcV1 needs Action and Version", () => {
    expect(() => signRpcV1("POST", { Version: VERSION }, cred())).toThrow(/Action and Version/);
  });

  test("decodeParams: + is a space, %2B a plus, malformed escapes kept, last value wins", () => {
    expect(decodeParams("a=x+y&b=x%2By&c=100%&d&a=z")).toEqual({ a: "z", b: "x+y", c: "100%", d: "" });
  });

  test("encodeParams round-trips through decodeParams for any Unicode text", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: "binary", minLength: 1, maxLength: 6 }),
          fc.string({ unit: "binary", maxLength: 10 }),
        ),
        (p) => {
          expect(decodeParams(encodeParams(p))).toEqual(p);
        },
      ),
    );
  });
});
