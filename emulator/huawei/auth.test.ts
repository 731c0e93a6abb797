/** API gateway authentication (AK/SK, tokens, temporary keys) and the IAM module. */
import { emulatorDefaults, vectorCredentials } from "../defaults";
import type { Emulator } from "../server";
import { startEmulator } from "../server";
import { huaweiCall, rawRequest } from "../testing/huawei-http";
import { errorOf } from "../testing/sms";
import { iam } from "./iam/contract";

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ timeScale: 0 });
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const passwordBody = (over: { password?: string; scope?: unknown } = {}) => ({
  auth: {
    identity: {
      methods: ["password"],
      password: {
        user: {
          name: emulatorDefaults.userName,
          password: over.password ?? emulatorDefaults.password,
          domain: { name: emulatorDefaults.domainName },
        },
      },
    },
    scope: over.scope ?? { project: { name: emulatorDefaults.region } },
  },
});

async function getToken(scope?: unknown): Promise<string> {
  const r = await huaweiCall(emu.url, {
    method: "POST",
    path: "/v3/auth/tokens",
    auth: "none",
    projectId: false,
    headers: { "Content-Type": "application/json;charset=utf8" },
    body: passwordBody({ scope }),
  });
  expect(r.status).toBe(201);
  return String(r.headers["x-subject-token"]);
}

function expectApigw401(r: { status: number; json: unknown; headers: Record<string, unknown> }, msg: string) {
  expect(r.status).toBe(401);
  const body = r.json as { error_code: string; error_msg: string; request_id: string };
  expect(body.error_code).toBe("APIGW.0301");
  expect(body.error_msg).toBe(`Incorrect IAM authentication information: ${msg}`);
  expect(body.request_id).toBe(r.headers["x-request-id"]);
}

describe("AK/SK", () => {
  test("a signed call passes with X-Project-Id, X-Domain-Id or neither", async () => {
    for (const headers of [
      { projectId: emulatorDefaults.projectId },
      { projectId: false as const, domainId: emulatorDefaults.domainId },
      { projectId: false as const },
    ]) {
      const r = await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", ...headers });
      expect(r.status).toBe(200);
    }
  });

  test("unsigned → 401 APIGW.0301", async () => {
    const r = await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", auth: "none" });
    expectApigw401(r, "Authorization not found");
  });

  test("tampered request → 401 verify aksk signature fail, with the reason in the request log", async () => {
    const r = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/tasks/abc/action",
      body: { operation: "start" },
      tamper: (req) => ({ ...req, body: JSON.stringify({ operation: "stop" }) }),
    });
    expectApigw401(r, "verify aksk signature fail");
    expect(emu.requests().at(-1)).toMatchObject({
      status: 401,
      errorCode: "APIGW.0301",
      detail: "signature mismatch",
    });
  });

  test("tampered signature → 401", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      tamper: (req) => ({
        ...req,
        headers: {
          ...req.headers,
          Authorization: req.headers.Authorization.replace(/Signature=[0-9a-f]/, "Signature=z"),
        },
      }),
    });
    expectApigw401(r, "verify aksk signature fail");
  });

  test("signed with the wrong secret → 401", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      auth: { accessKey: emulatorDefaults.accessKey, secretKey: "wrong" },
    });
    expectApigw401(r, "verify aksk signature fail");
  });

  test("unknown AK → 401 ak not exist", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      auth: { accessKey: "HPUAUNKNOWN000000000", secretKey: "x" },
    });
    expectApigw401(r, "ak not exist");
  });

  test("a stale X-Sdk-Date is refused", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      headers: { "X-Sdk-Date": "20240115T083000Z" },
    });
    expectApigw401(r, "verify aksk signature fail");
    expect(emu.requests().at(-1)?.detail).toMatch(/skew/);
  });

  test("advancing emulator time does not make signatures stale", async () => {
    emu.advance(48 * 3600);
    expect((await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks" })).status).toBe(200);
  });

  test("the signing test vectors' keys verify, with and without the vectors' security token", async () => {
    const auth = { accessKey: vectorCredentials.accessKey, secretKey: vectorCredentials.secretKey };
    expect((await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", auth })).status).toBe(200);
    expect(
      (
        await huaweiCall(emu.url, {
          method: "GET",
          path: "/v3/tasks",
          auth: { ...auth, securityToken: vectorCredentials.securityToken },
        })
      ).status,
    ).toBe(200);
    const wrong = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      auth: { ...auth, securityToken: "other" },
    });
    expectApigw401(wrong, "verify security token fail");
  });

  test("requests signed by the official Huawei Node SDK signer verify (GET with {} body, query, POST)", async () => {
    const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner") as {
      AKSKSigner: { sign(req: unknown, cred: unknown): Record<string, string> };
    };
    const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core") as {
      BasicCredentials: new () => { withAk(s: string): { withSk(s: string): unknown } };
    };
    const cred = new BasicCredentials().withAk(emulatorDefaults.accessKey).withSk(emulatorDefaults.secretKey);
    const send = async (
      method: "GET" | "POST",
      path: string,
      queryParams: Record<string, string>,
      data: object,
    ) => {
      const qs = new URLSearchParams(queryParams).toString().replace(/\+/g, "%20");
      const endpoint = `${emu.url}${path}`;
      const headers = AKSKSigner.sign(
        {
          endpoint,
          method,
          headers: { "Content-Type": "application/json", "X-Project-Id": emulatorDefaults.projectId },
          queryParams,
          data,
        },
        cred,
      );
      return rawRequest({
        method,
        url: qs ? `${endpoint}?${qs}` : endpoint,
        headers,
        body: JSON.stringify(data),
      });
    };
    expect((await send("GET", "/v3/tasks", { limit: "10", name: "task~a b*(c)" }, {})).status).toBe(200);
    expect((await send("GET", "/v3/sources", {}, {})).status).toBe(200);
    const created = await send(
      "POST",
      "/v3/tasks",
      {},
      {
        name: "official-signer",
        type: "MIGRATE_BLOCK",
        source_server: { id: "a1b2c3d4-0001-4000-8000-000000000001" },
        target_server: { name: "", vm_id: "b1b2c3d4-0002-4000-8000-000000000001" },
        region_name: "cn-north-4",
        region_id: "cn-north-4",
        project_name: "cn-north-4",
        project_id: emulatorDefaults.projectId,
      },
    );
    expect(created.status).toBe(200);
  });
});

describe("IAM tokens", () => {
  test("password token: 201, X-Subject-Token, documented body; accepted as X-Auth-Token", async () => {
    const r = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/auth/tokens",
      auth: "none",
      projectId: false,
      body: passwordBody(),
    });
    expect(r.status).toBe(201);
    const body = iam.createUserToken.response.parse(r.json);
    expect(body.token.project).toEqual({
      id: emulatorDefaults.projectId,
      name: emulatorDefaults.region,
      domain: { id: emulatorDefaults.domainId, name: emulatorDefaults.domainName },
    });
    expect(body.token.methods).toEqual(["password"]);
    expect(Date.parse(body.token.expires_at) - Date.parse(body.token.issued_at)).toBe(24 * 3600 * 1000);
    expect(body.token.catalog?.find((s) => s.type === "sms")?.endpoints[0].url).toBe(emu.url);
    const token = String(r.headers["x-subject-token"]);
    expect(token.length).toBeGreaterThan(100);
    const call = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      auth: { token },
      projectId: false,
    });
    expect(call.status).toBe(200);
    expect(emu.requests().at(-1)).toMatchObject({ auth: "token", status: 200 });
  });

  test("?nocatalog=true leaves the catalog out; domain scope works", async () => {
    const r = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/auth/tokens",
      query: { nocatalog: "true" },
      auth: "none",
      body: passwordBody({ scope: { domain: { name: emulatorDefaults.domainName } } }),
    });
    const body = iam.createUserToken.response.parse(r.json);
    expect(body.token.catalog).toBeUndefined();
    expect(body.token.domain?.id).toBe(emulatorDefaults.domainId);
  });

  test("wrong password → 401 Keystone error; unknown project → 401", async () => {
    const bad = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/auth/tokens",
      auth: "none",
      body: passwordBody({ password: "nope" }),
    });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({
      error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" },
    });
    const proj = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3/auth/tokens",
      auth: "none",
      body: passwordBody({ scope: { project: { name: "eu-west-101" } } }),
    });
    expect(proj.status).toBe(401);
  });

  test("expired after 24 h of emulator time (advance 25 h)", async () => {
    const token = await getToken();
    emu.advance(23 * 3600);
    expect((await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", auth: { token } })).status).toBe(
      200,
    );
    emu.advance(2 * 3600);
    const r = await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", auth: { token } });
    expectApigw401(r, "token expired");
  });

  test("unknown token → 401 decrypt token fail", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/tasks",
      auth: { token: "MIInotatoken" },
    });
    expectApigw401(r, "decrypt token fail");
  });

  test("temporary AK/SK from securitytokens work only with their X-Security-Token", async () => {
    const token = await getToken();
    const r = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3.0/OS-CREDENTIAL/securitytokens",
      auth: { token },
      body: { auth: { identity: { methods: ["token"], token: { duration_seconds: 900 } } } },
    });
    expect(r.status).toBe(201);
    const { credential } = iam.createTemporaryAccessKeyByToken.response.parse(r.json);
    const temp = { accessKey: credential.access, secretKey: credential.secret };
    expect(
      (
        await huaweiCall(emu.url, {
          method: "GET",
          path: "/v3/tasks",
          auth: { ...temp, securityToken: credential.securitytoken },
        })
      ).status,
    ).toBe(200);
    expectApigw401(
      await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks", auth: temp }),
      "verify security token fail",
    );
    expectApigw401(
      await huaweiCall(emu.url, {
        method: "GET",
        path: "/v3/tasks",
        auth: { ...temp, securityToken: "someone-elses" },
      }),
      "verify security token fail",
    );
    emu.advance(901);
    expectApigw401(
      await huaweiCall(emu.url, {
        method: "GET",
        path: "/v3/tasks",
        auth: { ...temp, securityToken: credential.securitytoken },
      }),
      "security token expired",
    );
  });

  test("securitytokens without a token → 401", async () => {
    const r = await huaweiCall(emu.url, {
      method: "POST",
      path: "/v3.0/OS-CREDENTIAL/securitytokens",
      auth: "none",
      body: { auth: { identity: { methods: ["token"] } } },
    });
    expect(r.status).toBe(401);
  });
});

describe("IAM discovery", () => {
  test("GET /v3/projects?name=<region> (AK/SK signed) → the project", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/projects",
      query: { name: "cn-north-4" },
      projectId: false,
    });
    expect(r.status).toBe(200);
    const body = iam.listProjects.response.parse(r.json);
    expect(body.projects.map((p) => [p.id, p.name])).toEqual([[emulatorDefaults.projectId, "cn-north-4"]]);
    const none = iam.listProjects.response.parse(
      (await huaweiCall(emu.url, { method: "GET", path: "/v3/projects", query: { name: "ap-southeast-3" } }))
        .json,
    );
    expect(none.projects).toEqual([]);
    expect(errorOf(await huaweiCall(emu.url, { method: "GET", path: "/v3/projects", auth: "none" }))).toEqual(
      {
        status: 401,
        code: "APIGW.0301",
      },
    );
  });

  test("GET /v3/auth/domains → the account", async () => {
    const r = await huaweiCall(emu.url, {
      method: "GET",
      path: "/v3/auth/domains",
      projectId: false,
      domainId: emulatorDefaults.domainId,
    });
    const body = iam.listAuthDomains.response.parse(r.json);
    expect(body.domains.map((d) => [d.id, d.name])).toEqual([
      [emulatorDefaults.domainId, emulatorDefaults.domainName],
    ]);
  });
});

describe("gateway envelope", () => {
  test("unknown route → 404 APIGW.0101 with request_id = X-Request-Id", async () => {
    const r = await huaweiCall(emu.url, { method: "GET", path: "/v3/nothing/here" });
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      error_code: "APIGW.0101",
      error_msg: "The API does not exist or has not been published in the environment",
      request_id: r.headers["x-request-id"],
    });
    expect(String(r.headers["x-request-id"])).toMatch(/^[0-9a-f]{32}$/);
  });

  test("a known path with another method is an unknown route", async () => {
    expect(errorOf(await huaweiCall(emu.url, { method: "PUT", path: "/v3/tasks" }))).toEqual({
      status: 404,
      code: "APIGW.0101",
    });
  });

  test("every answer carries X-Request-Id", async () => {
    const r = await huaweiCall(emu.url, { method: "GET", path: "/v3/tasks" });
    expect(String(r.headers["x-request-id"])).toMatch(/^[0-9a-f]{32}$/);
    expect(emu.requests().at(-1)?.requestId).toBe(r.headers["x-request-id"]);
  });
});
