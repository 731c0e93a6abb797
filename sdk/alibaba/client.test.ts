import http from "http";
import type { AddressInfo } from "net";
import OpenApiClient, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import OpenApiUtil from "@alicloud/openapi-util";
import { RuntimeOptions } from "@alicloud/tea-util";
import RPCClient from "@alicloud/pop-core";
import type { Clock } from "../core/clock";
import { CloudError } from "../core/errors";
import type { AlicloudClientOptions } from "./client";
import { AlicloudRpcClient, alicloudEndpoint } from "./client";
import type { AlicloudSettings } from "./credentials";
import { MseClient, isMseNotFound } from "./mse/client";
import type { MigrationTaskListItem } from "./mse/contract";
import { mse } from "./mse/contract";
import { decodeParams, parseAcs3Authorization, verifyAcs3, verifyRpcV1 } from "./signer";

const AK = "LTAI5tEXAMPLEACCESSKEY";
const SK = "ExampleAccessKeySecret0000000000";

// ---------------------------------------------------------------------------------------------
// A tiny signature-checking server on 127.0.0.1, port 0.
// ---------------------------------------------------------------------------------------------

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Query and form parameters together, decoded. */
  params: Record<string, string>;
  action: string;
  /** The signature scheme the request used. */
  scheme: "v3" | "v1";
  nonce: string;
}

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as is. */
  body?: unknown;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
}

type Handler = (req: Seen) => Reply;

class TestServer {
  readonly seen: Seen[] = [];
  /** Answers for the next requests, in order; `fallback` after they run out. */
  readonly queue: Handler[] = [];
  fallback: Handler = () => ({ status: 500, body: { Code: "NoHandler", Message: "no handler" } });
  private server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const form = String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
        ? body
        : "";
      const params = { ...decodeParams(q < 0 ? "" : url.slice(q + 1)), ...decodeParams(form) };
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
      };
      const headerAuth = req.headers["authorization"];
      const scheme = headerAuth ? "v3" : "v1";
      const failure =
        scheme === "v3"
          ? verifyAcs3({ method: req.method ?? "", url, headers: req.headers, body }, SK)
          : verifyRpcV1(req.method ?? "", params, SK);
      const action = String(req.headers["x-acs-action"] ?? params.Action ?? "");
      const nonce = String(req.headers["x-acs-signature-nonce"] ?? params.SignatureNonce ?? "");
      const seen: Seen = {
        method: req.method ?? "",
        url,
        headers: req.headers,
        body,
        params,
        action,
        scheme,
        nonce,
      };
      this.seen.push(seen);
      if (failure) {
        send(400, { RequestId: "sig", HostId: "127.0.0.1", Code: failure.code, Message: failure.message });
        return;
      }
      if (scheme === "v3" && parseAcs3Authorization(String(headerAuth))?.accessKeyId !== AK) {
        send(404, {
          RequestId: "ak",
          Code: "InvalidAccessKeyId.NotFound",
          Message: "Specified access key is not found.",
        });
        return;
      }
      const reply = (this.queue.shift() ?? this.fallback)(seen);
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      send(reply.status ?? 200, reply.body ?? "", reply.headers);
    });
  }
}

/** A clock whose sleeps return at once and move time on; starts at the wall clock so signatures stay fresh. */
function fakeClock(): Clock & { sleeps: number[] } {
  let t = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

function settings(server: TestServer, extra: Partial<AlicloudSettings> = {}): AlicloudSettings {
  return {
    accessKeyId: AK,
    accessKeySecret: SK,
    region: "cn-hangzhou",
    sources: {},
    endpoints: { mse: server.url },
    ...extra,
  };
}

let server: TestServer;
let clock: ReturnType<typeof fakeClock>;
let logs: string[];
beforeEach(async () => {
  server = new TestServer();
  await server.start();
  clock = fakeClock();
  logs = [];
});
afterEach(async () => {
  await server.stop();
});

function mseClient(opts: AlicloudClientOptions = {}, extra: Partial<AlicloudSettings> = {}): MseClient {
  return MseClient.fromSettings(settings(server, extra), { clock, log: (m) => logs.push(m), ...opts });
}

async function caught(p: Promise<unknown>): Promise<CloudError> {
  try {
    await p;
  } catch (e) {
    if (CloudError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("expected a CloudError");
}

const addData = {
  Id: "12",
  UserId: "183876217*****",
  ClusterType: "Nacos-Ans",
  OriginInstanceAddress: "192.168.1.1:8848",
  OriginInstanceName: "src nacos",
  OriginInstanceNamespace: "ns1,ns2",
  ProjectDesc: "desc",
  SyncType: "Service",
  TargetClusterName: "dst",
  TargetClusterUrl: "mse-66-nacos-ans.mse.aliyuncs.com:8848",
  TargetInstanceId: "mse-cn-abc123",
};
const ok = (Data: unknown, extra: Record<string, unknown> = {}): Reply => ({
  body: { RequestId: "7466566F-0000", Success: true, ErrorCode: "", Message: "ok", ...extra, Data },
});

// ---------------------------------------------------------------------------------------------

describe("requests on the wire", () => {
  test.each(["v3", "v1"] as const)(
    "%s: POST /, parameters in the query, empty body, a signature the verifier accepts",
    async (v) => {
      server.queue.push(() => ok(addData));
      const res = await mseClient({ signatureVersion: v }).addMigrationTask({
        ClusterType: "Nacos-Ans",
        OriginInstanceName: "src nacos",
        OriginInstanceAddress: "192.168.1.1:8848",
        OriginInstanceNamespace: "ns1,ns2",
        ProjectDesc: "desc (test)*~! 中文 😀 a+b&c=d%",
        SyncType: "Service",
        AcceptLanguage: "en",
      });
      expect(res).toEqual({ id: "12", data: addData, recovered: false });
      const [r] = server.seen;
      expect([r.method, r.url.split("?")[0], r.body, r.scheme, r.action]).toEqual([
        "POST",
        "/",
        "",
        v,
        "AddMigrationTask",
      ]);
      expect(r.params).toMatchObject({
        ProjectDesc: "desc (test)*~! 中文 😀 a+b&c=d%",
        OriginInstanceName: "src nacos",
        AcceptLanguage: "en",
      });
      // The emulator validates the very same parameters with the shared contract.
      expect(mse.addMigrationTask.params.safeParse(r.params).success).toBe(true);
      if (v === "v3") {
        expect(r.headers["x-acs-version"]).toBe("2019-05-31");
        expect(r.headers["host"]).toBe(`127.0.0.1:${server.port}`);
        expect(r.params.Action).toBeUndefined();
      } else {
        expect(r.params).toMatchObject({
          Action: "AddMigrationTask",
          Version: "2019-05-31",
          Format: "json",
          SignatureMethod: "HMAC-SHA1",
        });
        expect(r.headers["authorization"]).toBeUndefined();
      }
    },
  );

  test.each(["v3", "v1"] as const)("%s with an STS token", async (v) => {
    server.queue.push(() => ok(true, { HttpCode: "200" }));
    await mseClient({ signatureVersion: v }, { securityToken: "STS-TOKEN" }).deleteMigrationTask("12");
    const [r] = server.seen;
    if (v === "v3") {
      expect(r.headers["x-acs-security-token"]).toBe("STS-TOKEN");
      expect(parseAcs3Authorization(String(r.headers["authorization"]))?.signedHeaders).toContain(
        "x-acs-security-token",
      );
    } else {
      expect(r.params.SecurityToken).toBe("STS-TOKEN");
    }
    expect(r.params.Id).toBe("12");
  });

  test("a wrong secret is refused by the verifier, surfaces as SignatureDoesNotMatch, and is not retried", async () => {
    const e = await caught(mseClient({}, { accessKeySecret: "wrong" }).deleteMigrationTask("1"));
    expect([e.code, e.httpStatus, e.retryable, server.seen.length]).toEqual([
      "SignatureDoesNotMatch",
      400,
      false,
      1,
    ]);
  });

  test("arrays and objects in parameters are flattened 1-based", async () => {
    server.queue.push(() => ok(true));
    const client = new AlicloudRpcClient("mse", settings(server), { clock });
    const op = { ...mse.deleteMigrationTask, params: mse.deleteMigrationTask.params.loose() };
    await client.call(op, { Id: "1", Tags: [{ Key: "k", Value: "v" }, "x"], Conf: { A: [true] } } as never);
    expect(server.seen[0].params).toMatchObject({
      "Tags.1.Key": "k",
      "Tags.1.Value": "v",
      "Tags.2": "x",
      "Conf.A.1": "true",
    });
  });
});

describe("error envelopes", () => {
  test("the POP gateway envelope: Code, Message, RequestId, HostId, Recommend", async () => {
    server.queue.push(() => ({
      status: 404,
      body: {
        RequestId: "R-1",
        HostId: "mse.cn-hangzhou.aliyuncs.com",
        Code: "InvalidAction.NotFound",
        Message: "Specified api is not found, please check your url and method.",
        Recommend: "https://api.aliyun.com/troubleshoot?q=InvalidAction.NotFound&product=mse",
      },
    }));
    const e = await caught(mseClient().updateMigrationTask("1", { ProjectDesc: "x" }));
    expect(e.cloud).toBe("alicloud");
    expect(e.service).toBe("mse");
    expect(e.operation).toBe("UpdateMigrationTask");
    expect([e.httpStatus, e.code, e.requestId, e.retryable]).toEqual([
      404,
      "InvalidAction.NotFound",
      "R-1",
      false,
    ]);
    expect(e.detail).toContain("Specified api is not found");
    expect(e.detail).toContain("https://api.aliyun.com/troubleshoot");
    expect(e.message).toMatch(
      /^alicloud mse UpdateMigrationTask failed: InvalidAction.NotFound \(HTTP 404, request R-1\)/,
    );
    expect(isMseNotFound(e)).toBe(false);
  });

  test("MSE's envelope with HTTP 404: Success false, ErrorCode, HttpCode as a string", async () => {
    server.queue.push(() => ({
      status: 404,
      body: {
        RequestId: "R-2",
        Success: false,
        ErrorCode: "NotFound",
        HttpCode: "404",
        Message: "Not found:12",
        Code: 404,
      },
    }));
    const e = await caught(mseClient().deleteMigrationTask("12"));
    expect([e.httpStatus, e.code, e.requestId, e.detail]).toEqual([404, "NotFound", "R-2", "Not found:12"]);
    expect(isMseNotFound(e)).toBe(true);
  });

  test.each([
    ["InvalidParameter", "400", 400, false],
    ["NotFound", "404", 404, false],
    ["NoPermission", "403", 403, false],
    ["InternalError", "500", 500, true],
  ])("HTTP 200 with Success false: %s (HttpCode %s) raises", async (code, httpCode, status, retryable) => {
    server.fallback = () => ({
      body: { RequestId: "R-3", Success: false, ErrorCode: code, HttpCode: httpCode, Message: `${code}:x` },
    });
    const e = await caught(
      mseClient({
        retry: { maxAttempts: 2, maxElapsedMs: 60_000, baseDelayMs: 1, maxDelayMs: 1 },
      }).updateMigrationTask("1", {}),
    );
    expect([e.code, e.httpStatus, e.retryable]).toEqual([code, status, retryable]);
    expect(e.detail).toContain("answered with HTTP 200 and Success: false");
    expect(server.seen.length).toBe(retryable ? 2 : 1);
    expect(isMseNotFound(e)).toBe(code === "NotFound");
  });

  test("an answer that does not match the contract (Add's Id as a number) is InvalidResponse", async () => {
    server.queue.push(() => ok({ ...addData, Id: 12 }));
    const e = await caught(mseClient().addMigrationTask({}));
    expect([e.code, e.retryable]).toEqual(["InvalidResponse", false]);
    expect(e.detail).toContain("Data.Id");
  });

  test("a non-JSON 502 is retried, and its text reaches the final error", async () => {
    server.fallback = () => ({
      status: 502,
      body: "<html>Bad Gateway</html>",
      headers: { "content-type": "text/html" },
    });
    const e = await caught(
      mseClient({
        retry: { maxAttempts: 3, maxElapsedMs: 60_000, baseDelayMs: 1, maxDelayMs: 1 },
      }).deleteMigrationTask("1"),
    );
    expect([e.httpStatus, e.attempts, e.detail]).toEqual([502, 3, "<html>Bad Gateway</html>"]);
  });
});

describe("retries: every attempt signed afresh", () => {
  test.each([
    ["Throttling.User", 400],
    ["Throttling.Api", 400],
    ["Throttling", 400],
    ["ServiceUnavailable", 503],
    ["InternalError", 500],
  ])("%s (HTTP %s) is retried with a new nonce each attempt (v3)", async (code, status) => {
    for (let i = 0; i < 2; i++)
      server.queue.push(() => ({ status, body: { RequestId: `R${i}`, Code: code, Message: "slow down" } }));
    server.queue.push(() => ok(true, { HttpCode: "200" }));
    await expect(mseClient().deleteMigrationTask("1")).resolves.toBe(true);
    expect(server.seen.map((s) => s.scheme)).toEqual(["v3", "v3", "v3"]);
    expect(new Set(server.seen.map((s) => s.nonce)).size).toBe(3);
    expect(new Set(server.seen.map((s) => s.headers["authorization"])).size).toBe(3);
    expect(clock.sleeps.length).toBe(2);
    expect(logs[0]).toMatch(
      new RegExp(
        `retrying mse DeleteMigrationTask \\(attempt 2\\) in \\d+ ms after ${code.replace(".", "\\.")}`,
      ),
    );
  });

  test("v1: a new SignatureNonce and Signature each attempt", async () => {
    server.queue.push(() => ({
      status: 400,
      body: {
        RequestId: "R",
        Code: "Throttling.User",
        Message: "Request was denied due to user flow control.",
      },
    }));
    server.queue.push(() => ok(true));
    await mseClient({ signatureVersion: "v1" }).deleteMigrationTask("1");
    const [a, b] = server.seen;
    expect(a.params.SignatureNonce).not.toBe(b.params.SignatureNonce);
    expect(a.params.Signature).not.toBe(b.params.Signature);
  });

  test("Retry-After is honoured", async () => {
    server.queue.push(() => ({
      status: 503,
      headers: { "retry-after": "7" },
      body: { RequestId: "R", Code: "ServiceUnavailable", Message: "busy" },
    }));
    server.queue.push(() => ok(true));
    await mseClient().deleteMigrationTask("1");
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(7000);
  });

  test("x-acs-retry-after (milliseconds, what the official clients read) wins over Retry-After", async () => {
    server.queue.push(() => ({
      status: 400,
      headers: { "x-acs-retry-after": "4500", "retry-after": "1" },
      body: {
        RequestId: "R",
        Code: "Throttling.User",
        Message: "Request was denied due to user flow control.",
      },
    }));
    server.queue.push(() => ok(true));
    await mseClient().deleteMigrationTask("1");
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(4500);
  });

  test("gives up after the policy's attempts, saying how many", async () => {
    server.fallback = () => ({
      status: 503,
      body: { RequestId: "R", Code: "ServiceUnavailable", Message: "busy" },
    });
    const e = await caught(mseClient().deleteMigrationTask("1"));
    expect([e.code, e.attempts, server.seen.length]).toEqual(["ServiceUnavailable", 6, 6]);
    expect(e.message).toContain("after 6 attempts");
  });

  test("throttling is retried past the policy's attempts, until the operation's deadline", async () => {
    server.fallback = () => ({
      status: 400,
      body: {
        RequestId: "R",
        Code: "Throttling.User",
        Message: "Request was denied due to user flow control.",
      },
    });
    const e = await caught(mseClient({ deadlineAt: clock.now() + 120_000 }).deleteMigrationTask("1"));
    expect(e.code).toBe("Throttling.User");
    expect(e.attempts).toBeGreaterThan(6);
    expect(server.seen.length).toBe(e.attempts);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(120_000);
  });

  test("a dropped connection is retried", async () => {
    server.queue.push(() => ({ destroy: true }));
    server.queue.push(() => ok(true));
    await expect(mseClient().deleteMigrationTask("1")).resolves.toBe(true);
    expect(server.seen.length).toBe(2);
  });

  test("a nonce source can be injected", async () => {
    let n = 0;
    server.queue.push(() => ok(true));
    await mseClient({ nonce: () => `nonce-${++n}` }).deleteMigrationTask("1");
    expect(server.seen[0].nonce).toBe("nonce-1");
  });
});

// ---------------------------------------------------------------------------------------------
// MseClient over a small in-memory service that pages like ListMigrationTask.
// ---------------------------------------------------------------------------------------------

function task(id: number, name = `src-${id}`): MigrationTaskListItem {
  return {
    Id: id,
    ClusterType: "Nacos-Ans",
    OriginInstanceName: name,
    OriginInstanceAddress: "10.0.0.1:8848",
    TargetInstanceId: "mse-cn-abc",
    GmtCreate: "2022-01-07T10:07:57.000+0000",
    GmtModified: "2022-01-07T10:07:57.000+0000",
  };
}

/** Answers ListMigrationTask from `tasks`, parsing its parameters with the shared contract. */
function listing(tasks: MigrationTaskListItem[], opts: { cap?: number; noTotal?: boolean } = {}): Handler {
  return (r) => {
    const p = mse.listMigrationTask.params.parse(r.params);
    const size = Math.min(p.PageSize ?? 10, opts.cap ?? Infinity);
    const page = p.PageNum ?? 1;
    const matching = tasks.filter(
      (t) => !p.OriginInstanceName || t.OriginInstanceName === p.OriginInstanceName,
    );
    const body = {
      RequestId: "L",
      Success: true,
      HttpCode: "200",
      PageNumber: page,
      PageSize: size,
      ...(opts.noTotal ? {} : { TotalCount: matching.length }),
      Data: matching.slice((page - 1) * size, page * size),
    };
    expect(mse.listMigrationTask.response.safeParse(body).success).toBe(true);
    return { body };
  };
}

describe("listMigrationTasks and findMigrationTask", () => {
  const tasks = Array.from({ length: 23 }, (_, i) => task(i + 1));

  test("pages with PageNum 1.. and PageSize until TotalCount, lazily", async () => {
    server.fallback = listing(tasks);
    const got: number[] = [];
    for await (const t of mseClient().listMigrationTasks({}, 10)) got.push(t.Id);
    expect(got).toEqual(tasks.map((t) => t.Id));
    expect(server.seen.map((s) => [s.params.PageNum, s.params.PageSize])).toEqual([
      ["1", "10"],
      ["2", "10"],
      ["3", "10"],
    ]);
  });

  test("a service that caps PageSize below the one asked for still yields every task", async () => {
    server.fallback = listing(tasks, { cap: 5 });
    const got: number[] = [];
    for await (const t of mseClient().listMigrationTasks({}, 10)) got.push(t.Id);
    expect(got).toEqual(tasks.map((t) => t.Id));
    expect(server.seen.length).toBe(5);
  });

  test("without TotalCount, a short page ends the listing", async () => {
    server.fallback = listing(tasks, { noTotal: true });
    let n = 0;
    for await (const _t of mseClient().listMigrationTasks({}, 10)) n++;
    expect([n, server.seen.length]).toEqual([23, 3]);
  });

  test("no tasks: Data may be absent", async () => {
    server.fallback = () => ({
      body: { RequestId: "L", Success: true, HttpCode: "200", PageNumber: 1, PageSize: 50, TotalCount: 0 },
    });
    let n = 0;
    for await (const _t of mseClient().listMigrationTasks()) n++;
    expect([n, server.seen.length]).toEqual([0, 1]);
  });

  test("findMigrationTask compares ids as text: a string id finds the numeric list Id", async () => {
    server.fallback = listing(tasks);
    expect((await mseClient().findMigrationTask("12"))?.Id).toBe(12);
    expect(server.seen.length).toBe(1);
  });

  test("findMigrationTask with the default page size: stops on the page holding the id", async () => {
    const many = Array.from({ length: 250 }, (_, i) => task(i + 1));
    server.fallback = listing(many);
    expect((await mseClient().findMigrationTask(175))?.Id).toBe(175);
    expect(server.seen.map((s) => [s.params.PageNum, s.params.PageSize])).toEqual([
      ["1", "100"],
      ["2", "100"],
    ]);
  });

  test("findMigrationTask narrows by originInstanceName and answers undefined when absent", async () => {
    server.fallback = listing(tasks);
    const c = mseClient();
    expect((await c.findMigrationTask("7", { originInstanceName: "src-7" }))?.OriginInstanceName).toBe(
      "src-7",
    );
    expect(server.seen[0].params.OriginInstanceName).toBe("src-7");
    expect(await c.findMigrationTask("7", { originInstanceName: "src-8" })).toBeUndefined();
    expect(await c.findMigrationTask("999")).toBeUndefined();
  });
});

describe("addMigrationTask never creates twice", () => {
  const params = {
    ClusterType: "Nacos-Ans" as const,
    OriginInstanceName: "src",
    OriginInstanceAddress: "10.0.0.1:8848",
    TargetInstanceId: "mse-cn-abc",
    SyncType: "All" as const,
  };

  test("an answer lost after the service created the task: found by listing, not created again", async () => {
    const store: MigrationTaskListItem[] = [{ ...task(3, "src"), TargetInstanceId: "mse-cn-other" }];
    server.queue.push(() => {
      store.push({ ...task(4, "src"), ...params });
      return {
        status: 500,
        body: {
          RequestId: "R",
          Code: "InternalError",
          Message: "The request processing has failed due to some unknown error.",
        },
      };
    });
    server.fallback = (r) =>
      r.action === "ListMigrationTask" ? listing(store)(r) : { status: 500, body: "unexpected" };
    const res = await mseClient().addMigrationTask(params);
    expect(res).toEqual({ id: "4", recovered: true });
    expect(server.seen.map((s) => s.action)).toEqual(["AddMigrationTask", "ListMigrationTask"]);
    expect(server.seen[1].params.OriginInstanceName).toBe("src");
    expect(logs.join("\n")).toContain("found the task as 4");
  });

  test("an answer lost before anything was created: looked up, then created again", async () => {
    server.queue.push(() => ({ destroy: true }));
    server.queue.push(listing([]));
    server.queue.push(() => ok({ ...addData, Id: "5" }));
    const res = await mseClient().addMigrationTask(params);
    expect([res.id, res.recovered]).toEqual(["5", false]);
    expect(server.seen.map((s) => s.action)).toEqual([
      "AddMigrationTask",
      "ListMigrationTask",
      "AddMigrationTask",
    ]);
    expect(server.seen[0].nonce).not.toBe(server.seen[2].nonce);
  });

  test("throttling is retried directly, without a lookup", async () => {
    server.queue.push(() => ({
      status: 400,
      body: {
        RequestId: "R",
        Code: "Throttling.User",
        Message: "Request was denied due to user flow control.",
      },
    }));
    server.queue.push(() => ok(addData));
    const res = await mseClient().addMigrationTask(params);
    expect(res.id).toBe("12");
    expect(server.seen.map((s) => s.action)).toEqual(["AddMigrationTask", "AddMigrationTask"]);
  });

  test("a client error is thrown at once", async () => {
    server.queue.push(() => ({
      status: 400,
      body: {
        RequestId: "R",
        Success: false,
        ErrorCode: "InvalidParameter",
        HttpCode: "400",
        Message: "Parameter error:ClusterType",
      },
    }));
    const e = await caught(mseClient().addMigrationTask(params));
    expect([e.code, server.seen.length]).toEqual(["InvalidParameter", 1]);
  });
});

describe("updateMigrationTask", () => {
  test("sends Id with the fields and answers the task with its times", async () => {
    const data = {
      ...addData,
      Id: "1",
      GmtCreate: "2022-01-07T10:07:57.000+0000",
      GmtModified: "2022-01-08T10:07:57.000+0000",
      SyncType: "",
    };
    server.queue.push(() => ok(data, { HttpCode: "200" }));
    const t = await mseClient().updateMigrationTask("1", {
      ProjectDesc: "new",
      OriginInstanceNamespace: "a,b",
    });
    expect(t).toEqual(data);
    expect(server.seen[0].params).toMatchObject({
      Id: "1",
      ProjectDesc: "new",
      OriginInstanceNamespace: "a,b",
    });
  });
});

describe("endpoints", () => {
  test.each([
    [undefined, "https://mse.cn-hangzhou.aliyuncs.com"],
    ["mse-vpc.cn-hangzhou.aliyuncs.com", "https://mse-vpc.cn-hangzhou.aliyuncs.com"],
    ["http://127.0.0.1:18081/", "http://127.0.0.1:18081"],
  ])("override %s gives %s", (override, url) => {
    expect(alicloudEndpoint("mse", "cn-hangzhou", override)).toBe(url);
  });

  test("the client takes the settings' region and MSE override", () => {
    expect(new AlicloudRpcClient("mse", { ...settings(server), endpoints: {} }).endpoint).toBe(
      "https://mse.cn-hangzhou.aliyuncs.com",
    );
    expect(new AlicloudRpcClient("mse", settings(server)).endpoint).toBe(server.url);
  });
});

// ---------------------------------------------------------------------------------------------
// The official clients, unstubbed, over real HTTP: the verifiers the emulator will use accept them.
// ---------------------------------------------------------------------------------------------

describe("official clients against the verifying server", () => {
  test.each([
    ["openapi-client v3", undefined, undefined],
    ["openapi-client v3 with STS", undefined, "STS-TOKEN"],
    ["openapi-client v1 (signatureAlgorithm v2)", "v2", undefined],
    ["openapi-client v1 with STS", "v2", "STS-TOKEN"],
  ])("%s", async (_name, signatureAlgorithm, securityToken) => {
    server.queue.push(() => ok(addData));
    const client = new OpenApiClient(
      new Config({
        accessKeyId: AK,
        accessKeySecret: SK,
        securityToken,
        endpoint: `127.0.0.1:${server.port}`,
        protocol: "HTTP",
        signatureAlgorithm,
      }),
    );
    const params = new Params({
      action: "AddMigrationTask",
      version: "2019-05-31",
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const query = OpenApiUtil.query({
      OriginInstanceName: "src nacos",
      ProjectDesc: "desc (test)*~! 中文",
      ClusterType: "Nacos-Ans",
    });
    const res = (await client.callApi(params, new OpenApiRequest({ query }), new RuntimeOptions({}))) as {
      body: { Data: { Id: string } };
    };
    expect(res.body.Data.Id).toBe("12");
    expect(server.seen[0].scheme).toBe(signatureAlgorithm ? "v1" : "v3");
    expect(server.seen[0].params).toMatchObject({
      OriginInstanceName: "src nacos",
      ProjectDesc: "desc (test)*~! 中文",
    });
  });

  test("pop-core 1.8.0, POST with a form body", async () => {
    server.queue.push(() => ({ body: { RequestId: "R", Success: true, Data: true } }));
    const client = new RPCClient({
      endpoint: server.url,
      apiVersion: "2019-05-31",
      accessKeyId: AK,
      accessKeySecret: SK,
    });
    const res = await client.request<{ Data: boolean }>(
      "DeleteMigrationTask",
      { Id: "12", Note: "a b+c*~" },
      { method: "POST" },
    );
    expect(res.Data).toBe(true);
    expect(server.seen[0]).toMatchObject({
      scheme: "v1",
      url: "/",
      params: { Id: "12", Note: "a b+c*~", Format: "JSON" },
    });
  });
});
