/**
 * A client of the `migration-tasks` provider plugin that starts it as the engine does: through
 * `@pulumi/pulumi/cmd/run-plugin <package folder> <engine address>` (what the Node.js language
 * host runs for a folder with a PulumiPlugin.yaml), reading the port from the first stdout line,
 * then calling the ResourceProvider service with the SDK's generated stubs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as readline from "node:readline";
import type { PluginInfo } from "@pulumi/pulumi/proto/plugin_pb";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import {
  emptyproto,
  fromStruct,
  grpc,
  provgrpc,
  provproto,
  statusproto,
  toStruct,
  type ResourceProviderClient,
  type ServiceError,
} from "../harness/sdkModules";
import type { PropertyMap } from "../harness/secrets";
import { repoRoot } from "./helpers";

/** A failed call, with the task the engine keeps in state when the create half-succeeded. */
export class PluginCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
    readonly initFailure?: { id: string; properties: PropertyMap; reasons: string[] },
  ) {
    super(`${method}: ${details}`);
  }
}

/** The running plugin process and a client of it. */
export class PluginClient {
  /** What the plugin printed after the port line (stdout and stderr), one entry per line. */
  readonly logs: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** The first stdout line, as printed. */
    readonly portLine: string,
    private readonly client: ResourceProviderClient,
  ) {}

  /** Starts the plugin with `env` as its whole environment (plus PATH). */
  static async start(env: Record<string, string>, engineAddress?: string): Promise<PluginClient> {
    const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin", { paths: [repoRoot] });
    const args = [runPlugin, repoRoot, ...(engineAddress ? [engineAddress] : [])];
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const early: string[] = [];
    const out = readline.createInterface({ input: child.stdout! });
    const err = readline.createInterface({ input: child.stderr! });
    const sink: { instance?: PluginClient } = {};
    err.on("line", (l) => (sink.instance ? sink.instance.logs.push(l) : early.push(l)));
    const portLine = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the plugin printed no port within 30 s:\n${early.join("\n")}`));
      }, 30_000);
      out.once("line", (l) => {
        clearTimeout(timer);
        resolve(l);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the plugin exited (${code}) before its port:\n${early.join("\n")}`));
      });
    });
    const port = Number(portLine);
    const client = new provgrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    const instance = new PluginClient(child, port, portLine, client);
    sink.instance = instance;
    instance.logs.push(...early);
    out.on("line", (l) => instance.logs.push(l));
    return instance;
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      this.child.kill("SIGTERM");
      await exited;
    }
  }

  private unary<T>(
    method: string,
    invoke: (cb: (err: ServiceError | null, resp: T) => void) => unknown,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      invoke((err, resp) => (err ? reject(toError(method, err)) : resolve(resp))),
    );
  }

  async handshake(): Promise<pb.ProviderHandshakeResponse> {
    const req = new provproto.ProviderHandshakeRequest();
    req.setEngineAddress("");
    return this.unary("Handshake", (cb) => this.client.handshake(req, cb));
  }

  async pluginVersion(): Promise<string> {
    const info = await this.unary<PluginInfo>("GetPluginInfo", (cb) =>
      this.client.getPluginInfo(new emptyproto.Empty(), cb),
    );
    return info.getVersion();
  }

  async schema(): Promise<unknown> {
    const req = new provproto.GetSchemaRequest();
    const resp = await this.unary<pb.GetSchemaResponse>("GetSchema", (cb) => this.client.getSchema(req, cb));
    return JSON.parse(resp.getSchema()) as unknown;
  }

  async checkConfig(news: PropertyMap): Promise<{ inputs: PropertyMap; failures: string[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn("urn:pulumi:test::plugin::pulumi:providers:migration-tasks::default");
    req.setOlds(toStruct({}));
    req.setNews(toStruct(news));
    const resp = await this.unary<pb.CheckResponse>("CheckConfig", (cb) => this.client.checkConfig(req, cb));
    return {
      inputs: fromStruct(resp.getInputs()),
      failures: resp.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`),
    };
  }

  /** Configure as the engine sends it: checked inputs (secrets wrapped) in `args`. */
  async configure(args: PropertyMap): Promise<pb.ConfigureResponse> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    return this.unary("Configure", (cb) => this.client.configure(req, cb));
  }

  async check(
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<{ inputs: PropertyMap; failures: string[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setType(typeOf(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.unary<pb.CheckResponse>("Check", (cb) => this.client.check(req, cb));
    return {
      inputs: fromStruct(resp.getInputs()),
      failures: resp.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`),
    };
  }

  async diff(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<{ changes: boolean; replaces: string[] }> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setType(typeOf(urn));
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const resp = await this.unary<pb.DiffResponse>("Diff", (cb) => this.client.diff(req, cb));
    return {
      changes: resp.getChanges() === provproto.DiffResponse.DiffChanges.DIFF_SOME,
      replaces: resp.getReplacesList(),
    };
  }

  async create(
    urn: string,
    props: PropertyMap,
    timeoutSeconds = 0,
  ): Promise<{ id: string; outs: PropertyMap }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setType(typeOf(urn));
    req.setProperties(toStruct(props));
    req.setTimeout(timeoutSeconds);
    const resp = await this.unary<pb.CreateResponse>("Create", (cb) => this.client.create(req, cb));
    return { id: resp.getId(), outs: fromStruct(resp.getProperties()) };
  }

  async read(
    urn: string,
    id: string,
    props: PropertyMap,
  ): Promise<{ id: string; outs: PropertyMap; inputs: PropertyMap }> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setType(typeOf(urn));
    req.setId(id);
    req.setProperties(toStruct(props));
    const resp = await this.unary<pb.ReadResponse>("Read", (cb) => this.client.read(req, cb));
    return { id: resp.getId(), outs: fromStruct(resp.getProperties()), inputs: fromStruct(resp.getInputs()) };
  }

  async update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    timeoutSeconds = 0,
  ): Promise<PropertyMap> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setType(typeOf(urn));
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setTimeout(timeoutSeconds);
    const resp = await this.unary<pb.UpdateResponse>("Update", (cb) => this.client.update(req, cb));
    return fromStruct(resp.getProperties());
  }

  async delete(urn: string, id: string, props: PropertyMap, timeoutSeconds = 0): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setType(typeOf(urn));
    req.setId(id);
    req.setProperties(toStruct(props));
    req.setTimeout(timeoutSeconds);
    await this.unary<Empty>("Delete", (cb) => this.client.delete(req, cb));
  }
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` of a resource of the plugin. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::plugin::${type}::${name}`;
}

function typeOf(urn: string): string {
  return urn.split("::")[2] ?? "";
}

function toError(method: string, err: ServiceError): PluginCallError {
  let init: PluginCallError["initFailure"];
  for (const bin of err.metadata?.get("grpc-status-details-bin") ?? []) {
    if (typeof bin === "string") continue;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
    for (const d of status.getDetailsList()) {
      const msg = d.unpack(
        provproto.ErrorResourceInitFailed.deserializeBinary,
        "pulumirpc.ErrorResourceInitFailed",
      );
      if (msg)
        init = {
          id: msg.getId(),
          properties: fromStruct(msg.getProperties()),
          reasons: msg.getReasonsList(),
        };
    }
  }
  return new PluginCallError(method, err.code, err.details || err.message, init);
}
