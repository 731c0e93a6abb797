/**
 * The emulator's HTTP server. Each API request goes through one ordered chain:
 * route (service + operation from the contracts) → injected fault → authentication → contract
 * validation → handler → error envelope of the vendor → request log. `/_emulator/*` is the
 * control plane (no auth, not logged).
 */
import { randomBytes } from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import type { z } from "zod";
import { handleControl } from "./control";
import { EmulatorClock } from "./core/clock";
import type { FaultSpec, PendingFault } from "./core/faults";
import { FaultStore } from "./core/faults";
import type { RequestLogEntry } from "./core/log";
import { RequestLog } from "./core/log";
import { STATE_FILE_VERSION, StateFile } from "./core/persistence";
import type {
  CallContext,
  EmulatorRequest,
  Principal,
  Reply,
  RouteMatch,
  SeedName,
  ServiceModule,
} from "./core/types";
import { ApiError } from "./core/types";
import { emulatorEnv, emulatorUrl } from "./env";
import type { SmsConfig, SmsForceState, SmsSeed } from "./huawei/sms/control";
import type { SmsDurations } from "./huawei/sms";
import { createServiceModules } from "./modules";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Directory where state is saved after each mutation and loaded at start. */
  dataDir?: string;
  /** Emulator seconds per real second (default 1). */
  timeScale?: number;
  /** Data set of a fresh start and of `reset` (default `demo`). */
  seed?: SeedName;
  /** SMS lifecycle durations in emulator seconds (default: replication 60, abort 3, delete 3, clone 10...). */
  durations?: Partial<SmsDurations>;
  /** The real clock the emulator's time runs on (default `Date.now`); a virtual one makes measurements exact. */
  wall?: () => number;
}

/** `POST /_emulator/force-state` body: SMS commands, or another module's by its `service`. */
export type ForceStateCommand = z.input<typeof SmsForceState> | { service: string; [key: string]: unknown };

/** `POST /_emulator/seed` body: resources per service name. */
export interface SeedData {
  sms?: z.input<typeof SmsSeed>;
  [service: string]: unknown;
}

/** `POST /_emulator/config` body: top-level `durations` are SMS's; other keys are service names. */
export interface ConfigData {
  durations?: NonNullable<z.input<typeof SmsConfig>["durations"]>;
  sms?: z.input<typeof SmsConfig>;
  [service: string]: unknown;
}

/** A running emulator and its control plane, for in-process use. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: the endpoint of every emulated service. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
  /** Environment variables pointing clients at this emulator (see `env.ts`). */
  env(): Record<string, string>;
  /** Back to the seed data (`seed` or the start option); the clock is left as is. */
  reset(seed?: SeedName): void;
  /** The request log, oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Current emulator time. */
  now(): Date;
  /** Moves emulator time forward; returns the new time. */
  advance(seconds: number): Date;
  /** Adds a fault; throws on an invalid spec. */
  injectFault(f: FaultSpec): PendingFault;
  /** Faults still pending. */
  faults(): PendingFault[];
  clearFaults(): void;
  /** Sets state out of band; throws Error naming the problem. */
  forceState(cmd: ForceStateCommand): void;
  /** Adds resources; throws Error naming the problem (nothing is added then). */
  seed(data: SeedData): void;
  /** Applies settings (lifecycle durations); throws Error naming the problem. */
  configure(cfg: ConfigData): void;
  /** Settings of every module. */
  config(): Record<string, unknown>;
  /** Everything, lifecycles settled to now: what `GET /_emulator/state` answers. */
  state(): Record<string, unknown>;
}

/** Largest request body accepted (the largest documented SMS body is far smaller). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(size === 0 ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function writeReply(res: http.ServerResponse, reply: Reply): void {
  let payload: string | undefined;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers["Content-Type"] ??= "application/json;charset=UTF-8";
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers["Content-Type"] ??= "text/plain;charset=UTF-8";
  }
  headers["Content-Length"] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts an emulator listening on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const seedName: SeedName = opts.seed ?? "demo";
  const clock = new EmulatorClock(opts.timeScale ?? 1, opts.wall);
  const { modules, fallbackDialect } = createServiceModules(
    { clock },
    { sms: { durations: opts.durations } },
  );
  const byName = new Map<string, ServiceModule>(modules.map((m) => [m.name, m]));
  const faults = new FaultStore();
  const log = new RequestLog();
  const stateFile = opts.dataDir ? new StateFile(opts.dataDir) : undefined;

  const persist = () => {
    if (!stateFile) return;
    const snapshot: Record<string, unknown> = {};
    for (const m of modules) snapshot[m.name] = m.snapshot();
    stateFile.save({ version: STATE_FILE_VERSION, clockOffsetMs: clock.offsetMs(), modules: snapshot });
  };

  const saved = stateFile?.load();
  for (const m of modules) {
    if (saved && m.name in saved.modules) m.restore(saved.modules[m.name]);
    else m.reset(seedName);
  }
  if (saved) clock.restoreOffset(saved.clockOffsetMs);
  // The start option wins over durations saved by an earlier run.
  if (opts.durations) byName.get("sms")?.configure?.({ durations: opts.durations });
  persist();

  const moduleOf = (name: string): ServiceModule => {
    const m = byName.get(name);
    if (!m)
      throw new Error(`unknown service ${JSON.stringify(name)}; known: ${[...byName.keys()].join(", ")}`);
    return m;
  };

  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ereq: EmulatorRequest,
    started: number,
  ) {
    const now = clock.date();
    const base = {
      time: now.toISOString(),
      method: ereq.method,
      path: ereq.path,
      query: ereq.rawUrl.includes("?") ? ereq.rawUrl.slice(ereq.rawUrl.indexOf("?") + 1) : "",
      requestId: ereq.requestId,
    };
    let match: RouteMatch | undefined;
    for (const m of modules) {
      match = m.resolve(ereq);
      if (match) break;
    }
    if (!match) {
      const err = fallbackDialect.notFound(ereq);
      writeReply(res, fallbackDialect.renderError(err, ereq));
      log.append({
        ...base,
        service: "unknown",
        operation: "unknown",
        status: err.status,
        errorCode: err.code,
        durationMs: Date.now() - started,
      });
      return;
    }
    const { dialect } = match;
    const entry = { ...base, service: match.service, operation: match.operation };
    const fault = faults.take(match.service, match.operation, clock.now());
    if (fault?.kind === "drop-before") {
      log.append({ ...entry, status: 0, fault: fault.kind, durationMs: Date.now() - started });
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    let principal: Principal | undefined;
    let errorCode: string | undefined;
    let detail: string | undefined;
    const fail = (err: ApiError) => {
      errorCode = err.code;
      detail = err.options.logDetail;
      return dialect.renderError(err, ereq);
    };
    if (fault?.kind === "throttle") {
      reply = fail(dialect.throttled(fault.retryAfterSeconds ?? 1));
    } else if (fault?.kind === "error5xx") {
      reply = fail(dialect.serverError(fault.status ?? 500, match.service));
    } else {
      try {
        principal = match.anonymous ? { kind: "anonymous" } : dialect.authenticate(ereq, now);
        const call: CallContext = { req: ereq, now, principal };
        reply = await match.invoke(call);
        if (match.mutates) persist();
      } catch (e) {
        if (e instanceof ApiError) {
          reply = fail(e);
        } else {
          // A bug in a handler: answer like the service's backend failure, keep the cause in the log.
          reply = fail(dialect.serverError(500, match.service));
          detail = `emulator error: ${(e as Error).stack ?? String(e)}`;
        }
      }
    }
    const logged = {
      ...entry,
      status: reply.status,
      fault: fault?.kind,
      errorCode,
      detail,
      auth: principal?.kind,
      accessKey: principal?.accessKey,
    };
    if (fault?.kind === "drop-after") {
      log.append({ ...logged, durationMs: Date.now() - started });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "latency") await sleep(fault.latencyMs ?? 1000);
    writeReply(res, reply);
    log.append({ ...logged, durationMs: Date.now() - started });
  }

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const requestId = randomBytes(16).toString("hex");
    // Every answer carries it, whichever branch writes the answer.
    res.setHeader("X-Request-Id", requestId);
    void (async () => {
      try {
        const body = await readBody(req);
        const rawUrl = req.url ?? "/";
        const q = rawUrl.indexOf("?");
        const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
        const ereq: EmulatorRequest = {
          method: (req.method ?? "GET").toUpperCase(),
          rawUrl,
          path,
          query: new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)),
          headers: req.headers,
          body,
          requestId,
        };
        if (path === "/_emulator" || path.startsWith("/_emulator/")) {
          writeReply(res, handleControl(emulator, ereq));
          return;
        }
        await handleApi(req, res, ereq, started);
      } catch (e) {
        if (!res.headersSent && !req.socket.destroyed) {
          writeReply(res, {
            status: 500,
            json: {
              error_code: "APIGW.0103",
              error_msg: `emulator error: ${(e as Error).message}`,
              request_id: requestId,
            },
          });
        }
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = emulatorUrl(port);

  const emulator: Emulator = {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    env: () => emulatorEnv(url),
    reset(seed) {
      for (const m of modules) m.reset(seed ?? seedName);
      persist();
    },
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    now: () => clock.date(),
    advance(seconds) {
      clock.advance(seconds);
      persist();
      return clock.date();
    },
    injectFault: (f) => faults.add(f),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    forceState(cmd) {
      const m = moduleOf(String(cmd.service));
      if (!m.forceState) throw new Error(`service ${m.name} has no force-state`);
      m.forceState(cmd, clock.date());
      persist();
    },
    seed(data) {
      for (const name of Object.keys(data)) {
        const m = moduleOf(name);
        if (!m.seed) throw new Error(`service ${m.name} takes no seed data`);
      }
      for (const [name, d] of Object.entries(data)) moduleOf(name).seed?.(d, clock.date());
      persist();
    },
    configure(cfg) {
      const { durations, ...perService } = cfg;
      if (durations !== undefined) moduleOf("sms").configure?.({ durations });
      for (const [name, c] of Object.entries(perService)) {
        const m = moduleOf(name);
        if (!m.configure) throw new Error(`service ${m.name} has no settings`);
        m.configure(c);
      }
      persist();
    },
    config() {
      const out: Record<string, unknown> = {};
      for (const m of modules) if (m.config) out[m.name] = m.config();
      return out;
    },
    state() {
      const now = clock.date();
      const services: Record<string, unknown> = {};
      for (const m of modules) services[m.name] = m.dump(now);
      return {
        now: now.toISOString(),
        clock: { timeScale: clock.timeScale, offsetMs: clock.offsetMs() },
        faults: faults.list(),
        services,
      };
    },
  };
  return emulator;
}
