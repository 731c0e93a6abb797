/**
 * Starts and drives the real `@pulumi/pulumi/cmd/dynamic-provider` gRPC server the way the Pulumi
 * engine does for `pulumi up`, without a Pulumi CLI.
 *
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from "child_process";
import * as readline from "readline";
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
} from "./sdkModules";
import {
  RESOURCE_REFERENCE_SIG,
  SPECIAL_SIG_KEY,
  UNKNOWN,
  annotateSecrets,
  isPlainObject,
  stripSecretsFromMap,
  type PropertyMap,
} from "./secrets";

/** Options of {@link ProviderProcess.start}. */
export interface ProviderProcessOptions {
  /**
   * Working directory of the provider process. The engine uses the Pulumi project directory (or
   * the directory of `main:`); closures `require()` packages and relative files from there.
   */
  cwd: string;
  /** Project name, exported as `PULUMI_NODEJS_PROJECT` and `PULUMI_PROJECT` like the engine does. */
  project: string;
  /** Extra environment variables (for example `PULUMI_CONFIG`), added to the current environment. */
  env?: Record<string, string>;
  /** How long to wait for the port handshake. Defaults to 30 s. */
  startTimeoutMs?: number;
  /** Called with each line as the provider prints it, as the CLI shows them while a step runs. */
  onLog?: (entry: ProviderLogEntry) => void;
}

/** One line the provider process wrote after its port, with the stream it came from. */
export interface ProviderLogEntry {
  /** `stdout` lines become info diagnostics in the CLI, `stderr` lines infoerr diagnostics. */
  stream: "stdout" | "stderr";
  /** The line, without its newline. */
  line: string;
}

/** Result of {@link ProviderProcess.configure}. */
export interface ConfigureResult {
  /** Whether the provider accepts secret-wrapped values (the dynamic provider says `false`). */
  acceptSecrets: boolean;
  /** Whether the provider accepts resource references (the dynamic provider says `false`). */
  acceptResources: boolean;
  /** Whether Create/Update may be called during preview (the dynamic provider says `false`). */
  supportsPreview: boolean;
}

/** One Check failure, with a top-level property name (or "" for the whole resource). */
export interface CheckFailure {
  /** Property that failed validation. */
  property: string;
  /** Why. */
  reason: string;
}

/** Result of {@link ProviderProcess.check}. */
export interface CheckResult {
  /** Checked inputs, secretness re-annotated from the `news` that were sent. */
  inputs: PropertyMap;
  /** Validation failures; empty when the inputs are valid. */
  failures: CheckFailure[];
}

/** How a Diff answered. */
export type DiffChanges = "DIFF_UNKNOWN" | "DIFF_NONE" | "DIFF_SOME";

/** Result of {@link ProviderProcess.diff}. */
export interface DiffResult {
  /** `DIFF_UNKNOWN` when the provider has no `diff` or left `changes` undefined. */
  changes: DiffChanges;
  /** Properties whose change requires replacement. */
  replaces: string[];
  /** Whether the provider asks for delete-before-replace. */
  deleteBeforeReplace: boolean;
}

/** Result of {@link ProviderProcess.create}. */
export interface CreateResult {
  /** The new resource id ("" if the provider returned none or a non-string). */
  id: string;
  /** Outputs, secretness re-annotated from the inputs. */
  properties: PropertyMap;
}

/** Result of {@link ProviderProcess.read}. */
export interface ReadResult {
  /** The id; "" means the resource no longer exists. */
  id: string;
  /** Refreshed outputs, secretness re-annotated from the state that was sent. */
  properties: PropertyMap;
  /** Refreshed inputs, when the provider returned them (SDK ≥ 3.216). */
  inputs?: PropertyMap;
}

/** Result of {@link ProviderProcess.update}. */
export interface UpdateResult {
  /** New outputs, secretness re-annotated from the new inputs. */
  properties: PropertyMap;
}

/**
 * Details of a partial failure: the provider created (or updated) the resource but it failed to
 * initialize. The engine keeps such a resource in state with this id and these outputs.
 */
export interface InitFailure {
  /** Id of the half-created resource. */
  id: string;
  /** Its outputs, secretness re-annotated from the inputs of the request. */
  properties: PropertyMap;
  /** Reasons reported by the provider. */
  reasons: string[];
}

/** A failed provider call. `message` is the gRPC details text, i.e. the provider's error message. */
export class ProviderError extends Error {
  /** gRPC status code (2 = UNKNOWN for errors thrown by provider methods). */
  readonly code: number;
  /** The gRPC method that failed. */
  readonly method: string;
  /** Present when the provider signalled a partial failure (`ErrorResourceInitFailed`). */
  readonly initFailure?: InitFailure;

  /** Creates the error; see the fields for the meaning of each argument. */
  constructor(method: string, code: number, message: string, initFailure?: InitFailure) {
    super(message);
    this.name = "ProviderError";
    this.method = method;
    this.code = code;
    this.initFailure = initFailure;
  }
}

// Children still alive when the host process exits would keep their gRPC servers running as
// orphans, so they are killed synchronously on exit. One listener serves all instances.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of liveChildren) {
        c.kill("SIGKILL");
      }
    });
  }
}

/**
 * The dynamic-provider plugin process plus a gRPC client to it.
 *
 * Every method takes and returns plain wire-format maps (see `secrets.ts`): secrets as
 * secret-wrapped objects, unknowns as the {@link UNKNOWN} sentinel. Like the engine, the class
 * strips secrets before sending when the provider answered `acceptSecrets=false` and copies
 * secretness back onto results (`annotateSecrets`), and turns resource references into their id
 * (or URN) when it answered `acceptResources=false`.
 *
 * Call {@link ProviderProcess.configure} first: the dynamic provider passes the stored config to
 * the provider's `configure` lazily, and without it `req.config` is empty.
 */
export class ProviderProcess {
  /**
   * Every line the process printed after the port line, in arrival order. The CLI shows these to
   * the user as diagnostics, so tests can scan them for leaked secrets.
   */
  readonly logs: string[] = [];
  /** Same lines with their stream. */
  readonly logEntries: ProviderLogEntry[] = [];
  /** Port the gRPC server listens on (127.0.0.1). */
  readonly port: number;
  /** Absolute path of the `cmd/dynamic-provider` script that runs. */
  readonly scriptPath: string;
  /** Milliseconds from spawn to the port line. */
  readonly startupMs: number;

  private readonly child: ChildProcess;
  private readonly client: ResourceProviderClient;
  private readonly exited: Promise<void>;
  private acceptSecrets = false;
  private acceptResources = false;
  private closed = false;

  private constructor(
    child: ChildProcess,
    port: number,
    scriptPath: string,
    startupMs: number,
    exited: Promise<void>,
  ) {
    this.child = child;
    this.port = port;
    this.scriptPath = scriptPath;
    this.startupMs = startupMs;
    this.exited = exited;
    this.client = new provgrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  /**
   * Spawns `node <project's @pulumi/pulumi/cmd/dynamic-provider> 127.0.0.1:1` in `cwd` and waits
   * for the port line. The script is resolved from `cwd` because the engine's shim runs the
   * project's own installed SDK. The engine address argument is required but unused by the server.
   */
  static async start(opts: ProviderProcessOptions): Promise<ProviderProcess> {
    const scriptPath = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [opts.cwd] });
    const started = Date.now();
    const child = spawn(process.execPath, [scriptPath, "127.0.0.1:1"], {
      cwd: opts.cwd,
      env: {
        ...process.env,
        PULUMI_NODEJS_PROJECT: opts.project,
        PULUMI_PROJECT: opts.project,
        ...opts.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    trackChild(child);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
      } else {
        child.once("exit", () => resolve());
      }
    });

    // Lines are buffered until the instance exists, so nothing printed early is lost.
    const early: ProviderLogEntry[] = [];
    const sink: { instance?: ProviderProcess } = {};
    const push = (entry: ProviderLogEntry): void => {
      opts.onLog?.(entry);
      if (sink.instance) {
        sink.instance.logs.push(entry.line);
        sink.instance.logEntries.push(entry);
      } else {
        early.push(entry);
      }
    };

    const stdoutLines = readline.createInterface({ input: child.stdout! });
    const stderrLines = readline.createInterface({ input: child.stderr! });
    stderrLines.on("line", (line) => push({ stream: "stderr", line }));

    const port = await new Promise<number>((resolve, reject) => {
      let gotPort = false;
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          new Error(`dynamic provider did not print its port within ${opts.startTimeoutMs ?? 30000} ms`),
        );
      }, opts.startTimeoutMs ?? 30000);
      stdoutLines.on("line", (line) => {
        if (gotPort) {
          push({ stream: "stdout", line });
          return;
        }
        gotPort = true;
        clearTimeout(timer);
        const p = Number.parseInt(line.trim(), 10);
        if (!Number.isInteger(p) || p <= 0) {
          child.kill("SIGKILL");
          reject(new Error(`dynamic provider printed ${JSON.stringify(line)} instead of a port`));
        } else {
          resolve(p);
        }
      });
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once("exit", (code, signal) => {
        if (!gotPort) {
          clearTimeout(timer);
          const stderr = early.map((e) => e.line).join("\n");
          reject(
            new Error(`dynamic provider exited (code ${code}, signal ${signal}) before its port:\n${stderr}`),
          );
        }
      });
    });

    const instance = new ProviderProcess(child, port, scriptPath, Date.now() - started, exited);
    sink.instance = instance;
    for (const entry of early) {
      instance.logs.push(entry.line);
      instance.logEntries.push(entry);
    }
    return instance;
  }

  /** The plugin's reported version (the SDK version, e.g. `3.248.0`). */
  async getPluginInfo(): Promise<string> {
    const resp = await this.unary<PluginInfo>("GetPluginInfo", (cb) =>
      this.client.getPluginInfo(new emptyproto.Empty(), cb),
    );
    return resp.getVersion();
  }

  /**
   * Sends the stack config. Pass the **full** stack config with namespaced keys (`project:key`,
   * `aws:region`, ...) and secret values wrapped as secrets: for dynamic providers the engine
   * always sends the full configuration, and it sends secrets wrapped because it does not know
   * yet whether the provider accepts them.
   */
  async configure(config: Record<string, unknown>): Promise<ConfigureResult> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(config));
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      // The deprecated string map carries plaintext, as the engine fills it.
      const plain = stripSecretsFromMap({ v }).v;
      variables.set(k, typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    const resp = await this.unary<pb.ConfigureResponse>("Configure", (cb) => this.client.configure(req, cb));
    this.acceptSecrets = resp.getAcceptsecrets();
    this.acceptResources = resp.getAcceptresources();
    return {
      acceptSecrets: this.acceptSecrets,
      acceptResources: this.acceptResources,
      supportsPreview: resp.getSupportspreview(),
    };
  }

  /**
   * Check. `olds` are the old **inputs** (`{}` on create: the engine forces an empty map, and the
   * Node.js provider relies on it); `news` the program's inputs, UNKNOWN sentinels included.
   */
  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setOlds(toStruct(this.marshal(olds)));
    req.setNews(toStruct(this.marshal(news)));
    const resp = await this.unary<pb.CheckResponse>("Check", (cb) => this.client.check(req, cb));
    return {
      inputs: this.unmarshal(fromStruct(resp.getInputs()), news),
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** Diff. `oldOutputs` is what the dynamic provider passes to `diff` as `olds`. */
  async diff(
    urn: string,
    id: string,
    oldOutputs: PropertyMap,
    oldInputs: PropertyMap,
    news: PropertyMap,
  ): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setId(id);
    req.setOlds(toStruct(this.marshal(oldOutputs)));
    req.setOldInputs(toStruct(this.marshal(oldInputs)));
    req.setNews(toStruct(this.marshal(news)));
    const resp = await this.unary<pb.DiffResponse>("Diff", (cb) => this.client.diff(req, cb));
    const changes = resp.getChanges();
    const C = provproto.DiffResponse.DiffChanges;
    return {
      changes: changes === C.DIFF_SOME ? "DIFF_SOME" : changes === C.DIFF_NONE ? "DIFF_NONE" : "DIFF_UNKNOWN",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  /** Create. A partial failure rejects with a {@link ProviderError} that has `initFailure`. */
  async create(urn: string, props: PropertyMap): Promise<CreateResult> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setProperties(toStruct(this.marshal(props)));
    const resp = await this.unary<pb.CreateResponse>("Create", (cb) => this.client.create(req, cb), props);
    return { id: resp.getId(), properties: this.unmarshal(fromStruct(resp.getProperties()), props) };
  }

  /**
   * Read, as refresh sends it: `props` is the state (old outputs, which carry `__provider`),
   * `inputs` the old inputs. For a `get` (`new X(name, props, { id })`) the engine sends the
   * program's props as both.
   */
  async read(urn: string, id: string, props: PropertyMap, inputs: PropertyMap): Promise<ReadResult> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setId(id);
    req.setProperties(toStruct(this.marshal(props)));
    req.setInputs(toStruct(this.marshal(inputs)));
    const resp = await this.unary<pb.ReadResponse>("Read", (cb) => this.client.read(req, cb));
    const result: ReadResult = {
      id: resp.getId(),
      properties: this.unmarshal(fromStruct(resp.getProperties()), props),
    };
    if (resp.hasInputs()) {
      result.inputs = this.unmarshal(fromStruct(resp.getInputs()), inputs);
    }
    return result;
  }

  /** Update. `olds` are the old outputs; a partial failure rejects with `initFailure`. */
  async update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs: PropertyMap,
  ): Promise<UpdateResult> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setId(id);
    req.setOlds(toStruct(this.marshal(olds)));
    req.setNews(toStruct(this.marshal(news)));
    req.setOldInputs(toStruct(this.marshal(oldInputs)));
    const resp = await this.unary<pb.UpdateResponse>("Update", (cb) => this.client.update(req, cb), news);
    return { properties: this.unmarshal(fromStruct(resp.getProperties()), news) };
  }

  /** Delete. `props` are the old outputs (they carry the `__provider` that runs the delete). */
  async delete(urn: string, id: string, props: PropertyMap, oldInputs: PropertyMap): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setId(id);
    req.setProperties(toStruct(this.marshal(props)));
    req.setOldInputs(toStruct(this.marshal(oldInputs)));
    await this.unary<Empty>("Delete", (cb) => this.client.delete(req, cb));
  }

  /** Closes the client, kills the process and waits for it to exit. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.client.close();
      if (this.child.exitCode === null && this.child.signalCode === null) {
        this.child.kill("SIGTERM");
        const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
        await this.exited;
        clearTimeout(timer);
      }
    }
    await this.exited;
  }

  /**
   * Kills the process at once (SIGKILL), as a crash or `kill -9` of `pulumi up` would: calls in
   * flight fail, and nothing the provider was doing gets to finish or clean up.
   */
  async kill(): Promise<void> {
    if (this.running) this.child.kill("SIGKILL");
    await this.exited;
    if (!this.closed) {
      this.closed = true;
      this.client.close();
    }
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Applies the engine's marshalling options for this provider to an outgoing map. */
  private marshal(map: PropertyMap): PropertyMap {
    let out = map;
    if (!this.acceptSecrets) {
      out = stripSecretsFromMap(out);
    }
    if (!this.acceptResources) {
      out = replaceResourceReferences(out) as PropertyMap;
    }
    return out;
  }

  /** Re-marks secretness on a result, as the engine does for providers without secret support. */
  private unmarshal(result: PropertyMap, sent: PropertyMap): PropertyMap {
    return this.acceptSecrets ? result : annotateSecrets(result, sent);
  }

  private unary<T>(
    method: string,
    invoke: (cb: (err: ServiceError | null, resp: T) => void) => unknown,
    annotateFrom?: PropertyMap,
  ): Promise<T> {
    if (this.closed) {
      return Promise.reject(new Error(`${method}: the provider process was closed`));
    }
    return new Promise<T>((resolve, reject) => {
      invoke((err, resp) => {
        if (err) {
          reject(this.toProviderError(method, err, annotateFrom));
        } else {
          resolve(resp);
        }
      });
    });
  }

  private toProviderError(method: string, err: ServiceError, annotateFrom?: PropertyMap): ProviderError {
    let initFailure: InitFailure | undefined;
    // The dynamic provider packs ErrorResourceInitFailed into a google.rpc.Status sent in the
    // `grpc-status-details-bin` trailer (grpcResponseFromError in cmd/dynamic-provider).
    const bins = err.metadata?.get("grpc-status-details-bin") ?? [];
    for (const bin of bins) {
      if (typeof bin === "string") {
        continue;
      }
      const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
      for (const detail of status.getDetailsList()) {
        const msg = detail.unpack(
          provproto.ErrorResourceInitFailed.deserializeBinary,
          "pulumirpc.ErrorResourceInitFailed",
        );
        if (msg) {
          const props = fromStruct(msg.getProperties());
          initFailure = {
            id: msg.getId(),
            properties: annotateFrom && !this.acceptSecrets ? annotateSecrets(props, annotateFrom) : props,
            reasons: msg.getReasonsList(),
          };
        }
      }
    }
    return new ProviderError(method, err.code, err.details || err.message, initFailure);
  }
}

/**
 * Replaces resource references by their id (custom resources; UNKNOWN when the id is not known
 * yet) or their URN (components), like the engine's marshalling with `KeepResources: false`.
 */
function replaceResourceReferences(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(replaceResourceReferences);
  }
  if (isPlainObject(value)) {
    if (value[SPECIAL_SIG_KEY] === RESOURCE_REFERENCE_SIG) {
      if ("id" in value) {
        return value.id === "" || value.id === undefined ? UNKNOWN : value.id;
      }
      return value.urn;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = replaceResourceReferences(v);
    }
    return out;
  }
  return value;
}

/** Last `::` segment of a URN: the resource name. */
export function nameOf(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? "";
}

/** Type segment of a URN, without parent types. */
export function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}
