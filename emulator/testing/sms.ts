/**
 * SMS helpers for emulator tests: a create body for the demo data, and a small raw client whose
 * every successful answer is parsed with the contract's response schema.
 */
import type { z } from "zod";
import type { RestOperation } from "../../sdk/core/contract";
import type { PostTask } from "../../sdk/huawei/sms/contract";
import { sms } from "../../sdk/huawei/sms/contract";
import { emulatorDefaults } from "../defaults";
import { smsDemoIds } from "../huawei/sms/demo";
import type { HuaweiAuth, HuaweiReply } from "./huawei-http";
import { huaweiCall } from "./huawei-http";

/** A valid create body for demo source web-01 → target ecs-web-01, with overrides. */
export function createTaskBody(over: Partial<PostTask> = {}): PostTask {
  return {
    name: "web01-migration",
    type: "MIGRATE_BLOCK",
    os_type: "LINUX",
    source_server: { id: smsDemoIds.sources.web01 },
    target_server: { name: "ecs-web-01", vm_id: smsDemoIds.targets.ecsWeb01 },
    region_name: emulatorDefaults.region,
    region_id: emulatorDefaults.region,
    project_name: emulatorDefaults.region,
    project_id: emulatorDefaults.projectId,
    ...over,
  };
}

/** Thrown when a 2xx answer does not parse with the contract: the emulator broke its contract. */
function parseOk<O extends RestOperation>(op: O, r: HuaweiReply): z.output<O["response"]> {
  const parsed = op.response.safeParse(r.json);
  if (!parsed.success)
    throw new Error(`${op.name} answer breaks the contract: ${parsed.error.message}\n${r.text}`);
  return parsed.data as z.output<O["response"]>;
}

/** Raw SMS calls against one emulator. */
export class SmsTestClient {
  constructor(
    readonly url: string,
    readonly auth?: HuaweiAuth,
  ) {}

  call(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
    query?: Record<string, string | number | boolean>,
  ) {
    return huaweiCall(this.url, { method, path, body, query, auth: this.auth });
  }

  /** Creates a task; throws unless 200. */
  async create(over: Partial<PostTask> = {}): Promise<string> {
    const r = await this.call("POST", "/v3/tasks", createTaskBody(over));
    if (r.status !== 200) throw new Error(`create failed: ${r.status} ${r.text}`);
    return parseOk(sms.createTask, r).id;
  }

  /** The task read model; throws unless 200. */
  async show(id: string): Promise<z.output<typeof sms.showTask.response>> {
    const r = await this.call("GET", `/v3/tasks/${id}`);
    if (r.status !== 200) throw new Error(`show failed: ${r.status} ${r.text}`);
    return parseOk(sms.showTask, r);
  }

  /** `POST /action`; returns the raw answer (parsed with the contract when 200). */
  async action(id: string, operation: string, extra: Record<string, unknown> = {}): Promise<HuaweiReply> {
    const r = await this.call("POST", `/v3/tasks/${id}/action`, { operation, ...extra });
    if (r.status === 200) parseOk(sms.updateTaskStatus, r);
    return r;
  }

  async source(id: string): Promise<z.output<typeof sms.showServer.response>> {
    const r = await this.call("GET", `/v3/sources/${id}`);
    if (r.status !== 200) throw new Error(`show source failed: ${r.status} ${r.text}`);
    return parseOk(sms.showServer, r);
  }

  async list(
    query: Record<string, string | number | boolean> = {},
  ): Promise<z.output<typeof sms.listTasks.response>> {
    const r = await this.call("GET", "/v3/tasks", undefined, query);
    if (r.status !== 200) throw new Error(`list failed: ${r.status} ${r.text}`);
    return parseOk(sms.listTasks, r);
  }
}

/** `{status, code}` of an error answer, for compact assertions. */
export function errorOf(r: HuaweiReply): { status: number; code: unknown } {
  return { status: r.status, code: (r.json as { error_code?: unknown } | undefined)?.error_code };
}
