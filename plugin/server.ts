/**
 * The `migration-tasks` provider plugin: the ResourceProvider gRPC service, served with the
 * generated stubs of `@pulumi/pulumi`, over the same implementations the dynamic resources run
 * (`provider/runtime`). Served here rather than through the SDK's `provider.main()` because that
 * server drops the engine's `timeout` (`customTimeouts`) and never hands the provider its config.
 *
 * Secrets: the plugin accepts them (Configure and Handshake answer `acceptSecrets`), so inputs
 * arrive wrapped; they are unwrapped before the implementation sees them, and every secret
 * output (secret fields, the kind's secret outputs, and any output whose input was secret) is
 * wrapped again, because the engine does not re-mark the outputs of such a provider.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineGrpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as pb from "@pulumi/pulumi/proto/provider_pb";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { annotateSecrets, isPlainObject, isSecret, secret, stripSecrets } from "../harness/secrets";
import { emptyproto, grpc, provgrpc, provproto, statusproto, structproto } from "../harness/sdkModules";
import { setLogSink } from "../provider/common/log";
import { deepEqual } from "../provider/common/values";
import type { PropertyMap } from "../provider/common/values";
import { configure as configureRuntime } from "../provider/runtime";
import { CONFIG_VARIABLES, checkConfig, stackConfigOf } from "./config";
import type { PluginKind } from "./kinds";
import { kindOf, secretOutputNames } from "./kinds";
import { packageSchema, VERSION } from "./schema";

const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const pluginproto = sdkRequire("@pulumi/pulumi/proto/plugin_pb") as typeof pluginTypes;
const engineproto = sdkRequire("@pulumi/pulumi/proto/engine_pb") as typeof engineTypes;
const enginegrpc = sdkRequire("@pulumi/pulumi/proto/engine_grpc_pb") as typeof engineGrpcTypes;
const anyproto = sdkRequire("google-protobuf/google/protobuf/any_pb") as typeof anyTypes;

type Call<Req> = grpcTypes.ServerUnaryCall<Req, unknown>;
type Done<Resp> = grpcTypes.sendUnaryData<Resp>;

/**
 * The request being served: its resource, so progress lines reach the engine under its URN, and
 * the lines still in flight, which are delivered before the answer so that the engine shows them
 * with the step, not after it.
 */
const current = new AsyncLocalStorage<{ urn: string; pending: Promise<void>[] }>();

function toStruct(map: PropertyMap): Struct {
  // Struct.fromJavaScript rejects undefined; the engine never holds it anyway.
  return structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(map)) as never);
}

function fromStruct(s: Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}

const plain = (m: PropertyMap): PropertyMap => stripSecrets(m) as PropertyMap;

/** The resource kind of a request, from its type or its URN. */
function kindFor(type: string, urn: string): PluginKind {
  const t = type || (urn.split("::")[2] ?? "").split("$").pop() || "";
  const kind = kindOf(t);
  if (!kind) throw new Error(`unknown resource type ${t}`);
  return kind;
}

/**
 * Wraps the kind's secret properties, and those whose value in `sent` was (or held) a secret,
 * as the engine would for a provider that does not take secrets.
 */
function resealSecrets(
  kind: PluginKind,
  props: PropertyMap,
  sent: PropertyMap,
  names?: string[],
): PropertyMap {
  const out = annotateSecrets(props, sent);
  for (const k of names ?? secretOutputNames(kind)) {
    if (out[k] !== undefined && out[k] !== null && !isSecret(out[k])) out[k] = secret(out[k]);
  }
  return out;
}

/** Secret input fields of a kind (for Check's result). */
const secretInputNames = (kind: PluginKind): string[] =>
  Object.entries(kind.fields)
    .filter(([, m]) => m.secret)
    .map(([k]) => k);

/**
 * The engine's `timeout` (seconds, from `customTimeouts`) as the kind's `timeouts` input for one
 * operation. It wins over a declared `timeouts` value: it is the resource option made for it.
 */
function withEngineTimeout(
  kind: PluginKind,
  props: PropertyMap,
  op: "create" | "update" | "delete",
  seconds: number,
): PropertyMap {
  if (!(seconds > 0) || !("timeouts" in kind.fields)) return props;
  const declared = isPlainObject(props.timeouts) ? props.timeouts : {};
  return { ...props, timeouts: { ...declared, [op]: `${Math.max(1, Math.ceil(seconds))}s` } };
}

/** Puts the declared `timeouts` back in the outputs, so an engine timeout never shows as drift. */
function restoreTimeouts(kind: PluginKind, outs: PropertyMap, declared: PropertyMap): PropertyMap {
  if (!("timeouts" in kind.fields)) return outs;
  const out = { ...outs };
  if (declared.timeouts === undefined) delete out.timeouts;
  else out.timeouts = declared.timeouts;
  return out;
}

interface ErrorWithInit extends Error {
  id?: string;
  properties?: PropertyMap;
  reasons?: string[];
}

/** A gRPC error; a task created but not converged carries ErrorResourceInitFailed, so it stays in state. */
function grpcError(e: unknown, kind?: PluginKind, sent: PropertyMap = {}): Partial<grpcTypes.StatusObject> {
  const err = (e instanceof Error ? e : new Error(String(e))) as ErrorWithInit;
  const metadata = new grpc.Metadata();
  if (err.id && kind) {
    const status = new statusproto.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(err.message);
    const detail = new provproto.ErrorResourceInitFailed();
    detail.setId(err.id);
    const props = restoreTimeouts(kind, err.properties ?? {}, sent);
    detail.setProperties(toStruct(resealSecrets(kind, props, sent)));
    detail.setReasonsList(err.reasons ?? [err.message]);
    const any = new anyproto.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: err.message, metadata };
}

/** Options of {@link startPluginServer}. */
export interface PluginServerOptions {
  /** The engine's address (the plugin's first argument), for progress lines; stderr without it. */
  engineAddress?: string;
}

/** A running plugin server. */
export interface PluginServer {
  port: number;
  /** Stops serving (in-flight calls are cancelled). */
  close(): Promise<void>;
}

/** The ResourceProvider service over the runtime's implementations. */
class ProviderService {
  private engine: engineGrpcTypes.EngineClient | undefined;
  private lastLog: Promise<void> = Promise.resolve();

  constructor(private engineAddress: string | undefined) {
    setLogSink((msg) => this.log(msg));
  }

  /** A progress line: to the engine under the current resource's URN, else stderr. */
  private log(msg: string): void {
    const store = current.getStore();
    const urn = store?.urn ?? "";
    if (this.engineAddress) {
      this.engine ??= new enginegrpc.EngineClient(this.engineAddress, grpc.credentials.createInsecure());
      const engine = this.engine;
      const req = new engineproto.LogRequest();
      req.setSeverity(engineproto.LogSeverity.INFO);
      req.setMessage(msg);
      req.setUrn(urn);
      // One at a time, in order, as the SDK's own log does.
      const sent = this.lastLog.then(
        () =>
          new Promise<void>((resolve) =>
            engine.log(req, (err) => {
              if (err) process.stderr.write(`${msg}\n`);
              resolve();
            }),
          ),
      );
      this.lastLog = sent;
      store?.pending.push(sent);
    } else {
      process.stderr.write(`${urn ? `${urn}: ` : ""}${msg}\n`);
    }
  }

  /** Runs one request's handler with its URN as the log context, answering errors through gRPC. */
  private serve<Resp>(urn: string, done: Done<Resp>, fn: () => Promise<Resp>, onError = grpcError): void {
    const store = { urn, pending: [] as Promise<void>[] };
    const flushed = () => Promise.all(store.pending);
    current.run(store, () => {
      fn().then(
        (resp) => flushed().then(() => done(null, resp)),
        (e: unknown) => flushed().then(() => done(onError(e))),
      );
    });
  }

  handshake(call: Call<pb.ProviderHandshakeRequest>, done: Done<pb.ProviderHandshakeResponse>): void {
    this.engineAddress = call.request.getEngineAddress() || this.engineAddress;
    const resp = new provproto.ProviderHandshakeResponse();
    resp.setAcceptSecrets(true);
    resp.setAcceptResources(false);
    resp.setAcceptOutputs(false);
    resp.setSupportsAutonamingConfiguration(false);
    done(null, resp);
  }

  attach(call: Call<pluginTypes.PluginAttach>, done: Done<unknown>): void {
    this.engineAddress = call.request.getAddress() || this.engineAddress;
    done(null, new emptyproto.Empty());
  }

  getPluginInfo(_call: Call<unknown>, done: Done<pluginTypes.PluginInfo>): void {
    const info = new pluginproto.PluginInfo();
    info.setVersion(VERSION);
    done(null, info);
  }

  getSchema(call: Call<pb.GetSchemaRequest>, done: Done<pb.GetSchemaResponse>): void {
    if (call.request.getVersion() !== 0) {
      done({
        code: grpc.status.INVALID_ARGUMENT,
        details: `unsupported schema version ${call.request.getVersion()}`,
      });
      return;
    }
    const resp = new provproto.GetSchemaResponse();
    resp.setSchema(JSON.stringify(packageSchema()));
    done(null, resp);
  }

  checkConfig(call: Call<pb.CheckRequest>, done: Done<pb.CheckResponse>): void {
    const news = fromStruct(call.request.getNews());
    const resp = new provproto.CheckResponse();
    // Secret variables stay secret in state even when set in plaintext.
    const inputs: PropertyMap = { ...news };
    for (const [k, v] of Object.entries(CONFIG_VARIABLES)) {
      if (v.secret && typeof inputs[k] === "string") inputs[k] = secret(inputs[k]);
    }
    resp.setInputs(toStruct(inputs));
    resp.setFailuresList(
      checkConfig(plain(news)).map((f) => {
        const cf = new provproto.CheckFailure();
        cf.setProperty(f.property);
        cf.setReason(f.reason);
        return cf;
      }),
    );
    done(null, resp);
  }

  diffConfig(call: Call<pb.DiffRequest>, done: Done<pb.DiffResponse>): void {
    const strip = (m: PropertyMap) => {
      const { version: _v, ...rest } = plain(m);
      return rest;
    };
    const olds = strip(fromStruct(call.request.getOldInputs() ?? call.request.getOlds()));
    const news = strip(fromStruct(call.request.getNews()));
    const resp = new provproto.DiffResponse();
    const C = provproto.DiffResponse.DiffChanges;
    // New credentials or endpoints apply to the next calls; they never replace the tasks.
    resp.setChanges(deepEqual(olds, news) ? C.DIFF_NONE : C.DIFF_SOME);
    resp.setDiffsList(
      [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => !deepEqual(olds[k], news[k])),
    );
    done(null, resp);
  }

  configure(call: Call<pb.ConfigureRequest>, done: Done<pb.ConfigureResponse>): void {
    const args = call.request.getArgs();
    let values: PropertyMap;
    if (args) values = plain(fromStruct(args));
    else {
      // Older engines send only the `<pkg>:config:<key>` strings.
      values = {};
      call.request.getVariablesMap().forEach((v: string, k: string) => {
        values[k.replace(/^[^:]+:(config:)?/, "")] = v;
      });
    }
    const failures = checkConfig(values);
    if (failures.length > 0) {
      done({ code: grpc.status.INVALID_ARGUMENT, details: failures.map((f) => f.reason).join("; ") });
      return;
    }
    const cfg = stackConfigOf(values);
    configureRuntime({ config: { get: (k) => cfg[k] } });
    const resp = new provproto.ConfigureResponse();
    resp.setAcceptsecrets(true);
    resp.setAcceptresources(false);
    resp.setAcceptoutputs(false);
    resp.setSupportspreview(false);
    done(null, resp);
  }

  check(call: Call<pb.CheckRequest>, done: Done<pb.CheckResponse>): void {
    const req = call.request;
    this.serve(req.getUrn(), done, async () => {
      const kind = kindFor(req.getType(), req.getUrn());
      const news = fromStruct(req.getNews());
      const res = await kind.impl.check(plain(fromStruct(req.getOlds())), plain(news));
      const resp = new provproto.CheckResponse();
      resp.setInputs(
        toStruct(resealSecrets(kind, (res.inputs ?? {}) as PropertyMap, news, secretInputNames(kind))),
      );
      resp.setFailuresList(
        (res.failures ?? []).map((f) => {
          const cf = new provproto.CheckFailure();
          cf.setProperty(f.property);
          cf.setReason(f.reason);
          return cf;
        }),
      );
      return resp;
    });
  }

  diff(call: Call<pb.DiffRequest>, done: Done<pb.DiffResponse>): void {
    const req = call.request;
    this.serve(req.getUrn(), done, async () => {
      const kind = kindFor(req.getType(), req.getUrn());
      const res = await kind.impl.diff(
        req.getId(),
        plain(fromStruct(req.getOlds())),
        plain(fromStruct(req.getNews())),
      );
      const resp = new provproto.DiffResponse();
      const C = provproto.DiffResponse.DiffChanges;
      resp.setChanges(
        res.changes === true ? C.DIFF_SOME : res.changes === false ? C.DIFF_NONE : C.DIFF_UNKNOWN,
      );
      resp.setReplacesList(res.replaces ?? []);
      resp.setDeletebeforereplace(res.deleteBeforeReplace === true);
      return resp;
    });
  }

  create(call: Call<pb.CreateRequest>, done: Done<pb.CreateResponse>): void {
    const req = call.request;
    let kind: PluginKind | undefined;
    const sent = fromStruct(req.getProperties());
    this.serve(
      req.getUrn(),
      done,
      async () => {
        kind = kindFor(req.getType(), req.getUrn());
        const inputs = withEngineTimeout(kind, plain(sent), "create", req.getTimeout());
        const res = await kind.impl.create(inputs);
        const outs = restoreTimeouts(kind, res.outs as PropertyMap, plain(sent));
        const resp = new provproto.CreateResponse();
        resp.setId(res.id);
        resp.setProperties(toStruct(resealSecrets(kind, outs, sent)));
        return resp;
      },
      (e) => grpcError(e, kind, sent),
    );
  }

  read(call: Call<pb.ReadRequest>, done: Done<pb.ReadResponse>): void {
    const req = call.request;
    this.serve(req.getUrn(), done, async () => {
      const kind = kindFor(req.getType(), req.getUrn());
      const sent = fromStruct(req.getProperties());
      const state = plain(sent);
      const res = await kind.impl.read(req.getId(), state);
      const resp = new provproto.ReadResponse();
      if (!res.id) {
        resp.setId("");
        return resp;
      }
      let outs = (res.props ?? {}) as PropertyMap;
      let inputs = (res.inputs ?? {}) as PropertyMap;
      if (Object.keys(state).length === 0) {
        // `pulumi import`: no state, so the task's location is the one the read used...
        const scope = Object.fromEntries(
          Object.entries(kind.scope()).filter(([k, v]) => v !== undefined && inputs[k] === undefined),
        );
        outs = { ...outs, ...scope };
        inputs = { ...inputs, ...scope };
      }
      // ...and its declared lifecycle is whichever one the task is in.
      if (Object.keys(state).length === 0 && kind.states.length > 0 && inputs.state === undefined) {
        const declared = await declaredStateOf(kind, res.id, outs, inputs);
        outs = { ...outs, state: declared };
        inputs = { ...inputs, state: declared };
      }
      resp.setId(res.id);
      resp.setProperties(toStruct(resealSecrets(kind, outs, sent)));
      resp.setInputs(toStruct(resealSecrets(kind, inputs, sent, secretInputNames(kind))));
      return resp;
    });
  }

  update(call: Call<pb.UpdateRequest>, done: Done<pb.UpdateResponse>): void {
    const req = call.request;
    let kind: PluginKind | undefined;
    const sent = fromStruct(req.getNews());
    this.serve(
      req.getUrn(),
      done,
      async () => {
        kind = kindFor(req.getType(), req.getUrn());
        const news = withEngineTimeout(kind, plain(sent), "update", req.getTimeout());
        const res = await kind.impl.update(req.getId(), plain(fromStruct(req.getOlds())), news);
        const outs = restoreTimeouts(kind, (res.outs ?? {}) as PropertyMap, plain(sent));
        const resp = new provproto.UpdateResponse();
        resp.setProperties(toStruct(resealSecrets(kind, outs, sent)));
        return resp;
      },
      (e) => grpcError(e, kind, sent),
    );
  }

  delete(call: Call<pb.DeleteRequest>, done: Done<unknown>): void {
    const req = call.request;
    this.serve(req.getUrn(), done, async () => {
      const kind = kindFor(req.getType(), req.getUrn());
      const props = withEngineTimeout(
        kind,
        plain(fromStruct(req.getProperties())),
        "delete",
        req.getTimeout(),
      );
      await kind.impl.delete(req.getId(), props);
      return new emptyproto.Empty();
    });
  }

  cancel(_call: Call<unknown>, done: Done<unknown>): void {
    done(null, new emptyproto.Empty());
  }
}

/**
 * The declared `state` that makes an imported task show no difference: the first of the kind's
 * states (its default first) for which the implementation's own check and diff find nothing to do.
 */
async function declaredStateOf(
  kind: PluginKind,
  id: string,
  outs: PropertyMap,
  inputs: PropertyMap,
): Promise<string> {
  for (const s of kind.states) {
    const checked = await kind.impl.check({}, { ...inputs, state: s });
    if (checked.failures?.length) continue;
    const d = await kind.impl
      .diff(id, { ...outs, state: s }, (checked.inputs ?? {}) as PropertyMap)
      .catch(() => undefined);
    if (d && d.changes === false) return s;
  }
  return kind.states[0];
}

/** Starts the provider service on 127.0.0.1 and a free port. */
export async function startPluginServer(opts: PluginServerOptions = {}): Promise<PluginServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 1024 * 1024 * 400,
    "grpc.max_send_message_length": 1024 * 1024 * 400,
  });
  const service = new ProviderService(opts.engineAddress);
  const methods = [
    "handshake",
    "attach",
    "getPluginInfo",
    "getSchema",
    "checkConfig",
    "diffConfig",
    "configure",
    "check",
    "diff",
    "create",
    "read",
    "update",
    "delete",
    "cancel",
  ] as const;
  const impl: grpcTypes.UntypedServiceImplementation = {};
  for (const m of methods)
    impl[m] = (service[m] as (...a: never[]) => void).bind(service) as grpcTypes.UntypedHandleCall;
  server.addService(provgrpc.ResourceProviderService as unknown as grpcTypes.ServiceDefinition, impl);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

/** The engine address among a plugin's arguments (the first that is not a logging flag). */
export function engineAddressOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--tracing") i++;
    else if (a === "--logtostderr" || a.startsWith("-v=") || a.startsWith("--logflow")) continue;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/**
 * Runs the plugin: serves, then prints the port as the only line before any other output, as
 * the engine expects (and as the SDK's `provider.main()` does).
 */
export async function servePlugin(args: readonly string[]): Promise<PluginServer> {
  const server = await startPluginServer({ engineAddress: engineAddressOf(args) });
  process.stdout.write(`${server.port}\n`);
  return server;
}
