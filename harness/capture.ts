/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks` and hands every resource
 * registration, in wire format, to a handler that decides its id and outputs.
 *
 * The SDK's `MockMonitor` passes only `{type, name, inputs, provider, custom, id}` to mocks and
 * deserializes the inputs (unknowns become `pulumi.Unknown` objects). The harness needs the full
 * request (parent, `additionalSecretOutputs`, `deleteBeforeReplace`, ...) and the exact wire form
 * the engine would see, so after `setMocks` it replaces `registerResource`, `readResource` and
 * `registerResourceOutputs` on the installed `MockMonitor` instance. Everything else (feature
 * negotiation, invokes) stays the SDK's mock code.
 *
 * @packageDocumentation
 */
import * as pulumi from "@pulumi/pulumi";
import {
  fromStruct,
  resproto,
  toStruct,
  type ReadResourceRequest,
  type RegisterResourceOutputsRequest,
  type RegisterResourceRequest,
} from "./sdkModules";
import { secret, type PropertyMap } from "./secrets";

/** A config value: plaintext, or `{secret: "..."}` for a value set with `pulumi config set --secret`. */
export type ConfigValue = string | { secret: string };

/** Type token of the root stack resource. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** One resource registration as the resource monitor (engine) receives it. */
export interface Registration {
  /** `register` for `new X(...)`, `read` for `new X(name, props, { id })` (ReadResource). */
  kind: "register" | "read";
  /** URN, computed like the engine does (the root stack type is not part of child URNs). */
  urn: string;
  /** Type token, e.g. `pulumi-nodejs:dynamic/toy:Item`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Parent URN ("" for the root stack). */
  parent: string;
  /** Custom resource (true) or component (false). */
  custom: boolean;
  /** Import id (`import` option) for `register`, the id to read for `read`; "" when none. */
  id: string;
  /**
   * Inputs in wire format: secrets secret-wrapped, unknowns as the UNKNOWN sentinel, and for
   * dynamic resources the serialized provider closure in `__provider` (secret-wrapped when the
   * closure captured a secret).
   */
  inputs: PropertyMap;
  /** Provider reference, "" for the default provider. */
  provider: string;
  /** Explicit and implicit dependencies (URNs). */
  dependencies: string[];
  /** `additionalSecretOutputs` option. */
  additionalSecretOutputs: string[];
  /** `deleteBeforeReplace` option, undefined when not set. */
  deleteBeforeReplace?: boolean;
  /** `protect` option. */
  protect: boolean;
  /** `retainOnDelete` option. */
  retainOnDelete: boolean;
  /** `ignoreChanges` option. */
  ignoreChanges: string[];
  /** `replaceOnChanges` option. */
  replaceOnChanges: string[];
}

/** What a registration handler answers: the id (or "" for unknown/none) and outputs in wire format. */
export interface RegistrationResult {
  /** Resource id; "" for components and for ids not known yet (preview). */
  id: string;
  /** Outputs in wire format; missing outputs are unknown in preview and undefined otherwise. */
  outputs: PropertyMap;
  /**
   * How the step ended, reported like an engine with result reporting does: `fail` and `skip`
   * make every output the program has not been given unknown (instead of rejecting the
   * resource's outputs). Defaults to `success`.
   */
  status?: "success" | "fail" | "skip";
}

/**
 * Decides the outcome of a registration. A thrown error is reported to the program as a failed
 * step (status `fail`, no outputs); the handler is expected to have recorded it.
 */
export type RegistrationHandler = (registration: Registration) => Promise<RegistrationResult>;

/** Options of {@link runProgram}. */
export interface ProgramRunOptions {
  /** Project name (`pulumi.getProject()`). */
  project: string;
  /** Stack name (`pulumi.getStack()`). */
  stack: string;
  /** Run as a preview (`pulumi.runtime.isDryRun()`); unknown outputs stay unknown. */
  preview?: boolean;
  /** Stack config; keys without a namespace get `<project>:`. */
  config?: Record<string, ConfigValue>;
}

/** Outcome of {@link runProgram}. */
export interface ProgramRunResult {
  /** Registrations in arrival order (the root stack first). */
  registrations: Registration[];
  /** The program's exports as registered on the root stack, in wire format. */
  stackOutputs: PropertyMap;
  /** Set when the program itself threw or rejected. */
  programError?: unknown;
}

/** A program: what you would write in `index.ts`, returning the stack exports (or nothing). */
export type PulumiProgram = () => unknown;

// The SDK keeps its runtime state on globalThis (shared by every copy of @pulumi/pulumi), so two
// programs must never run at the same time in one process. The lock lives on globalThis too, so
// that two copies of this module (e.g. src and dist) also serialize.
const LOCK_KEY = Symbol.for("pulumi-migration-tasks.harness.program-lock");
type LockHolder = { [LOCK_KEY]?: Promise<void> };

async function withProgramLock<T>(fn: () => Promise<T>): Promise<T> {
  const holder = globalThis as LockHolder;
  const previous = holder[LOCK_KEY] ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  holder[LOCK_KEY] = previous.then(() => mine);
  await previous;
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Namespaces a config key like the CLI does: `key` → `<project>:key`. */
export function namespacedKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Computes a URN like the engine's `generateURN`: the parent's qualified type is prefixed with `$`,
 * except when the parent is the root stack. (The SDK's MockMonitor prefixes the stack type too,
 * which a real deployment never does.)
 */
export function makeUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentQualified = parent.split("::")[2] ?? "";
    if (parentQualified !== ROOT_STACK_TYPE) {
      qualified = `${parentQualified}$${type}`;
    }
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The parts of the SDK's MockMonitor that the harness replaces or reads. */
interface PatchableMonitor {
  registerResource(req: RegisterResourceRequest, cb: (err: unknown, resp: unknown) => void): unknown;
  readResource(req: ReadResourceRequest, cb: (err: unknown, resp: unknown) => void): unknown;
  registerResourceOutputs(
    req: RegisterResourceOutputsRequest,
    cb: (err: unknown, resp: unknown) => void,
  ): unknown;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

function isPatchableMonitor(value: unknown): value is PatchableMonitor {
  return (
    typeof value === "object" &&
    value !== null &&
    "resources" in value &&
    typeof (value as { registerResource?: unknown }).registerResource === "function"
  );
}

/**
 * Runs `program` as the root stack of a mocked deployment and calls `handler` for every resource
 * registration. Resolves once the program and all its resource operations are done.
 *
 * Runs are serialized process-wide because the SDK runtime state is global; the runtime options
 * and config are reset afterwards.
 */
export async function runProgram(
  program: PulumiProgram,
  opts: ProgramRunOptions,
  handler: RegistrationHandler,
): Promise<ProgramRunResult> {
  return withProgramLock(async () => {
    const { project, stack } = opts;
    const preview = opts.preview ?? false;
    const registrations: Registration[] = [];
    let stackOutputs: PropertyMap = {};
    let stackUrn = "";

    const plainConfig: Record<string, string> = {};
    const secretConfigKeys: string[] = [];
    for (const [k, v] of Object.entries(opts.config ?? {})) {
      const key = namespacedKey(project, k);
      if (typeof v === "string") {
        plainConfig[key] = v;
      } else {
        plainConfig[key] = v.secret;
        secretConfigKeys.push(key);
      }
    }

    try {
      pulumi.runtime.setAllConfig(plainConfig, secretConfigKeys);
      await pulumi.runtime.setMocks(
        {
          newResource: () => {
            throw new Error("harness: the MockMonitor's registerResource should have been replaced");
          },
          call: (args) => {
            throw new Error(`harness: invoke ${args.token} is not supported`);
          },
        },
        project,
        stack,
        preview,
      );
      const monitor: unknown = pulumi.runtime.getMonitor();
      if (!isPatchableMonitor(monitor)) {
        throw new Error("harness: setMocks did not install the SDK's MockMonitor");
      }

      // Failures are answered as a failed step rather than an RPC error: an RPC error makes the
      // SDK reject every Output of the resource, and nothing observes most of those promises, so
      // they would surface as unhandled rejections (which fail a jest test, or crash plain Node).
      // Engines with result reporting answer the same way, and the program carries on with
      // unknown outputs for that resource.
      const respond = async (registration: Registration): Promise<RegistrationResult> => {
        registrations.push(registration);
        try {
          return await handler(registration);
        } catch {
          return { id: "", outputs: {}, status: "fail" };
        }
      };
      // Result.SKIP left the SDK's proto after 3.248; every SDK treats any result other than
      // SUCCESS alike (the resource's outputs stay unknown), so FAIL stands in where it is gone.
      const skipCode = (resproto.Result as { SKIP?: number }).SKIP ?? resproto.Result.FAIL;
      const resultCode = (status: RegistrationResult["status"]): number =>
        status === "fail" ? resproto.Result.FAIL : status === "skip" ? skipCode : resproto.Result.SUCCESS;

      monitor.registerResource = (req, cb) => {
        const parent = req.getParent();
        const urn = makeUrn(stack, project, parent, req.getType(), req.getName());
        if (req.getType() === ROOT_STACK_TYPE && !parent) {
          stackUrn = urn;
        }
        const registration: Registration = {
          kind: "register",
          urn,
          type: req.getType(),
          name: req.getName(),
          parent,
          custom: req.getCustom(),
          id: req.getImportid(),
          inputs: fromStruct(req.getObject()),
          provider: req.getProvider(),
          dependencies: req.getDependenciesList(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
          protect: req.getProtect() ?? false,
          retainOnDelete: req.getRetainondelete() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          replaceOnChanges: req.getReplaceonchangesList(),
        };
        void respond(registration).then((result) => {
          monitor.resources.set(urn, { urn, id: result.id || null, state: result.outputs });
          const resp = new resproto.RegisterResourceResponse();
          resp.setUrn(urn);
          resp.setId(result.id);
          resp.setObject(toStruct(result.outputs));
          resp.setResult(resultCode(result.status));
          cb(null, resp);
        });
      };

      monitor.readResource = (req, cb) => {
        const parent = req.getParent();
        const urn = makeUrn(stack, project, parent, req.getType(), req.getName());
        const registration: Registration = {
          kind: "read",
          urn,
          type: req.getType(),
          name: req.getName(),
          parent,
          custom: true,
          id: req.getId(),
          inputs: fromStruct(req.getProperties()),
          provider: req.getProvider(),
          dependencies: req.getDependenciesList(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
          protect: false,
          retainOnDelete: false,
          ignoreChanges: [],
          replaceOnChanges: [],
        };
        // ReadResourceResponse has no result field: a failed read resolves to empty outputs.
        void respond(registration).then((result) => {
          monitor.resources.set(urn, { urn, id: result.id || null, state: result.outputs });
          const resp = new resproto.ReadResourceResponse();
          resp.setUrn(urn);
          resp.setProperties(toStruct(result.outputs));
          cb(null, resp);
        });
      };

      monitor.registerResourceOutputs = (req, cb) => {
        if (req.getUrn() === stackUrn) {
          stackOutputs = fromStruct(req.getOutputs());
        }
        cb(null, {});
      };

      // The program's own error is caught inside the stack's init: letting it reject would reject
      // the stack's outputs, whose internal promises nobody awaits (unhandled rejections).
      let programError: unknown;
      await pulumi.runtime.runInPulumiStack(async () => {
        try {
          return await program();
        } catch (err) {
          programError = err ?? new Error("the program threw a nullish value");
          return undefined;
        }
      });
      // Waits for every outstanding resource RPC (the SDK's rpcKeepAlive chain), then drops the
      // monitor. Resources that are never awaited by the program are still registered by now.
      await pulumi.runtime.disconnect();
      return { registrations, stackOutputs, programError };
    } finally {
      pulumi.runtime.resetOptions(project, stack, -1, "", "", false, "");
      pulumi.runtime.setAllConfig({}, []);
    }
  });
}

/** A resource registration captured by {@link captureRegistrations}. */
export type CapturedRegistration = Registration;

/** Options of {@link captureRegistrations}. */
export type CaptureOptions = ProgramRunOptions;

/**
 * Runs a Pulumi program under mocks and returns every resource it registered, with inputs in wire
 * format: for a dynamic resource, `inputs.__provider` is the exact serialized closure text that
 * `pulumi.dynamic.Resource` sends to the engine (secret-wrapped if the closure captured a secret),
 * and secret inputs are secret-wrapped (check with `isSecret`).
 *
 * Every resource gets outputs = inputs and, for custom resources, the id `<name>-id` ("" in
 * preview, where ids are unknown). The root stack resource is not included.
 */
export async function captureRegistrations(
  program: PulumiProgram,
  opts: CaptureOptions,
): Promise<CapturedRegistration[]> {
  const preview = opts.preview ?? false;
  const result = await runProgram(program, opts, async (reg) => ({
    id: reg.custom && !preview ? (reg.kind === "read" ? reg.id : `${reg.name}-id`) : "",
    outputs: reg.inputs,
  }));
  if (result.programError !== undefined) {
    throw result.programError;
  }
  return result.registrations.filter((r) => r.type !== ROOT_STACK_TYPE);
}

/** Helper for tests: wraps a config value as secret config. */
export function secretConfig(value: string): { secret: string } {
  return { secret: value };
}

/** Converts harness config to the wire map the engine sends in Configure (secrets wrapped). */
export function configureArgs(project: string, config: Record<string, ConfigValue> | undefined): PropertyMap {
  const args: PropertyMap = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    args[namespacedKey(project, k)] = typeof v === "string" ? v : secret(v.secret);
  }
  return args;
}
