/**
 * A small in-memory deployment engine: runs a Pulumi program under mocks and drives the real
 * dynamic-provider process through Check/Diff/Create/Read/Update/Delete the way `pulumi up`,
 * `preview`, `refresh` and `destroy` do (docs/pulumi-dynamic.md), without a Pulumi CLI.
 *
 * @packageDocumentation
 */
import { randomInt } from "crypto";
import { promises as fs } from "fs";
import {
  ROOT_STACK_TYPE,
  configureArgs,
  runProgram,
  type ConfigValue,
  type PulumiProgram,
  type Registration,
  type RegistrationResult,
} from "./capture";
import { ProviderError, ProviderProcess, type CheckFailure, type ProviderLogEntry } from "./providerProcess";
import {
  applyAdditionalSecretOutputs,
  isPlainObject,
  isSecret,
  secret,
  secretKeys,
  stripSecrets,
  unwrapSecret,
  UNKNOWN,
  type PropertyMap,
} from "./secrets";

/** Options of {@link MiniEngine}. */
export interface MiniEngineOptions {
  /**
   * The Pulumi project directory: the provider process runs there, so closures `require()` the
   * implementation (a package or compiled `.js`) relative to it, exactly as under the CLI.
   */
  projectDir: string;
  /** Project name. */
  project: string;
  /** Stack name. */
  stack: string;
  /**
   * Stack config. Keys without a namespace get `<project>:`. `{secret: "..."}` marks a secret
   * (`pulumi config set --secret`): it reaches the provider's Configure secret-wrapped and the
   * program as secret config.
   */
  config?: Record<string, ConfigValue>;
  /** Extra environment for the provider process. */
  providerEnv?: Record<string, string>;
  /** Called with each line as the provider prints it (the CLI shows them live, during the step). */
  onProviderLog?: (entry: ProviderLogEntry) => void;
}

/** Options of {@link MiniEngine.up}. */
export interface UpOptions {
  /** Run as `pulumi preview`: Check and Diff run, Create/Update/Delete do not, state is unchanged. */
  preview?: boolean;
}

/** One resource in the engine's state (what a checkpoint would hold). */
export interface ResourceState {
  /** URN. */
  urn: string;
  /** Type token. */
  type: string;
  /** Logical name. */
  name: string;
  /** Parent URN ("" for the root stack). */
  parent: string;
  /** Custom resource (true) or component (false). */
  custom: boolean;
  /** Read with `get` (ReadResource): never deleted by the engine, only forgotten ("discard"). */
  external: boolean;
  /** Resource id ("" for components). */
  id: string;
  /** Checked inputs, wire format (secrets wrapped). */
  inputs: PropertyMap;
  /** Outputs, wire format (secrets wrapped). */
  outputs: PropertyMap;
  /** Top-level output keys that are secret; derived from `outputs` for quick assertions. */
  secretOutputs: string[];
  /** Reasons of a partial failure (ErrorResourceInitFailed); non-empty forces an update next time. */
  initErrors: string[];
  /** `additionalSecretOutputs` option, re-applied after every step. */
  additionalSecretOutputs: string[];
  /** `protect` option: delete and replace are refused. */
  protect: boolean;
  /** `retainOnDelete` option: deletes forget the resource without calling the provider. */
  retainOnDelete: boolean;
  /** Dependencies (URNs) recorded at registration. */
  dependencies: string[];
}

/** Kinds of steps the engine reports. `preview-*` steps ran nothing that changes the world. */
export type StepOp =
  | "create"
  | "update"
  | "replace"
  | "delete"
  | "delete-replaced"
  | "same"
  | "read"
  | "import"
  | "discard"
  | "refresh"
  | "refresh-delete"
  | "preview-create"
  | "preview-update"
  | "preview-replace"
  | "preview-delete";

/** One step of an operation. */
export interface Step {
  /** What happened. */
  op: StepOp;
  /** URN of the resource. */
  urn: string;
  /** Logical name. */
  name: string;
  /** Type token. */
  type: string;
  /** Id after the step ("" when unknown or none). */
  id: string;
  /** Id before the step, for replacements. */
  oldId?: string;
  /** Properties that caused a replacement. */
  replaces?: string[];
  /** Whether the replacement deleted the old resource first. */
  deleteBeforeReplace?: boolean;
  /**
   * What the CLI shows as `[diff: ...]` after an update, replace or refresh step: the top-level
   * input keys that differ between the old and the new inputs (see {@link formatShortDiff}).
   */
  diff?: InputDiff;
  /** For refresh: whether the outputs or inputs changed. */
  changed?: boolean;
  /**
   * Set when the step failed but still changed state: a partial failure (init error) that kept
   * the resource. The text is what the CLI shows: the provider's reasons, not its message. A
   * provider call that fails outright leaves no step, only a {@link Failure}; the CLI shows that
   * step as "creating failed" or "updating failed".
   */
  error?: string;
}

/**
 * Top-level input keys that differ between two input maps, `__` keys (such as `__provider`) left
 * out, each list sorted: the diff the CLI's display computes when the provider returns no
 * detailed diff, which a dynamic provider never does.
 */
export interface InputDiff {
  /** Keys only in the new inputs. */
  added: string[];
  /** Keys only in the old inputs. */
  removed: string[];
  /** Keys in both, with different values. */
  changed: string[];
}

/** The diff between two input maps, as the CLI's display computes it. */
export function inputDiff(olds: PropertyMap, news: PropertyMap): InputDiff {
  const internal = (k: string) => k.startsWith("__");
  const has = (m: PropertyMap, k: string) => Object.prototype.hasOwnProperty.call(m, k);
  const oldKeys = Object.keys(olds).filter((k) => !internal(k));
  const newKeys = Object.keys(news).filter((k) => !internal(k));
  return {
    added: newKeys.filter((k) => !has(olds, k)).sort(),
    removed: oldKeys.filter((k) => !has(news, k)).sort(),
    changed: oldKeys.filter((k) => has(news, k) && !deepEqual(olds[k], news[k])).sort(),
  };
}

/** The CLI's short form of a diff, as in `[diff: +a-b~c,d]`; "" when nothing differs. */
export function formatShortDiff(diff: InputDiff): string {
  const group = (prefix: string, keys: string[]) => (keys.length > 0 ? prefix + keys.join(",") : "");
  return group("+", diff.added) + group("-", diff.removed) + group("~", diff.changed);
}

/** A diagnostic message, like the CLI's diagnostics. */
export interface Diagnostic {
  /** `info`/`infoerr` are provider stdout/stderr lines; `error` are engine-reported failures. */
  severity: "info" | "infoerr" | "warning" | "error";
  /** The resource it concerns, when known. */
  urn?: string;
  /** The text. */
  message: string;
}

/** A failed resource operation; `message` is the error as the CLI shows it under the resource. */
export interface Failure {
  /** URN ("" for program-level failures). */
  urn: string;
  /** Logical name ("" for program-level failures). */
  name: string;
  /** Error message. */
  message: string;
}

/** Summary of one engine operation. */
export interface RunSummary {
  /** Steps in the order they completed. The root stack resource has no steps. */
  steps: Step[];
  /** Engine errors and the provider's output lines emitted during the operation. */
  diagnostics: Diagnostic[];
  /** The program's stack exports in wire format (secrets wrapped, unknowns as UNKNOWN); up/preview only. */
  outputs: PropertyMap;
  /** Outputs handed back to the program for each registered resource, by URN; up/preview only. */
  resourceOutputs: Record<string, PropertyMap>;
  /** Failed operations; non-empty means the operation threw a {@link DeploymentError}. */
  failures: Failure[];
}

/** Thrown when an operation fails; `summary` has everything that happened up to then. */
export class DeploymentError extends Error {
  /** What happened before (and including) the failure. */
  readonly summary: RunSummary;

  /** Creates the error from a summary whose `failures` are non-empty. */
  constructor(operation: string, summary: RunSummary) {
    super(
      `${operation} failed: ` +
        summary.failures.map((f) => (f.urn ? `${f.name} (${f.urn}): ${f.message}` : f.message)).join("; "),
    );
    this.name = "DeploymentError";
    this.summary = summary;
  }
}

/** JSON form of the engine state, written by {@link MiniEngine.save}. */
export interface EngineSnapshot {
  /** Format version (1). */
  version: 1;
  /** Project the state belongs to. */
  project: string;
  /** Stack the state belongs to. */
  stack: string;
  /** Resources in dependency (registration) order. */
  resources: ResourceState[];
  /** Replaced resources whose delete has not run yet (created-before-delete, interrupted). */
  pendingDeletes: ResourceState[];
}

/** Tells whether a type token is served by the Node.js dynamic provider. */
export function isDynamicType(type: string): boolean {
  return type === "pulumi-nodejs:dynamic:Resource" || type.startsWith("pulumi-nodejs:dynamic");
}

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const RANDOM_STRING = "random:index/randomString:RandomString";

interface LogMark {
  proc: ProviderProcess | undefined;
  count: number;
}

interface RunContext {
  preview: boolean;
  steps: Step[];
  diagnostics: Diagnostic[];
  failures: Failure[];
  seen: Set<string>;
  resourceOutputs: Record<string, PropertyMap>;
}

/**
 * The mini engine. One instance is one stack: state lives in memory across operations (and can be
 * saved/loaded as JSON), and one dynamic-provider process is shared by all operations.
 *
 * The provider process starts lazily, at the first operation that needs it (the first dynamic
 * registration of an `up`/preview, or a refresh/destroy with dynamic resources in state), like the
 * engine loads the default `pulumi-nodejs` provider on first use. It is started once per engine
 * (the start is memoised as a promise, because registrations arrive concurrently) and receives
 * GetPluginInfo and Configure (full stack config) before any other call. Call {@link close}.
 *
 * Steps for one program run happen as registrations arrive (concurrently, like the engine's
 * parallel step execution); resources not registered by the program are deleted afterwards in
 * reverse order, and only when the run had no failure (the engine skips deletes after an error).
 * A failed step is reported to the program as a failed result (its outputs become unknown, as with
 * an engine that reports results) and later registrations of that run are skipped.
 * Not modelled: aliases, transforms, targets, `replaceOnChanges`, nested `ignoreChanges` paths,
 * dependency-graph-aware delete-before-replace of dependents, provider resources' own lifecycle.
 */
export class MiniEngine {
  private readonly opts: MiniEngineOptions;
  private resources = new Map<string, ResourceState>();
  private pendingDeletes: ResourceState[] = [];
  private providerPromise?: Promise<ProviderProcess>;
  private providerProcess?: ProviderProcess;

  /** Creates an engine with empty state; nothing starts until the first operation. */
  constructor(opts: MiniEngineOptions) {
    this.opts = opts;
  }

  /** The live state: URN → resource, in registration order. */
  get state(): ReadonlyMap<string, ResourceState> {
    return this.resources;
  }

  /** Resources in state that are not the root stack, in order. */
  list(): ResourceState[] {
    return [...this.resources.values()].filter((r) => r.type !== ROOT_STACK_TYPE);
  }

  /** Finds a resource in state by logical name (and type, when names repeat across types). */
  find(name: string, type?: string): ResourceState | undefined {
    const matches = this.list().filter((r) => r.name === name && (type === undefined || r.type === type));
    if (matches.length > 1) {
      throw new Error(`more than one resource named ${name}; pass the type`);
    }
    return matches[0];
  }

  /** Lines printed by the provider process so far (what the CLI would show as diagnostics). */
  providerLogs(): string[] {
    return [...(this.providerProcess?.logs ?? [])];
  }

  /** The most recently started provider process (see its `running`), or undefined if none started yet. */
  get process(): ProviderProcess | undefined {
    return this.providerProcess;
  }

  /**
   * Runs `program` like `pulumi up --yes` (or `pulumi preview` with `{preview: true}`).
   * Resolves with the summary, or rejects with a {@link DeploymentError} carrying it.
   */
  async up(program: PulumiProgram, options: UpOptions = {}): Promise<RunSummary> {
    const ctx = this.newContext(options.preview ?? false);
    const logMark = this.logMark();
    // The language host runs a program in its project's folder, so relative paths in programs
    // (such as a folder of migration files) resolve there.
    const cwd = process.cwd();
    process.chdir(this.opts.projectDir);
    let run: Awaited<ReturnType<typeof runProgram>>;
    try {
      run = await runProgram(
        program,
        {
          project: this.opts.project,
          stack: this.opts.stack,
          preview: ctx.preview,
          config: this.opts.config,
        },
        (reg) => this.register(reg, ctx),
      );
    } finally {
      process.chdir(cwd);
    }
    if (run.programError !== undefined && ctx.failures.length === 0) {
      const message = errorMessage(run.programError);
      ctx.failures.push({ urn: "", name: "", message: `program failed: ${message}` });
      ctx.diagnostics.push({ severity: "error", message: `program failed: ${message}` });
    }
    if (ctx.failures.length === 0) {
      await this.deleteLeftovers(ctx);
    }
    const summary: RunSummary = {
      steps: ctx.steps,
      diagnostics: ctx.diagnostics,
      outputs: run.stackOutputs,
      resourceOutputs: ctx.resourceOutputs,
      failures: ctx.failures,
    };
    return this.finish(ctx.preview ? "preview" : "up", summary, logMark);
  }

  /**
   * Like `pulumi refresh --yes`: Read for every custom resource with its id, old outputs (which
   * carry `__provider`) and old inputs; a resource whose read returns id "" is dropped.
   */
  async refresh(): Promise<RunSummary> {
    const ctx = this.newContext(false);
    const logMark = this.logMark();
    for (const res of [...this.resources.values()]) {
      if (!res.custom) {
        continue;
      }
      try {
        if (!isDynamicType(res.type)) {
          this.addStep(ctx, res, "refresh", { changed: false });
          continue;
        }
        const prov = await this.provider();
        const read = await prov.read(res.urn, res.id, res.outputs, res.inputs);
        if (!read.id) {
          this.resources.delete(res.urn);
          this.addStep(ctx, res, "refresh-delete", { id: "" });
          continue;
        }
        const outputs = applyAdditionalSecretOutputs(read.properties, res.additionalSecretOutputs);
        const inputs = read.inputs ?? res.inputs;
        const changed =
          !deepEqual(outputs, res.outputs) || !deepEqual(inputs, res.inputs) || read.id !== res.id;
        this.resources.set(res.urn, this.withOutputs({ ...res, id: read.id, inputs }, outputs));
        this.addStep(ctx, res, "refresh", { id: read.id, changed, diff: inputDiff(res.inputs, inputs) });
      } catch (err) {
        this.fail(ctx, res, err);
      }
    }
    const summary: RunSummary = { ...this.emptySummary(), steps: ctx.steps, diagnostics: ctx.diagnostics };
    summary.failures = ctx.failures;
    return this.finish("refresh", summary, logMark);
  }

  /** Like `pulumi destroy --yes`: deletes everything in reverse order, without running the program. */
  async destroy(): Promise<RunSummary> {
    const ctx = this.newContext(false);
    const logMark = this.logMark();
    try {
      await this.runPendingDeletes(ctx);
      for (const res of [...this.resources.values()].reverse()) {
        await this.deleteOne(res, ctx, "delete");
        this.resources.delete(res.urn);
      }
    } catch {
      // deleteOne recorded the failure; the engine stops a destroy at the first error.
    }
    const summary: RunSummary = { ...this.emptySummary(), steps: ctx.steps, diagnostics: ctx.diagnostics };
    summary.failures = ctx.failures;
    return this.finish("destroy", summary, logMark);
  }

  /** The state as a JSON-ready snapshot (deep copy). */
  snapshot(): EngineSnapshot {
    return JSON.parse(
      JSON.stringify({
        version: 1,
        project: this.opts.project,
        stack: this.opts.stack,
        resources: [...this.resources.values()],
        pendingDeletes: this.pendingDeletes,
      }),
    ) as EngineSnapshot;
  }

  /** Replaces the state with a snapshot (for example one read from a file). */
  restore(snapshot: EngineSnapshot): void {
    if (snapshot.version !== 1 || !Array.isArray(snapshot.resources)) {
      throw new Error("unsupported engine snapshot");
    }
    const copy = JSON.parse(JSON.stringify(snapshot)) as EngineSnapshot;
    this.resources = new Map(copy.resources.map((r) => [r.urn, r]));
    this.pendingDeletes = copy.pendingDeletes ?? [];
  }

  /** Writes the state to a JSON file (plaintext: secrets stay wrapped but are not encrypted). */
  async save(file: string): Promise<void> {
    await fs.writeFile(file, JSON.stringify(this.snapshot(), null, 2) + "\n", "utf8");
  }

  /** Loads the state from a JSON file written by {@link save}. A missing file means empty state. */
  async load(file: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        this.restore({
          version: 1,
          project: this.opts.project,
          stack: this.opts.stack,
          resources: [],
          pendingDeletes: [],
        });
        return;
      }
      throw err;
    }
    this.restore(JSON.parse(text) as EngineSnapshot);
  }

  /**
   * Stops the provider process (if started). The engine can be used again afterwards (a new
   * process starts on demand); {@link providerLogs} keeps the stopped process's lines until then.
   */
  async close(): Promise<void> {
    const pending = this.providerPromise;
    this.providerPromise = undefined;
    if (pending) {
      const prov = await pending.catch(() => undefined);
      await prov?.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Registration handling

  private async register(reg: Registration, ctx: RunContext): Promise<RegistrationResult> {
    if (ctx.seen.has(reg.urn)) {
      this.fail(ctx, reg, new Error(`Duplicate resource URN '${reg.urn}'; try giving it a unique name`));
      return { id: "", outputs: {}, status: "fail" };
    }
    ctx.seen.add(reg.urn);
    if (ctx.failures.length > 0) {
      // After an error the engine issues no new steps: later registrations are skipped (their
      // outputs are unknown to the program) and state keeps what it had.
      return { id: this.resources.get(reg.urn)?.id ?? "", outputs: {}, status: "skip" };
    }
    try {
      const result =
        reg.custom && isDynamicType(reg.type)
          ? await this.registerDynamic(reg, ctx)
          : this.registerSimple(reg, ctx);
      ctx.resourceOutputs[reg.urn] = result.outputs;
      return result;
    } catch (err) {
      this.fail(ctx, reg, err);
      if (err instanceof ProviderError && err.initFailure && !ctx.preview) {
        // A partially created resource exists, with an id and outputs the program may use.
        const kept = this.resources.get(reg.urn);
        if (kept) {
          ctx.resourceOutputs[reg.urn] = kept.outputs;
          return { id: kept.id, outputs: kept.outputs, status: "fail" };
        }
      }
      return { id: "", outputs: {}, status: "fail" };
    }
  }

  private async registerDynamic(reg: Registration, ctx: RunContext): Promise<RegistrationResult> {
    const prov = await this.provider();
    if (reg.kind === "read") {
      return this.readExternal(prov, reg, ctx);
    }
    const old = this.resources.get(reg.urn);
    if (!old && reg.id) {
      return this.importResource(prov, reg, ctx);
    }
    if (!old || old.external) {
      return this.createNew(prov, reg, ctx);
    }
    return this.updateExisting(prov, reg, old, ctx);
  }

  private async createNew(
    prov: ProviderProcess,
    reg: Registration,
    ctx: RunContext,
  ): Promise<RegistrationResult> {
    // On create the engine sends olds = {} (it forces an empty map; the Node.js provider relies on it).
    const checked = await this.check(prov, reg, {}, reg.inputs);
    if (ctx.preview) {
      // Without supportsPreview the engine does not call Create in preview: the checked inputs
      // (unknowns included) stand in for the outputs, and the id is unknown.
      const outputs = applyAdditionalSecretOutputs(checked, reg.additionalSecretOutputs);
      this.addStep(ctx, reg, "preview-create", { id: "" });
      return { id: "", outputs };
    }
    const created = await this.create(prov, reg, checked, ctx, "create");
    this.addStep(ctx, reg, "create", { id: created.id });
    return created;
  }

  private async updateExisting(
    prov: ProviderProcess,
    reg: Registration,
    old: ResourceState,
    ctx: RunContext,
  ): Promise<RegistrationResult> {
    const news = applyIgnoreChanges(reg.inputs, old.inputs, reg.ignoreChanges);
    // Check gets the old INPUTS; Diff gets the old OUTPUTS (the dynamic provider passes those to
    // `diff` as olds) plus the old inputs.
    const checked = await this.check(prov, reg, old.inputs, news);
    const diff = await prov.diff(reg.urn, old.id, old.outputs, old.inputs, checked);
    let changes = diff.changes === "DIFF_SOME";
    if (diff.changes === "DIFF_UNKNOWN") {
      // The engine falls back to its own diff of old vs new inputs, `__provider` included.
      changes = !deepEqual(stripSecrets(old.inputs), stripSecrets(checked));
    }
    if (changes && diff.replaces.length > 0) {
      return this.replace(prov, reg, old, news, diff.replaces, diff.deleteBeforeReplace, ctx);
    }
    if (changes || old.initErrors.length > 0) {
      // With init errors and no changes the engine still issues an (empty) update to retry.
      if (ctx.preview) {
        // Update is not called in preview without supportsPreview; the new inputs are shown.
        const outputs = applyAdditionalSecretOutputs(checked, reg.additionalSecretOutputs);
        this.addStep(ctx, reg, "preview-update", { id: old.id, diff: inputDiff(old.inputs, checked) });
        return { id: old.id, outputs };
      }
      let properties: PropertyMap;
      try {
        properties = (await prov.update(reg.urn, old.id, old.outputs, checked, old.inputs)).properties;
      } catch (err) {
        if (err instanceof ProviderError && err.initFailure) {
          // Partial failure: the update happened but the resource did not initialize. The engine
          // records the new outputs and the init errors, then fails the deployment.
          this.commit(reg, old.id, checked, err.initFailure.properties, err.initFailure.reasons);
          this.addStep(ctx, reg, "update", {
            id: old.id,
            error: errorMessage(err),
            diff: inputDiff(old.inputs, checked),
          });
        }
        throw err;
      }
      const state = this.commit(reg, old.id, checked, properties, []);
      this.addStep(ctx, reg, "update", { id: old.id, diff: inputDiff(old.inputs, checked) });
      return { id: old.id, outputs: state.outputs };
    }
    // Same: the engine keeps the old outputs (including the old `__provider`) and records the new inputs.
    if (!ctx.preview) {
      this.commit(reg, old.id, checked, old.outputs, []);
    }
    this.addStep(ctx, reg, "same", { id: old.id });
    return { id: old.id, outputs: old.outputs };
  }

  private async replace(
    prov: ProviderProcess,
    reg: Registration,
    old: ResourceState,
    news: PropertyMap,
    replaces: string[],
    providerDeleteBeforeReplace: boolean,
    ctx: RunContext,
  ): Promise<RegistrationResult> {
    if (old.protect && reg.protect) {
      throw new Error(`unable to replace resource "${reg.urn}" as it is currently marked for protection`);
    }
    // The engine re-runs Check without olds before a replacement, to recompute defaults.
    const checked = await this.check(prov, reg, {}, news);
    const deleteBeforeReplace = reg.deleteBeforeReplace ?? providerDeleteBeforeReplace;
    if (ctx.preview) {
      const outputs = applyAdditionalSecretOutputs(checked, reg.additionalSecretOutputs);
      this.addStep(ctx, reg, "preview-replace", {
        id: "",
        oldId: old.id,
        replaces,
        deleteBeforeReplace,
        diff: inputDiff(old.inputs, checked),
      });
      return { id: "", outputs };
    }
    if (deleteBeforeReplace) {
      await this.deleteOne(old, ctx, "delete-replaced");
      this.resources.delete(old.urn);
    }
    const created = await this.create(prov, reg, checked, ctx, "replace", old.id);
    if (!deleteBeforeReplace) {
      // Create-before-delete: the old resource is deleted after all other steps of the run.
      this.pendingDeletes.push(old);
    }
    this.addStep(ctx, reg, "replace", {
      id: created.id,
      oldId: old.id,
      replaces,
      deleteBeforeReplace,
      diff: inputDiff(old.inputs, checked),
    });
    return created;
  }

  private async readExternal(
    prov: ProviderProcess,
    reg: Registration,
    ctx: RunContext,
  ): Promise<RegistrationResult> {
    // ReadStep sends the program's props as both state and inputs; `dynamic.Resource` put
    // `__provider` in them, which is why `get` works for dynamic resources on SDK 3.248.
    const read = await prov.read(reg.urn, reg.id, reg.inputs, reg.inputs);
    if (!read.id) {
      throw new Error(`resource '${reg.id}' does not exist`);
    }
    const outputs = applyAdditionalSecretOutputs(read.properties, reg.additionalSecretOutputs);
    if (!ctx.preview) {
      const state = this.commit(reg, read.id, read.inputs ?? reg.inputs, outputs, []);
      state.external = true;
    }
    this.addStep(ctx, reg, "read", { id: read.id });
    return { id: read.id, outputs };
  }

  private async importResource(
    prov: ProviderProcess,
    reg: Registration,
    ctx: RunContext,
  ): Promise<RegistrationResult> {
    // ImportStep reads with no state and no inputs, so a dynamic provider has no `__provider` to
    // load and fails ("code must be a string, not undefined"), exactly as under the CLI.
    const read = await prov.read(reg.urn, reg.id, {}, {});
    if (!read.id) {
      throw new Error(`resource '${reg.id}' does not exist`);
    }
    const checked = await this.check(prov, reg, read.inputs ?? {}, reg.inputs);
    const outputs = applyAdditionalSecretOutputs(read.properties, reg.additionalSecretOutputs);
    if (!ctx.preview) {
      this.commit(reg, read.id, checked, outputs, []);
    }
    this.addStep(ctx, reg, "import", { id: read.id });
    return { id: read.id, outputs };
  }

  /** Non-dynamic resources (components, `@pulumi/random`, ...): outputs = inputs, deterministic ids. */
  private registerSimple(reg: Registration, ctx: RunContext): RegistrationResult {
    const old = this.resources.get(reg.urn);
    if (reg.kind === "read") {
      const outputs = applyAdditionalSecretOutputs(reg.inputs, reg.additionalSecretOutputs);
      if (!ctx.preview) {
        this.commit(reg, reg.id, reg.inputs, outputs, []).external = true;
      }
      this.addStep(ctx, reg, "read", { id: reg.id });
      return { id: reg.id, outputs };
    }
    if (old && deepEqual(stripSecrets(old.inputs), stripSecrets(reg.inputs))) {
      if (!ctx.preview) {
        this.commit(reg, old.id, reg.inputs, old.outputs, []);
      }
      this.addStep(ctx, reg, "same", { id: old.id });
      return { id: old.id, outputs: old.outputs };
    }
    const id = reg.custom ? reg.id || old?.id || `${reg.name}-id` : "";
    if (ctx.preview) {
      // Computed outputs (such as a random result) are unknown in preview: leave them out.
      const outputs = applyAdditionalSecretOutputs(reg.inputs, reg.additionalSecretOutputs);
      const op = old ? "preview-update" : "preview-create";
      this.addStep(ctx, reg, op, { id: old ? id : "" });
      return { id: old ? id : "", outputs };
    }
    const state = this.commit(reg, id, reg.inputs, { ...reg.inputs, ...simulatedOutputs(reg) }, []);
    this.addStep(ctx, reg, old ? "update" : "create", { id });
    return { id, outputs: state.outputs };
  }

  // ---------------------------------------------------------------------------------------------
  // Provider calls with engine semantics

  private async check(
    prov: ProviderProcess,
    reg: Registration,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<PropertyMap> {
    const result = await prov.check(reg.urn, olds, news);
    if (result.failures.length > 0) {
      // The engine prints the value from the inputs it sent, not from those Check returned.
      throw new Error(result.failures.map((f) => checkFailureMessage(reg, news, f)).join("\n"));
    }
    return result.inputs;
  }

  private async create(
    prov: ProviderProcess,
    reg: Registration,
    checked: PropertyMap,
    ctx: RunContext,
    op: "create" | "replace",
    oldId?: string,
  ): Promise<RegistrationResult> {
    let created;
    try {
      created = await prov.create(reg.urn, checked);
    } catch (err) {
      if (err instanceof ProviderError && err.initFailure) {
        // Partial failure: the object exists but failed to initialize. The engine keeps it in
        // state with the reported id and outputs (so the next run updates, and destroy deletes it)
        // and then fails the deployment.
        this.commit(reg, err.initFailure.id, checked, err.initFailure.properties, err.initFailure.reasons);
        this.addStep(ctx, reg, op, { id: err.initFailure.id, oldId, error: errorMessage(err) });
      }
      throw err;
    }
    if (!created.id) {
      throw new Error(
        `plugin for package 'pulumi-nodejs' returned empty resource.ID from create '${reg.urn}'`,
      );
    }
    const state = this.commit(reg, created.id, checked, created.properties, []);
    return { id: created.id, outputs: state.outputs };
  }

  private async deleteOne(
    res: ResourceState,
    ctx: RunContext,
    op: "delete" | "delete-replaced",
  ): Promise<void> {
    try {
      if (res.protect) {
        throw new Error(`unable to delete resource "${res.urn}" as it is currently marked for protection`);
      }
      if (res.external || res.retainOnDelete) {
        this.addStep(ctx, res, "discard", { id: res.id });
        return;
      }
      if (res.custom && isDynamicType(res.type)) {
        const prov = await this.provider();
        // Delete uses the OLD outputs, so it runs the `__provider` stored at the last create/update.
        await prov.delete(res.urn, res.id, res.outputs, res.inputs);
      }
      if (res.type !== ROOT_STACK_TYPE) {
        this.addStep(ctx, res, op, { id: res.id });
      }
    } catch (err) {
      this.fail(ctx, res, err);
      throw err;
    }
  }

  private async runPendingDeletes(ctx: RunContext): Promise<void> {
    while (this.pendingDeletes.length > 0) {
      const res = this.pendingDeletes[0]!;
      await this.deleteOne(res, ctx, "delete-replaced");
      this.pendingDeletes.shift();
    }
  }

  private async deleteLeftovers(ctx: RunContext): Promise<void> {
    const leftovers = [...this.resources.values()].filter((r) => !ctx.seen.has(r.urn)).reverse();
    if (ctx.preview) {
      for (const res of [...this.pendingDeletes, ...leftovers]) {
        if (res.type !== ROOT_STACK_TYPE) {
          this.addStep(ctx, res, "preview-delete", { id: res.id });
        }
      }
      return;
    }
    try {
      await this.runPendingDeletes(ctx);
      for (const res of leftovers) {
        await this.deleteOne(res, ctx, "delete");
        this.resources.delete(res.urn);
      }
    } catch {
      // Recorded by deleteOne; remaining deletes are skipped like the engine does after an error.
    }
  }

  /**
   * Kills the provider process with SIGKILL, as if `pulumi up` were killed: an operation waiting
   * on it fails, and the resource it was creating stays out of state (the engine's pending
   * CREATE). The next operation starts a fresh process.
   */
  async killProvider(): Promise<void> {
    const prov = await this.providerPromise?.catch(() => undefined);
    await prov?.kill();
  }

  private provider(): Promise<ProviderProcess> {
    // A process that died (killed, crashed) is replaced, as the next `pulumi up` starts its own.
    if (this.providerProcess && !this.providerProcess.running) {
      this.providerPromise = undefined;
      this.providerProcess = undefined;
    }
    if (!this.providerPromise) {
      const promise = (async () => {
        const nodejsConfig: Record<string, string> = {};
        for (const [k, v] of Object.entries(configureArgs(this.opts.project, this.opts.config))) {
          // PULUMI_CONFIG of a plugin holds only its own package's config (pkg/host/host.go).
          if (k.startsWith("pulumi-nodejs:")) {
            nodejsConfig[k] = String(unwrapSecret(v));
          }
        }
        const env: Record<string, string> = { ...this.opts.providerEnv };
        if (Object.keys(nodejsConfig).length > 0) {
          env.PULUMI_CONFIG = JSON.stringify(nodejsConfig);
        }
        const prov = await ProviderProcess.start({
          cwd: this.opts.projectDir,
          project: this.opts.project,
          env,
          onLog: this.opts.onProviderLog,
        });
        try {
          await prov.getPluginInfo();
          await prov.configure(configureArgs(this.opts.project, this.opts.config));
        } catch (err) {
          await prov.close();
          throw err;
        }
        this.providerProcess = prov;
        return prov;
      })();
      this.providerPromise = promise;
      // A failed start is not cached, so a later operation can retry.
      promise.catch(() => {
        if (this.providerPromise === promise) {
          this.providerPromise = undefined;
        }
      });
    }
    return this.providerPromise;
  }

  // ---------------------------------------------------------------------------------------------
  // Bookkeeping

  private commit(
    reg: Registration,
    id: string,
    inputs: PropertyMap,
    outputs: PropertyMap,
    initErrors: string[],
  ): ResourceState {
    const state: ResourceState = this.withOutputs(
      {
        urn: reg.urn,
        type: reg.type,
        name: reg.name,
        parent: reg.parent,
        custom: reg.custom,
        external: false,
        id,
        inputs,
        outputs: {},
        secretOutputs: [],
        initErrors,
        additionalSecretOutputs: reg.additionalSecretOutputs,
        protect: reg.protect,
        retainOnDelete: reg.retainOnDelete,
        dependencies: reg.dependencies,
      },
      outputs,
    );
    this.resources.set(reg.urn, state);
    return state;
  }

  private withOutputs(state: ResourceState, outputs: PropertyMap): ResourceState {
    // The engine applies additionalSecretOutputs to the state after every step.
    const outs = applyAdditionalSecretOutputs(outputs, state.additionalSecretOutputs);
    return { ...state, outputs: outs, secretOutputs: secretKeys(outs) };
  }

  private newContext(preview: boolean): RunContext {
    return { preview, steps: [], diagnostics: [], failures: [], seen: new Set(), resourceOutputs: {} };
  }

  private emptySummary(): RunSummary {
    return { steps: [], diagnostics: [], outputs: {}, resourceOutputs: {}, failures: [] };
  }

  private addStep(
    ctx: RunContext,
    res: { urn: string; name: string; type: string },
    op: StepOp,
    extra: Partial<Omit<Step, "op" | "urn" | "name" | "type">> & { id?: string },
  ): void {
    if (res.type === ROOT_STACK_TYPE) {
      return;
    }
    ctx.steps.push({
      op,
      urn: res.urn,
      name: res.name,
      type: res.type,
      id: extra.id ?? "",
      ...stripUndefined(extra),
    });
  }

  private fail(ctx: RunContext, res: { urn: string; name: string; type: string }, err: unknown): void {
    const message = errorMessage(err);
    ctx.failures.push({ urn: res.urn, name: res.name, message });
    ctx.diagnostics.push({ severity: "error", urn: res.urn, message });
  }

  private logMark(): LogMark {
    const proc = this.providerProcess;
    return { proc, count: proc?.logEntries.length ?? 0 };
  }

  private async finish(operation: string, summary: RunSummary, logMark: LogMark): Promise<RunSummary> {
    const prov = this.providerProcess;
    if (prov) {
      // Provider output travels over a pipe, separately from the gRPC answers: give lines printed
      // during the last call a moment to arrive before taking them.
      await new Promise((resolve) => setTimeout(resolve, 25));
      // A process started during this operation contributes all of its lines.
      const start = prov === logMark.proc ? logMark.count : 0;
      for (const entry of prov.logEntries.slice(start)) {
        summary.diagnostics.push({
          severity: entry.stream === "stdout" ? "info" : "infoerr",
          message: entry.line,
        });
      }
    }
    if (summary.failures.length > 0) {
      throw new DeploymentError(operation, summary);
    }
    return summary;
  }
}

/** Top-level `ignoreChanges`: ignored properties keep their old input value (or stay absent). */
function applyIgnoreChanges(
  news: PropertyMap,
  oldInputs: PropertyMap,
  ignore: readonly string[],
): PropertyMap {
  if (ignore.length === 0) {
    return news;
  }
  const result: PropertyMap = { ...news };
  for (const key of ignore) {
    if (Object.prototype.hasOwnProperty.call(oldInputs, key)) {
      result[key] = oldInputs[key];
    } else {
      delete result[key];
    }
  }
  return result;
}

/**
 * Message in the engine's format for a Check failure. The engine prints the value with Go's `%v`
 * of a `resource.PropertyValue` (`{-3}`, `{web-01}`, `{map[vmId:{x}]}`); a secret, which it
 * prints as a pointer address, is shown as `{[secret]}` here.
 */
function checkFailureMessage(reg: Registration, inputs: PropertyMap, failure: CheckFailure): string {
  if (!failure.property) {
    return `${reg.type} resource '${reg.name}' has a problem: ${failure.reason}`;
  }
  const shown = goPropertyValue(inputs[failure.property]);
  return `${reg.type} resource '${reg.name}': property ${failure.property} value ${shown} has a problem: ${failure.reason}`;
}

/** Go's `%v` of a `resource.PropertyValue` holding a wire-format value. */
function goPropertyValue(value: unknown): string {
  const inner = (v: unknown): string => {
    if (v === undefined || v === null) {
      return "<nil>";
    }
    if (isSecret(v)) {
      return "[secret]";
    }
    if (v === UNKNOWN) {
      return "{{}}";
    }
    if (typeof v === "number") {
      return goFloat(v);
    }
    if (Array.isArray(v)) {
      return `[${v.map(goPropertyValue).join(" ")}]`;
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v).sort();
      return `map[${keys.map((k) => `${k}:${goPropertyValue(v[k])}`).join(" ")}]`;
    }
    return String(v);
  };
  return `{${inner(value)}}`;
}

/** Go's `%v` of a float64: the shortest representation, with an exponent below 1e-4 or from 1e21. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) {
    return Number.isNaN(n) ? "NaN" : n > 0 ? "+Inf" : "-Inf";
  }
  if (n === 0) {
    return Object.is(n, -0) ? "-0" : "0";
  }
  const [mantissa, exp] = n.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 21) {
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(n);
}

/**
 * What the engine reports for a partial failure: not the provider's error message but its
 * reasons, joined the way Go's multierror prints them (`plugin.InitError`).
 */
export function initErrorMessage(reasons: readonly string[]): string {
  if (reasons.length === 0) {
    return "resource init failed";
  }
  if (reasons.length === 1) {
    return `1 error occurred:\n\t* ${reasons[0]}`;
  }
  return `${reasons.length} errors occurred:\n\t${reasons.map((r) => `* ${r}`).join("\n\t")}`;
}

/** Outputs a simple mock adds for a few well-known non-dynamic types so that examples can run. */
function simulatedOutputs(reg: Registration): PropertyMap {
  if (reg.type !== RANDOM_PASSWORD && reg.type !== RANDOM_STRING) {
    return {};
  }
  const inputs = stripSecrets(reg.inputs) as PropertyMap;
  const result = randomText(inputs);
  // The random provider's schema marks a password's result secret.
  return { result: reg.type === RANDOM_PASSWORD ? secret(result) : result };
}

/** A random string honouring the usual `@pulumi/random` flags (length, lower/upper/numeric/special, min*). */
function randomText(inputs: PropertyMap): string {
  const length = typeof inputs.length === "number" && inputs.length > 0 ? Math.floor(inputs.length) : 16;
  const special =
    typeof inputs.overrideSpecial === "string" ? inputs.overrideSpecial : "!@#$%&*()-_=+[]{}<>:?";
  const classes: Array<{ chars: string; min: number }> = [];
  const add = (enabled: boolean, chars: string, minKey: string): void => {
    if (enabled && chars.length > 0) {
      const min = typeof inputs[minKey] === "number" ? (inputs[minKey] as number) : 0;
      classes.push({ chars, min: Math.max(min, 1) });
    }
  };
  add(inputs.lower !== false, "abcdefghijklmnopqrstuvwxyz", "minLower");
  add(inputs.upper !== false, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "minUpper");
  // `number` is the deprecated spelling of `numeric`.
  add(inputs.numeric !== false && inputs.number !== false, "0123456789", "minNumeric");
  add(inputs.special !== false, special, "minSpecial");
  if (classes.length === 0) {
    classes.push({ chars: "abcdefghijklmnopqrstuvwxyz", min: 1 });
  }
  const chars: string[] = [];
  // One of each enabled class first (as far as the length allows), so generated passwords meet
  // the usual complexity rules of cloud APIs.
  for (const cls of classes) {
    for (let i = 0; i < cls.min && chars.length < length; i++) {
      chars.push(cls.chars[randomInt(cls.chars.length)]!);
    }
  }
  const all = classes.map((c) => c.chars).join("");
  while (chars.length < length) {
    chars.push(all[randomInt(all.length)]!);
  }
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/** Structural equality of JSON-like values, ignoring key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function errorMessage(err: unknown): string {
  if (err instanceof ProviderError && err.initFailure) {
    return initErrorMessage(err.initFailure.reasons);
  }
  return err instanceof Error ? err.message : String(err);
}
