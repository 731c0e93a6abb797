/**
 * The shapes every step of the emulator's request chain shares, and the interface a service
 * module implements to plug into it (see `emulator/modules.ts` for the registry).
 */
import type { IncomingHttpHeaders } from "http";
import type { EmulatorClock } from "./clock";

/** Named starting data sets. `empty` keeps only the credentials; `demo` adds the demo resources. */
export type SeedName = "demo" | "empty";

/** The request as every step of the chain sees it. Header names are lower-case (Node's `http`). */
export interface EmulatorRequest {
  readonly method: string;
  /** Path and query exactly as received: what the signature verifiers canonicalise. */
  readonly rawUrl: string;
  /** Path without the query, not decoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Body text, undefined when the request had none. */
  readonly body: string | undefined;
  /** Id this emulator gives the call; returned as `X-Request-Id` and in error envelopes. */
  readonly requestId: string;
}

/** A response before it is written. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON value to serialise. When both `json` and `text` are undefined no body is sent. */
  json?: unknown;
  text?: string;
}

/**
 * A failure the vendor would answer with an error envelope. The dialect of the route renders it
 * (`{error_code, error_msg, request_id}` for Huawei), unless `body` overrides the envelope, as
 * IAM's Keystone-style errors do.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: {
      /** Extra envelope fields (`encoded_authorization_message`, `error_ext_msg`...). */
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
      /** Replaces the dialect's envelope entirely. */
      body?: unknown;
      /** Why, for the request log only (a signature mismatch reason is not sent to the client). */
      logDetail?: string;
    } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Who made a call, as far as authentication established it. */
export interface Principal {
  kind: "aksk" | "token" | "anonymous";
  accessKey?: string;
  userId?: string;
  domainId?: string;
  projectId?: string;
}

/**
 * How one cloud authenticates callers and shapes its errors. Huawei's API gateway is one
 * dialect shared by IAM, SMS and DCS; Alibaba's RPC gateway will be another.
 */
export interface Dialect {
  readonly name: string;
  /** Verifies the caller. Throws {@link ApiError} with the gateway's code when it cannot. */
  authenticate(req: EmulatorRequest, emulatorNow: Date): Principal;
  /** Serialises an error in the vendor's envelope. */
  renderError(err: ApiError, req: EmulatorRequest): Reply;
  /** The gateway's answer to a throttled call. */
  throttled(retryAfterSeconds: number): ApiError;
  /** The answer to an injected server failure with this HTTP status. */
  serverError(status: number, service: string): ApiError;
  /** The answer when no route matches (only the default dialect's is used). */
  notFound(req: EmulatorRequest): ApiError;
}

/** What a call gets once routed and authenticated. */
export interface CallContext {
  readonly req: EmulatorRequest;
  /** Emulator time of the call. */
  readonly now: Date;
  readonly principal: Principal;
}

/** A route a module recognised for a request. */
export interface RouteMatch {
  /** Service short name (`sms`, `iam`, later `dcs`, `mse`), used by faults and the log. */
  readonly service: string;
  /** Operation name as the vendor's SDK spells it (`CreateTask`). */
  readonly operation: string;
  readonly dialect: Dialect;
  /** True for calls that need no credentials (IAM's password token issue). */
  readonly anonymous: boolean;
  /** True when a successful call may change state, so the store is saved afterwards. */
  readonly mutates: boolean;
  /** Validates the request against the contract and runs the handler. Throws {@link ApiError}. */
  invoke(call: CallContext): Reply | Promise<Reply>;
}

/** What a module gets from the server when it is created. */
export interface ModuleContext {
  readonly clock: EmulatorClock;
}

/**
 * One emulated service (moto's "backend" plus its URL table). To add a service, write a factory
 * returning this and list it in `emulator/modules.ts`; everything else (faults, auth, envelope,
 * request log, persistence, control plane) then applies to it unchanged.
 */
export interface ServiceModule {
  /** Short name used by the control plane (`"sms"` in `force-state`, keys of `seed` and `state`). */
  readonly name: string;
  /** Returns the route for a request, or undefined when this module does not serve it. */
  resolve(req: EmulatorRequest): RouteMatch | undefined;
  /** Replaces all state with the named data set. */
  reset(seed: SeedName): void;
  /** Adds resources given as JSON (`POST /_emulator/seed`, under the module's name). Throws Error on bad input. */
  seed?(data: unknown, now: Date): void;
  /** Sets state out of band (`POST /_emulator/force-state` with this module's name). Throws Error on bad input. */
  forceState?(cmd: unknown, now: Date): void;
  /** Applies settings (`POST /_emulator/config`, e.g. lifecycle durations). Throws Error on bad input. */
  configure?(cfg: unknown): void;
  /** Current settings, for `GET /_emulator/config`. */
  config?(): unknown;
  /** Human-readable state at `now` (lifecycles settled), for `GET /_emulator/state`. */
  dump(now: Date): unknown;
  /** JSON-serialisable state for persistence. */
  snapshot(): unknown;
  /** Loads what {@link snapshot} produced. */
  restore(data: unknown): void;
}
