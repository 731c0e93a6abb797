import http from "http";
import type { AddressInfo } from "net";
import type { z } from "zod";
import type { Clock } from "../../core/clock";
import type { RestOperation } from "../../core/contract";
import { matchPath } from "../../core/contract";
import { collect } from "../../core/paginate";
import { HuaweiClient } from "../client";
import type { HuaweiSettings } from "../credentials";
import { DcsClient } from "./client";
import type { MigrationTask, MigrationTaskListItem } from "./contract";
import { dcs } from "./contract";

const PROJECT = "0123456789abcdef0123456789abcdef";

/** One request as the fake service saw it. */
interface Seen {
  op: string;
  method: string;
  url: string;
  contentType?: string;
  body: string;
}

/** What the handler of one operation returns. */
interface Answer {
  status?: number;
  json?: unknown;
  /** Drop the connection without answering (after the handler's effects). */
  drop?: boolean;
}

/**
 * A small stand-in for DCS on 127.0.0.1: routes with the contracts, validates request bodies and
 * its own answers with them, keeps tasks in memory. Deleted tasks leave the list but keep
 * answering their detail call with SUCCESS, as the real service may.
 */
class FakeDcs {
  readonly seen: Seen[] = [];
  /** Listed tasks, in creation order. */
  readonly listed = new Map<string, MigrationTask>();
  /** Deleted tasks that still answer their detail call. */
  readonly ghosts = new Map<string, MigrationTask>();
  /** Per-operation hooks run before the default handler; returning an answer replaces it. */
  readonly hooks: Record<string, (n: number, body: unknown) => Answer | undefined> = {};
  /** When true, `count` is the page's size instead of the total, the other reading of the docs. */
  countIsPageSize = false;
  endpoint = "";
  private seq = 0;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const answer = this.handle(req, body);
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      const text = answer.json === undefined ? "" : JSON.stringify(answer.json);
      res.writeHead(answer.status ?? 200, {
        "content-type": "application/json",
        "x-request-id": `req-${this.seen.length}`,
      });
      res.end(text);
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  count(op: string): number {
    return this.seen.filter((s) => s.op === op).length;
  }

  add(task: Partial<MigrationTask> & { task_name: string }): MigrationTask {
    const t: MigrationTask = {
      task_id: task.task_id ?? `task-${String(++this.seq).padStart(4, "0")}`,
      status: "RUNNING",
      migration_type: "online_migration",
      ...task,
    };
    this.listed.set(t.task_id, t);
    return t;
  }

  private handle(req: http.IncomingMessage, body: string): Answer {
    const url = new URL(req.url ?? "/", "http://x");
    const op = Object.values(dcs).find(
      (o: RestOperation) => o.method === req.method && matchPath(o.path, url.pathname) !== undefined,
    );
    if (!op) return { status: 404, json: { error_code: "APIGW.0101", error_msg: "The API does not exist" } };
    const params = matchPath(op.path, url.pathname) ?? {};
    this.seen.push({
      op: op.name,
      method: req.method ?? "",
      url: req.url ?? "",
      contentType: req.headers["content-type"],
      body,
    });
    if (params.project_id !== PROJECT)
      return { status: 400, json: { error_code: "DCS.4001", error_msg: "bad project" } };
    let parsed: unknown = undefined;
    if (op.body) {
      const r = (op.body as z.ZodType).safeParse(body === "" ? {} : JSON.parse(body));
      if (!r.success)
        return {
          status: 400,
          json: { error_code: "DCS.4000", error_msg: r.error.message, error_ext_msg: null },
        };
      parsed = r.data;
    }
    const hooked = this.hooks[op.name]?.(this.count(op.name), parsed);
    const answer = hooked ?? this.run(op.name, params, url.searchParams, parsed);
    if (!answer.drop && (answer.status ?? 200) < 400) {
      const checked = (op.response as z.ZodType).safeParse(answer.json);
      if (!checked.success)
        throw new Error(`fake DCS answer breaks the ${op.name} contract: ${checked.error.message}`);
    }
    return answer;
  }

  private run(op: string, p: Record<string, string>, q: URLSearchParams, body: unknown): Answer {
    const notFound: Answer = {
      status: 400,
      json: { error_code: "DCS.4133", error_msg: "The migration task does not exist.", error_ext_msg: null },
    };
    const task = (id: string) => this.listed.get(id) ?? this.ghosts.get(id);
    switch (op) {
      case "ListMigrationTask": {
        const name = q.get("name");
        const all = [...this.listed.values()].filter((t) => name === null || t.task_name.includes(name));
        const offset = Number(q.get("offset") ?? 0);
        const limit = Number(q.get("limit") ?? 10);
        const page = all.slice(offset, offset + limit).map((t): MigrationTaskListItem => ({
          task_id: t.task_id,
          task_name: t.task_name,
          status: t.status,
          migration_type: t.migration_type,
          target_instance_id: t.target_instance?.id,
          error_message: null,
        }));
        return { json: { count: this.countIsPageSize ? page.length : all.length, migration_tasks: page } };
      }
      case "ShowMigrationTask":
      case "StopMigrationTask": {
        const t = task(p.task_id);
        if (!t) return notFound;
        if (op === "StopMigrationTask") t.status = "TERMINATING";
        return { json: t };
      }
      case "CreateOnlineMigrationTask": {
        const b = body as z.output<typeof dcs.createOnlineMigrationTask.body>;
        const t = this.add({ task_name: b.name, description: b.description });
        return { json: { instance_id: t.task_id, job_id: `job-${t.task_id}` } };
      }
      case "CreateMigrationTask": {
        const b = body as z.output<typeof dcs.createMigrationTask.body>;
        const t = this.add({
          task_name: b.task_name,
          status: "MIGRATING",
          migration_type: "backupfile_import",
          target_instance: { id: b.target_instance.id },
        });
        return { json: { id: t.task_id, name: t.task_name, status: t.status } };
      }
      case "ShowJobInfo":
        return { json: { job_id: p.job_id, status: "SUCCESS", begin_time: "1753423975000" } };
      case "SetOnlineMigrationTask": {
        const t = task(p.task_id);
        if (!t) return notFound;
        const b = body as z.output<typeof dcs.setOnlineMigrationTask.body>;
        Object.assign(t, {
          status: "FULLMIGRATING",
          migration_method: b.migration_method,
          resume_mode: b.resume_mode,
          bandwidth_limit_mb: b.bandwidth_limit_mb,
        });
        return { json: { id: t.task_id, name: t.task_name, status: t.status } };
      }
      case "BatchStopMigrationTasks":
      case "BatchRestartOnlineMigrationTasks": {
        const ids = (body as z.output<typeof dcs.batchStopMigrationTasks.body>).migration_tasks;
        return {
          json: {
            migration_tasks: ids.map((id) =>
              this.listed.has(id)
                ? { result: "success", task_id: id }
                : { result: "failed", task_id: id, error_code: "DCS.4133", error_msg: "not found" },
            ),
          },
        };
      }
      case "DeleteMigrationTask": {
        const ids = (body as z.output<typeof dcs.deleteMigrationTask.body>).task_id_list;
        for (const id of ids) {
          const t = this.listed.get(id);
          if (!t) continue;
          this.listed.delete(id);
          // What the real service was seen doing: the detail call keeps answering, with SUCCESS.
          this.ghosts.set(id, { ...t, status: "SUCCESS" });
        }
        return { json: { task_id_list: ids } };
      }
      case "UpdateMigrationTask": {
        const t = task(p.task_id);
        if (!t) return notFound;
        t.resume_mode = (body as z.output<typeof dcs.updateMigrationTask.body>).resume_mode;
        return { status: 204 };
      }
      case "ExchangeInstanceIp":
      case "RollbackExchangeInstanceIp": {
        const t = task(p.task_id);
        if (!t) return notFound;
        t.task_status = op === "ExchangeInstanceIp" ? "EXCHANGE_SUCCESS" : "ROLLBACK_SUCCESS";
        return { status: 204 };
      }
      case "StopMigrationTaskSync":
        return { status: 204 };
      case "ShowMigrationTaskStats":
        return {
          json: {
            full_migration_progress: "100",
            offset: "1",
            source_dbsize: "10",
            target_dbsize: "10",
            target_input_kbps: "0",
            target_ops: "0",
            is_migrating: false,
          },
        };
      case "ListMigrationTaskLogs": {
        const all = Array.from({ length: 7 }, (_, i) => ({
          created_at: `t${i}`,
          log_level: "INFO",
          message: `line ${i}`,
        }));
        const offset = Number(q.get("offset") ?? 0);
        const limit = Number(q.get("limit") ?? 10);
        return { json: { log_num: all.length, migration_logs: all.slice(offset, offset + limit) } };
      }
      default:
        return { status: 500, json: { error_code: "DCS.5000", error_msg: `fake has no handler for ${op}` } };
    }
  }
}

/** A clock whose sleeps return at once, so that retries cost no wall time. */
function fakeClock(): Clock {
  let t = Date.UTC(2025, 6, 25);
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

function settings(endpoint: string): HuaweiSettings {
  return {
    accessKey: "HPUAEXAMPLEAK0000001",
    secretKey: "ExampleSecretKey0000000000000000000000001",
    region: "cn-north-4",
    projectId: PROJECT,
    sources: {},
    endpoints: { dcs: endpoint },
  };
}

describe("DcsClient against a local DCS stand-in", () => {
  let fake: FakeDcs;
  let client: DcsClient;

  beforeEach(async () => {
    fake = new FakeDcs();
    await fake.start();
    client = new DcsClient(
      new HuaweiClient("dcs", settings(fake.endpoint), { clock: fakeClock(), timeoutMs: 5000 }),
    );
  });

  afterEach(async () => {
    await fake.stop();
  });

  test("a missing project id fails at construction, naming the setting and where to put it", () => {
    const http = new HuaweiClient("dcs", { ...settings(fake.endpoint), projectId: undefined });
    expect(() => new DcsClient(http)).toThrow(
      /project id not found[\s\S]*huaweicloud:projectId[\s\S]*HW_PROJECT_ID/,
    );
    expect(() => new DcsClient(new HuaweiClient("sms", settings(fake.endpoint)))).toThrow(/service "dcs"/);
  });

  test("listTasks pages with offset/limit, lazily, until the last short page", async () => {
    for (let i = 0; i < 250; i++) fake.add({ task_name: `t-${i}` });
    const all = await collect(client.listTasks({}, 100));
    expect(all).toHaveLength(250);
    expect(new Set(all.map((t) => t.task_id)).size).toBe(250);
    const urls = fake.seen.map((s) => s.url);
    expect(urls).toEqual([
      `/v2/${PROJECT}/migration-tasks?offset=0&limit=100`,
      `/v2/${PROJECT}/migration-tasks?offset=100&limit=100`,
      `/v2/${PROJECT}/migration-tasks?offset=200&limit=100`,
    ]);

    // Lazy: taking the first item fetches one page only.
    fake.seen.length = 0;
    for await (const t of client.listTasks({ name: "t-1" }, 5)) {
      expect(t.task_name).toContain("t-1");
      break;
    }
    expect(fake.seen.map((s) => s.url)).toEqual([`/v2/${PROJECT}/migration-tasks?name=t-1&offset=0&limit=5`]);
  });

  test("paging is complete whether count is the total or the page size (the docs do not say)", async () => {
    for (let i = 0; i < 20; i++) fake.add({ task_name: `t-${i}` });
    fake.countIsPageSize = true;
    expect(await collect(client.listTasks({}, 10))).toHaveLength(20);
    // 10 + 10 + an empty page: a full last page cannot be told from a middle one.
    expect(fake.count("ListMigrationTask")).toBe(3);

    fake.seen.length = 0;
    fake.countIsPageSize = false;
    expect(await collect(client.listTasks({}, 10))).toHaveLength(20);
  });

  test("findTask: DCS.4133 (HTTP 400) is not-found; other errors, a bare 404 included, are thrown", async () => {
    await expect(client.findTask("no-such-task")).resolves.toBeUndefined();
    expect(fake.count("ShowMigrationTask")).toBe(1);

    fake.hooks.ShowMigrationTask = () => ({
      status: 404,
      json: { error_code: "APIGW.0101", error_msg: "The API does not exist" },
    });
    await expect(client.findTask("x")).rejects.toMatchObject({ code: "APIGW.0101", httpStatus: 404 });

    fake.hooks.ShowMigrationTask = () => ({
      status: 403,
      json: { error_code: "APIGW.0302", error_msg: "denied" },
    });
    await expect(client.findTask("x")).rejects.toMatchObject({ code: "APIGW.0302", httpStatus: 403 });

    // The raw call keeps the service's error for callers that need it.
    delete fake.hooks.ShowMigrationTask;
    await expect(client.showTask("no-such-task")).rejects.toMatchObject({
      code: "DCS.4133",
      httpStatus: 400,
      operation: "ShowMigrationTask",
      service: "dcs",
    });
  });

  test("findTask cross-checks the list: a deleted task still answering SUCCESS is gone", async () => {
    const live = fake.add({ task_name: "done", status: "SUCCESS" });
    const running = fake.add({ task_name: "busy", status: "INCRMIGEATING" });
    const ghost = fake.add({ task_name: "deleted" });
    await client.deleteTasks([ghost.task_id]);

    // Still answers its detail call...
    await expect(client.showTask(ghost.task_id)).resolves.toMatchObject({ status: "SUCCESS" });
    await expect(client.isListed(ghost.task_id)).resolves.toBe(false);
    // ...but is gone for findTask.
    await expect(client.findTask(ghost.task_id)).resolves.toBeUndefined();
    // A listed SUCCESS task is found; the cross-check narrowed the list by name.
    fake.seen.length = 0;
    await expect(client.findTask(live.task_id)).resolves.toMatchObject({
      task_id: live.task_id,
      status: "SUCCESS",
    });
    expect(fake.seen.map((s) => s.url)[1]).toBe(
      `/v2/${PROJECT}/migration-tasks?name=done&offset=0&limit=100`,
    );
    // A running task needs no cross-check.
    fake.seen.length = 0;
    await expect(client.findTask(running.task_id)).resolves.toMatchObject({ status: "INCRMIGEATING" });
    expect(fake.count("ListMigrationTask")).toBe(0);
    // DELETED in the detail is gone without asking the list.
    fake.ghosts.set("d-1", { task_id: "d-1", task_name: "d", status: "DELETED" });
    fake.seen.length = 0;
    await expect(client.findTask("d-1")).resolves.toBeUndefined();
    expect(fake.count("ListMigrationTask")).toBe(0);
  });

  test("deleteTasks sends DELETE with a JSON body {task_id_list}", async () => {
    const a = fake.add({ task_name: "a" });
    const b = fake.add({ task_name: "b" });
    await expect(client.deleteTasks([a.task_id, b.task_id])).resolves.toEqual([a.task_id, b.task_id]);
    const del = fake.seen.find((s) => s.op === "DeleteMigrationTask");
    expect(del).toMatchObject({
      method: "DELETE",
      url: `/v2/${PROJECT}/migration-tasks/delete`,
      contentType: "application/json",
    });
    expect(JSON.parse(del?.body ?? "")).toEqual({ task_id_list: [a.task_id, b.task_id] });
    expect(fake.listed.size).toBe(0);
  });

  test("a lost create answer is recovered by name, without a second create", async () => {
    // The task is created, then the connection drops before the answer.
    fake.hooks.CreateOnlineMigrationTask = (n, body) => {
      if (n !== 1) return undefined;
      fake.add({ task_name: (body as { name: string }).name });
      return { drop: true };
    };
    const logs: string[] = [];
    const res = await client.createOnlineTask(
      { name: "mig-1", vpc_id: "vpc-1", subnet_id: "subnet-1", security_group_id: "sg-1" },
      { log: (m) => logs.push(m) },
    );
    expect(res).toEqual({ id: [...fake.listed.keys()][0], recovered: true });
    expect(fake.count("CreateOnlineMigrationTask")).toBe(1);
    expect(fake.listed.size).toBe(1);
    expect(logs.join("\n")).toMatch(/lost its answer; found it as task-/);
  });

  test("recovery ignores a same-named task that existed before the create (replacement)", async () => {
    const old = fake.add({ task_name: "mig-1", status: "INCRMIGEATING" });
    fake.hooks.CreateOnlineMigrationTask = (n, body) => {
      if (n !== 1) return undefined;
      fake.add({ task_name: (body as { name: string }).name });
      return { drop: true };
    };
    const res = await client.createOnlineTask({
      name: "mig-1",
      vpc_id: "v",
      subnet_id: "s",
      security_group_id: "g",
    });
    expect(res.recovered).toBe(true);
    expect(res.id).not.toBe(old.task_id);
    expect(fake.listed.size).toBe(2);
  });

  test("a create lost before it took effect is sent again; the normal answer carries the job id", async () => {
    fake.hooks.CreateOnlineMigrationTask = (n) => (n === 1 ? { drop: true } : undefined);
    const res = await client.createOnlineTask({
      name: "mig-2",
      vpc_id: "v",
      subnet_id: "s",
      security_group_id: "g",
    });
    expect(res.recovered).toBe(false);
    expect(res.jobId).toBe(`job-${res.id}`);
    expect(fake.count("CreateOnlineMigrationTask")).toBe(2);
    expect(fake.listed.size).toBe(1);
    await expect(client.showJob(res.jobId ?? "")).resolves.toMatchObject({ status: "SUCCESS" });
  });

  test("a refused create (4xx) is not retried", async () => {
    fake.hooks.CreateOnlineMigrationTask = () => ({
      status: 400,
      json: { error_code: "DCS.4049", error_msg: "instance not running", error_ext_msg: null },
    });
    await expect(
      client.createOnlineTask({ name: "mig-3", vpc_id: "v", subnet_id: "s", security_group_id: "g" }),
    ).rejects.toMatchObject({ code: "DCS.4049", httpStatus: 400 });
    expect(fake.count("CreateOnlineMigrationTask")).toBe(1);
  });

  test("backup import: created, and a lost answer recovered by name and target instance", async () => {
    const body = {
      task_name: "import-1",
      migration_type: "backupfile_import" as const,
      migration_method: "full_amount_migration" as const,
      backup_files: {
        file_source: "self_build_obs" as const,
        bucket_name: "b",
        files: [{ file_name: "dump.rdb" }],
      },
      target_instance: { id: "target-1", password: "pw" },
    };
    await expect(client.createBackupImportTask(body)).resolves.toMatchObject({
      status: "MIGRATING",
      recovered: false,
    });

    // Same name, other target: not ours.
    fake.add({
      task_name: "import-2",
      migration_type: "backupfile_import",
      target_instance: { id: "other" },
    });
    fake.hooks.CreateMigrationTask = (n) => {
      if (n !== 2) return undefined;
      fake.add({
        task_name: "import-2",
        status: "MIGRATING",
        migration_type: "backupfile_import",
        target_instance: { id: "target-1" },
      });
      return { status: 503, json: { error_code: "DCS.5000", error_msg: "busy" } };
    };
    const res = await client.createBackupImportTask({ ...body, task_name: "import-2" });
    expect(res.recovered).toBe(true);
    expect(fake.listed.get(res.id)?.target_instance?.id).toBe("target-1");
    expect(fake.count("CreateMigrationTask")).toBe(2);
  });

  test("the other operations reach the right method and path and parse their answers", async () => {
    const t = fake.add({ task_name: "ops" });
    const id = t.task_id;
    const base = `/v2/${PROJECT}/migration-task/${id}`;

    await expect(
      client.configureOnlineTask(id, {
        migration_method: "incremental_migration",
        resume_mode: "auto",
        bandwidth_limit_mb: "100",
        source_instance: { addrs: "192.168.0.200:6379" },
        target_instance: { id: "target-1" },
      }),
    ).resolves.toEqual({ id, name: "ops", status: "FULLMIGRATING" });
    await expect(client.showTask(id)).resolves.toMatchObject({
      bandwidth_limit_mb: "100",
      resume_mode: "auto",
    });

    await client.updateResumeMode(id, "manual");
    await expect(client.showTask(id)).resolves.toMatchObject({ resume_mode: "manual" });

    await client.exchangeIp(id, { exchanged_ip: ["192.168.0.1"], is_exchange_domain: false });
    await expect(client.showTask(id)).resolves.toMatchObject({ task_status: "EXCHANGE_SUCCESS" });
    await client.rollbackIp(id);
    await expect(client.showTask(id)).resolves.toMatchObject({ task_status: "ROLLBACK_SUCCESS" });

    await expect(client.stats(id)).resolves.toMatchObject({
      full_migration_progress: "100",
      is_migrating: false,
    });
    expect(await collect(client.listLogs(id, { log_level: "INFO" }, 3))).toHaveLength(7);

    await expect(client.batchStopTasks([id, "missing"])).resolves.toEqual([
      { result: "success", task_id: id },
      { result: "failed", task_id: "missing", error_code: "DCS.4133", error_msg: "not found" },
    ]);
    await expect(client.batchRestartTasks([id])).resolves.toEqual([{ result: "success", task_id: id }]);
    await expect(client.stopTask(id)).resolves.toMatchObject({ status: "TERMINATING" });
    await client.stopTaskSync(id);

    const calls = fake.seen.map((s) => `${s.method} ${s.url.split("?")[0]}`);
    expect(calls).toEqual(
      expect.arrayContaining([
        `POST /v2/${PROJECT}/migration/${id}/task`,
        `PUT ${base}`,
        `POST ${base}/exchange-ip`,
        `POST ${base}/rollback-ip`,
        `GET ${base}/stats`,
        `GET ${base}/logs`,
        `POST /v2/${PROJECT}/migration-task/batch-stop`,
        `POST /v2/${PROJECT}/migration-tasks/batch-restart`,
        `POST ${base}/stop`,
        `POST ${base}/sync-stop`,
      ]),
    );
    const put = fake.seen.find((s) => s.method === "PUT");
    expect(JSON.parse(put?.body ?? "")).toEqual({ resume_mode: "manual" });
    expect(fake.seen.filter((s) => s.op === "ListMigrationTaskLogs").map((s) => s.url.split("?")[1])).toEqual(
      [
        "log_level=INFO&offset=0&limit=3",
        "log_level=INFO&offset=3&limit=3",
        "log_level=INFO&offset=6&limit=3",
      ],
    );
  });
});
