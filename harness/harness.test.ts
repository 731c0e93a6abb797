import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  DeploymentError,
  MiniEngine,
  ProviderError,
  ProviderProcess,
  UNKNOWN,
  annotateSecrets,
  captureRegistrations,
  configureArgs,
  containsPlaintext,
  formatShortDiff,
  initErrorMessage,
  inputDiff,
  isSecret,
  resourceInitError,
  secret,
  unwrapSecret,
  type RunSummary,
} from "./index";

// The provider process runs here, so the closure's require("./impl.cjs") resolves to the fixture.
const TOY_DIR = path.join(__dirname, "fixtures", "toy");
const TOY_TYPE = "pulumi-nodejs:dynamic/toy:Item";
/** The @pulumi/pulumi version the provider process in TOY_DIR loads. */
const sdkVersion = (
  JSON.parse(
    fs.readFileSync(require.resolve("@pulumi/pulumi/package.json", { paths: [TOY_DIR] }), "utf8"),
  ) as { version: string }
).version;

// Thin provider: every method only requires the implementation at run time, so the serialized
// closure is small and the implementation (plain JS) loads inside the provider process.
class ToyProvider implements pulumi.dynamic.ResourceProvider {
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("./impl.cjs").configure(req);
  }
  async check(olds: unknown, news: unknown): Promise<pulumi.dynamic.CheckResult> {
    return require("./impl.cjs").check(olds, news);
  }
  async diff(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
    return require("./impl.cjs").diff(id, olds, news);
  }
  async create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
    return require("./impl.cjs").create(inputs);
  }
  async read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
    return require("./impl.cjs").read(id, props);
  }
  async update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
    return require("./impl.cjs").update(id, olds, news);
  }
  async delete(id: string, props: unknown): Promise<void> {
    return require("./impl.cjs").delete(id, props);
  }
}

// One module-level instance: the SDK caches the serialized closure per provider instance.
const toyProvider = new ToyProvider();

interface ToyArgs {
  name: pulumi.Input<string>;
  size?: pulumi.Input<number>;
  label?: pulumi.Input<string>;
  secretValue?: pulumi.Input<string>;
  deleteFirst?: boolean;
  failInit?: boolean;
}

class ToyItem extends pulumi.dynamic.Resource {
  declare readonly size: pulumi.Output<number>;
  declare readonly label: pulumi.Output<string | undefined>;
  declare readonly etag: pulumi.Output<string>;
  declare readonly itemId: pulumi.Output<string>;
  declare readonly secretValue: pulumi.Output<string | undefined>;

  constructor(name: string, args: ToyArgs, opts?: pulumi.CustomResourceOptions) {
    // Every output is seeded (as undefined) so the SDK creates an Output for it even when the
    // program does not pass the input, e.g. for a get by id.
    const seeded = {
      size: undefined,
      label: undefined,
      secretValue: undefined,
      etag: undefined,
      itemId: undefined,
    };
    super(toyProvider, name, { ...seeded, ...args }, opts, "toy", "Item");
  }
}

interface ToyCall {
  op: string;
  id?: string;
  apiToken?: string;
  olds?: Record<string, unknown>;
  news?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
}

interface ToyStore {
  nextId: number;
  objects: Record<string, { name: string; size: number; label: string | null; etag: string }>;
  calls: ToyCall[];
}

function newStoreFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-toy-"));
  return path.join(dir, "store.json");
}

function readStore(file: string): ToyStore {
  return JSON.parse(fs.readFileSync(file, "utf8")) as ToyStore;
}

function writeStore(file: string, store: ToyStore): void {
  fs.writeFileSync(file, JSON.stringify(store, null, 2));
}

function ops(summary: RunSummary): string[] {
  return summary.steps.map((s) => `${s.op} ${s.name}`);
}

function urnOf(name: string): string {
  return `urn:pulumi:dev::toy::${TOY_TYPE}::${name}`;
}

describe("secrets helpers", () => {
  it("annotateSecrets ports the engine rule: same key secret in, secret out; objects recurse; arrays taint whole", () => {
    const outs = { token: "t", plain: "p", nested: { a: "x", b: "y" }, list: [1, 2], extra: "e" };
    const ins = { token: secret("t"), plain: "p", nested: { a: secret("x"), b: "y" }, list: [1, secret(2)] };
    const annotated = annotateSecrets(outs, ins);
    expect(annotated.token).toEqual(secret("t"));
    expect(annotated.plain).toBe("p");
    expect(annotated.nested).toEqual({ a: secret("x"), b: "y" });
    expect(annotated.list).toEqual(secret([1, 2]));
    expect(annotated.extra).toBe("e");
  });

  it("containsPlaintext ignores secret-wrapped values and scans Maps and JSON text", () => {
    const state = new Map([["u", { outputs: { password: secret("hunter2"), user: "admin" } }]]);
    expect(containsPlaintext(state, "hunter2")).toBe(false);
    expect(containsPlaintext(state, "admin")).toBe(true);
    expect(containsPlaintext(JSON.stringify({ x: "hunter2" }), "hunter2")).toBe(true);
  });

  it("resourceInitError builds the error shape grpcResponseFromError packs, keeping __provider", () => {
    const err = resourceInitError(
      "not healthy",
      { id: "i-1", properties: { a: 1, b: undefined } },
      {
        __provider: "code",
      },
    );
    expect(err.message).toBe("not healthy");
    expect(err.id).toBe("i-1");
    expect(err.properties).toEqual({ a: 1, __provider: "code" });
    // The engine shows the reasons, not the message: by default the message is the reason.
    expect(err.reasons).toEqual(["not healthy"]);
    expect(resourceInitError("m", { id: "i-2", reasons: ["r"] }).reasons).toEqual(["r"]);
  });
});

describe("what the CLI shows", () => {
  it("the short diff: top-level input keys added, removed and changed, internal keys left out", () => {
    const diff = inputDiff(
      { __provider: "a", b: 1, c: { x: 1 }, gone: true, same: "s" },
      { __provider: "b", b: 2, c: { x: 1 }, added: 0, same: "s", a: null },
    );
    expect(diff).toEqual({ added: ["a", "added"], removed: ["gone"], changed: ["b"] });
    expect(formatShortDiff(diff)).toBe("+a,added-gone~b");
    expect(formatShortDiff(inputDiff({ a: 1 }, { a: 1 }))).toBe("");
  });

  it("an init failure as the engine words it: its reasons in Go's multierror form", () => {
    expect(initErrorMessage([])).toBe("resource init failed");
    expect(initErrorMessage(["r1"])).toBe("1 error occurred:\n\t* r1");
    expect(initErrorMessage(["r1", "r2"])).toBe("2 errors occurred:\n\t* r1\n\t* r2");
  });
});

describe("captureRegistrations", () => {
  it("returns the real serialized __provider and secret-wrapped secret inputs", async () => {
    const regs = await captureRegistrations(
      () => {
        new ToyItem("cap", { name: "captured", secretValue: pulumi.secret("s3cr3t") });
      },
      { project: "toy", stack: "dev" },
    );
    expect(regs).toHaveLength(1);
    const [reg] = regs;
    expect(reg!.type).toBe(TOY_TYPE);
    expect(reg!.urn).toBe(urnOf("cap"));
    const closure = reg!.inputs.__provider;
    expect(typeof closure).toBe("string");
    expect(closure as string).toContain('require("./impl.cjs")');
    expect(closure as string).toContain("exports.handler");
    expect(isSecret(reg!.inputs.secretValue)).toBe(true);
    expect(unwrapSecret(reg!.inputs.secretValue)).toBe("s3cr3t");
    expect(reg!.inputs.name).toBe("captured");
  });

  it("marks unknown inputs with the UNKNOWN sentinel in preview", async () => {
    const regs = await captureRegistrations(
      () => {
        const a = new ToyItem("a", { name: "a" });
        new ToyItem("b", { name: "b", label: a.etag });
      },
      { project: "toy", stack: "dev", preview: true },
    );
    expect(regs.find((r) => r.name === "b")!.inputs.label).toBe(UNKNOWN);
  });
});

describe("ProviderProcess", () => {
  let prov: ProviderProcess;
  let storeFile: string;
  let closure: string;

  beforeAll(async () => {
    storeFile = newStoreFile();
    const regs = await captureRegistrations(
      () => {
        new ToyItem("p", { name: "p" });
      },
      { project: "toy", stack: "dev" },
    );
    closure = regs[0]!.inputs.__provider as string;
    prov = await ProviderProcess.start({ cwd: TOY_DIR, project: "toy" });
  });

  afterAll(async () => {
    await prov?.close();
  });

  it("configures with acceptSecrets=false, passes UNKNOWN through Check, maps errors to their message", async () => {
    // The provider reports the version of the SDK it runs from: the one installed here.
    expect(await prov.getPluginInfo()).toBe(sdkVersion);
    const cfg = await prov.configure(configureArgs("toy", { storeFile, apiToken: { secret: "tok-1" } }));
    expect(cfg).toEqual({ acceptSecrets: false, acceptResources: false, supportsPreview: false });

    const checked = await prov.check(urnOf("p"), {}, { __provider: closure, name: "p", label: UNKNOWN });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.label).toBe(UNKNOWN);
    expect(checked.inputs.size).toBe(1);
    // configure ran lazily on first use of the closure, with the secret unwrapped.
    expect(readStore(storeFile).calls[0]).toEqual({ op: "configure", apiToken: "tok-1" });

    const failed = prov.check(urnOf("p"), {}, { name: "no provider" });
    await expect(failed).rejects.toBeInstanceOf(ProviderError);
    await expect(failed).rejects.toThrow(/code must be a string/);
  });
});

describe("MiniEngine lifecycle (one stack across runs)", () => {
  let engine: MiniEngine;
  let storeFile: string;
  let callMark = 0;

  // Calls the toy API received since the previous invocation.
  function newCalls(): ToyCall[] {
    const calls = readStore(storeFile).calls;
    const fresh = calls.slice(callMark);
    callMark = calls.length;
    return fresh;
  }

  function program(opts: {
    aName?: string;
    aSize?: number;
    withB?: boolean;
    bName?: string;
    bDeleteFirst?: boolean;
  }) {
    return () => {
      const a = new ToyItem("a", { name: opts.aName ?? "alpha", size: opts.aSize ?? 2 });
      const exports: Record<string, unknown> = { aEtag: a.etag, aId: a.id };
      if (opts.withB !== false) {
        const b = new ToyItem("b", {
          name: opts.bName ?? "beta",
          label: a.etag,
          ...(opts.bDeleteFirst ? { deleteFirst: true } : {}),
        });
        exports.bLabel = b.label;
      }
      return exports;
    };
  }

  beforeAll(() => {
    storeFile = newStoreFile();
    engine = new MiniEngine({ projectDir: TOY_DIR, project: "toy", stack: "dev", config: { storeFile } });
  });

  afterAll(async () => {
    await engine.close();
  });

  it("preview: an unknown input reaches Check as the sentinel and Create is never called", async () => {
    const summary = await engine.up(program({}), { preview: true });
    expect(ops(summary)).toEqual(["preview-create a", "preview-create b"]);
    const calls = newCalls();
    const checkB = calls.find((c) => c.op === "check" && c.news?.name === "beta");
    expect(checkB?.news?.label).toBe(UNKNOWN);
    expect(checkB?.olds).toEqual({});
    expect(calls.map((c) => c.op)).not.toContain("create");
    expect(summary.outputs.aEtag).toBe(UNKNOWN);
    expect(engine.list()).toEqual([]);
  });

  it("up creates resources and feeds real provider outputs back into the program", async () => {
    const summary = await engine.up(program({}));
    expect(ops(summary)).toEqual(["create a", "create b"]);
    const a = engine.find("a")!;
    const b = engine.find("b")!;
    expect(a.id).toBe("toy-1");
    expect(b.id).toBe("toy-2");
    expect(b.inputs.label).toBe(a.outputs.etag);
    expect(summary.outputs).toMatchObject({ aEtag: a.outputs.etag, aId: "toy-1", bLabel: a.outputs.etag });
    expect(typeof a.outputs.__provider).toBe("string");
    expect(engine.providerLogs()).toEqual(
      expect.arrayContaining(["toy: created toy-1", "toy: created toy-2"]),
    );
    expect(summary.diagnostics).toEqual(
      expect.arrayContaining([{ severity: "info", message: "toy: created toy-1" }]),
    );
    expect(newCalls().map((c) => c.op)).toEqual(expect.arrayContaining(["check", "create"]));
  });

  it("a no-op up runs Check and Diff only: no create, update or delete", async () => {
    const before = engine.snapshot();
    const summary = await engine.up(program({}));
    expect(ops(summary)).toEqual(["same a", "same b"]);
    const calls = newCalls().map((c) => c.op);
    expect(calls).toEqual(["check", "diff", "check", "diff"]);
    expect(engine.snapshot()).toEqual(before);
  });

  it("an input change updates in place", async () => {
    const summary = await engine.up(program({ aSize: 3 }));
    // Update gives `a` a new etag, which `b` uses as its label, so `b` is updated too.
    expect(ops(summary)).toEqual(["update a", "update b"]);
    expect(engine.find("a")!.outputs.size).toBe(3);
    expect(readStore(storeFile).objects["toy-1"]!.size).toBe(3);
    const update = newCalls().find((c) => c.op === "update");
    // Update gets the old OUTPUTS as olds.
    expect(update?.olds).toMatchObject({ size: 2, etag: expect.any(String), hasProvider: true });
  });

  it("a replacing change creates the new object first and deletes the old one at the end", async () => {
    const oldEtag = engine.find("a")!.outputs.etag;
    const summary = await engine.up(program({ aName: "alpha2", aSize: 3 }));
    expect(ops(summary)).toEqual(["replace a", "update b", "delete-replaced a"]);
    const replace = summary.steps[0]!;
    expect(replace).toMatchObject({
      id: "toy-3",
      oldId: "toy-1",
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
    const calls = newCalls().map((c) => `${c.op}${c.id ? ` ${c.id}` : ""}`);
    expect(calls.indexOf("create")).toBeLessThan(calls.indexOf("delete toy-1"));
    expect(readStore(storeFile).objects["toy-1"]).toBeUndefined();
    expect(engine.find("b")!.inputs.label).not.toBe(oldEtag);
  });

  it("deleteBeforeReplace from the provider deletes first", async () => {
    const summary = await engine.up(
      program({ aName: "alpha2", aSize: 3, bName: "beta2", bDeleteFirst: true }),
    );
    expect(ops(summary)).toEqual(["same a", "delete-replaced b", "replace b"]);
    const calls = newCalls().map((c) => `${c.op}${c.id ? ` ${c.id}` : ""}`);
    expect(calls.indexOf("delete toy-2")).toBeLessThan(calls.indexOf("create"));
    expect(engine.find("b")!.id).toBe("toy-4");
  });

  it("refresh picks up drift", async () => {
    const store = readStore(storeFile);
    store.objects["toy-3"]!.size = 99;
    writeStore(storeFile, store);
    newCalls();
    const summary = await engine.refresh();
    expect(summary.steps.map((s) => `${s.op} ${s.name} ${String(s.changed)}`)).toEqual([
      "refresh a true",
      "refresh b false",
    ]);
    expect(engine.find("a")!.outputs.size).toBe(99);
    // Read receives the old outputs, which carry the __provider that loads the provider.
    expect(newCalls().find((c) => c.op === "read" && c.id === "toy-3")).toBeDefined();
  });

  it("refresh drops a resource deleted out of band, and the next up recreates it", async () => {
    const store = readStore(storeFile);
    delete store.objects["toy-4"];
    writeStore(storeFile, store);
    const summary = await engine.refresh();
    expect(ops(summary)).toEqual(["refresh a", "refresh-delete b"]);
    expect(engine.find("b")).toBeUndefined();

    // The drifted size (99) differs from the program's 3, so `a` is updated back.
    const up = await engine.up(program({ aName: "alpha2", aSize: 3, bName: "beta2", bDeleteFirst: true }));
    expect(ops(up)).toEqual(["update a", "create b"]);
  });

  it("preview against existing state: Check and Diff run, nothing changes", async () => {
    newCalls();
    const before = engine.snapshot();
    const summary = await engine.up(program({ aName: "alpha3", aSize: 3, withB: false }), { preview: true });
    expect(ops(summary)).toEqual(["preview-replace a", "preview-delete b"]);
    expect(summary.steps[0]).toMatchObject({ id: "", oldId: engine.find("a")!.id, replaces: ["name"] });
    // A replacement re-runs Check without olds; Create/Delete never run in preview.
    expect(newCalls().map((c) => c.op)).toEqual(["check", "diff", "check"]);
    expect(summary.outputs.aId).toBe(UNKNOWN);
    expect(engine.snapshot()).toEqual(before);
  });

  it("a resource removed from the program is deleted", async () => {
    newCalls();
    const summary = await engine.up(program({ aName: "alpha2", aSize: 3, withB: false }));
    expect(ops(summary)).toEqual(["same a", "delete b"]);
    expect(newCalls().filter((c) => c.op === "delete")).toHaveLength(1);
    expect(engine.list().map((r) => r.name)).toEqual(["a"]);
  });

  it("save/load round-trips the state", async () => {
    const file = path.join(path.dirname(storeFile), "state.json");
    await engine.save(file);
    const other = new MiniEngine({ projectDir: TOY_DIR, project: "toy", stack: "dev" });
    await other.load(file);
    expect(other.snapshot()).toEqual(engine.snapshot());
  });

  it("destroy deletes everything in reverse order", async () => {
    newCalls();
    const summary = await engine.destroy();
    expect(ops(summary)).toEqual(["delete a"]);
    expect(engine.state.size).toBe(0);
    expect(readStore(storeFile).objects).toEqual({});
    // One provider process served every operation of this engine, configured once.
    expect(readStore(storeFile).calls.filter((c) => c.op === "configure")).toHaveLength(1);
  });
});

// Stands in for @pulumi/random's RandomPassword (not installed here): same type token and options.
class FakeRandomPassword extends pulumi.CustomResource {
  declare readonly result: pulumi.Output<string>;

  constructor(name: string, length: number) {
    super(
      "random:index/randomPassword:RandomPassword",
      name,
      { length, special: false, result: undefined },
      { additionalSecretOutputs: ["result"] },
    );
  }
}

describe("MiniEngine failures, secrets and other resources", () => {
  it("non-dynamic resources get mock outputs (a random password gets a secret result) and start no provider", async () => {
    const engine = new MiniEngine({ projectDir: TOY_DIR, project: "toy", stack: "dev" });
    try {
      const prog = () => ({ pw: new FakeRandomPassword("pw", 24).result });
      const first = await engine.up(prog);
      expect(ops(first)).toEqual(["create pw"]);
      const pw = engine.find("pw")!;
      expect(pw.id).toBe("pw-id");
      expect(isSecret(pw.outputs.result)).toBe(true);
      const result = unwrapSecret(pw.outputs.result) as string;
      expect(result).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(isSecret(first.outputs.pw)).toBe(true);
      expect(containsPlaintext(engine.state, result)).toBe(false);
      expect(engine.process).toBeUndefined();

      const second = await engine.up(prog);
      expect(ops(second)).toEqual(["same pw"]);
      expect(unwrapSecret(engine.find("pw")!.outputs.result)).toBe(result);
    } finally {
      await engine.close();
    }
  });

  it("a partial failure (init error) keeps the resource with its id; the next up retries with an update", async () => {
    const storeFile = newStoreFile();
    const engine = new MiniEngine({
      projectDir: TOY_DIR,
      project: "toy",
      stack: "dev",
      config: { storeFile },
    });
    try {
      const prog = () => {
        new ToyItem("flaky", { name: "flaky", failInit: true });
      };
      const err = await engine.up(prog).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeploymentError);
      const summary = (err as DeploymentError).summary;
      expect(summary.steps).toEqual([expect.objectContaining({ op: "create", name: "flaky", id: "toy-1" })]);
      // The engine shows the reasons (Go's multierror list), not the provider's message.
      expect(summary.steps[0]!.error).toBe("1 error occurred:\n\t* health check failed");
      expect((err as Error).message).toContain("1 error occurred:\n\t* health check failed");
      const state = engine.find("flaky")!;
      expect(state.id).toBe("toy-1");
      expect(state.initErrors).toEqual(["health check failed"]);
      expect(state.outputs.itemId).toBe("toy-1");

      // No input changed, but init errors force an update.
      const retry = await engine.up(prog);
      expect(ops(retry)).toEqual(["update flaky"]);
      expect(engine.find("flaky")!.initErrors).toEqual([]);
      await engine.destroy();
      expect(readStore(storeFile).objects).toEqual({});
    } finally {
      await engine.close();
    }
  });

  it("check failures fail the run with the engine's message and create nothing", async () => {
    const storeFile = newStoreFile();
    const engine = new MiniEngine({
      projectDir: TOY_DIR,
      project: "toy",
      stack: "dev",
      config: { storeFile },
    });
    try {
      const err = await engine
        .up(() => {
          new ToyItem("bad", { name: "bad", size: -1 });
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeploymentError);
      expect((err as Error).message).toContain(
        `${TOY_TYPE} resource 'bad': property size value {-1} has a problem: size must be a non-negative number`,
      );
      expect(engine.list()).toEqual([]);
      expect(readStore(storeFile).calls.map((c) => c.op)).not.toContain("create");
    } finally {
      await engine.close();
    }
  });

  it("secret config reaches configure; secret inputs come back secret and never appear in plaintext", async () => {
    const storeFile = newStoreFile();
    const engine = new MiniEngine({
      projectDir: TOY_DIR,
      project: "toy",
      stack: "dev",
      config: { storeFile, apiToken: { secret: "tok-s3cr3t" } },
    });
    try {
      const summary = await engine.up(() => {
        const item = new ToyItem(
          "sec",
          { name: "sec", secretValue: pulumi.secret("hunter2-plain") },
          { additionalSecretOutputs: ["etag"] },
        );
        return { secretOut: item.secretValue, name: "sec" };
      });
      const calls = readStore(storeFile).calls;
      expect(calls.filter((c) => c.op === "configure")).toEqual([
        { op: "configure", apiToken: "tok-s3cr3t" },
      ]);
      // The provider saw plaintext (the engine strips secrets for acceptSecrets=false)...
      expect(calls.find((c) => c.op === "create")?.inputs?.secretValue).toBe("hunter2-plain");
      // ...and the engine re-marked the same-named output secret.
      const state = engine.find("sec")!;
      expect(isSecret(state.inputs.secretValue)).toBe(true);
      expect(isSecret(state.outputs.secretValue)).toBe(true);
      expect(state.secretOutputs.sort()).toEqual(["etag", "secretValue"]);
      expect(isSecret(summary.outputs.secretOut)).toBe(true);
      expect(containsPlaintext(engine.state, "hunter2-plain")).toBe(false);
      expect(containsPlaintext(engine.snapshot(), "sec")).toBe(true);
      expect(engine.providerLogs().join("\n")).not.toContain("hunter2");
    } finally {
      await engine.close();
    }
  });

  it("get (new X(name, props, {id})) reads through the provider", async () => {
    const storeFile = newStoreFile();
    const engine = new MiniEngine({
      projectDir: TOY_DIR,
      project: "toy",
      stack: "dev",
      config: { storeFile },
    });
    try {
      await engine.up(() => {
        new ToyItem("orig", { name: "orig", size: 5 });
      });
      const summary = await engine.up(() => {
        new ToyItem("orig", { name: "orig", size: 5 });
        const got = new ToyItem("ref", { name: "orig" }, { id: "toy-1" });
        return { size: got.size };
      });
      // Registrations run concurrently, so the steps' order is not fixed.
      expect(ops(summary).sort()).toEqual(["read ref", "same orig"]);
      expect(summary.outputs.size).toBe(5);
      expect(engine.find("ref")!.external).toBe(true);
      const destroyed = await engine.destroy();
      expect(ops(destroyed)).toEqual(["discard ref", "delete orig"]);
    } finally {
      await engine.close();
    }
  });

  it("a throwing program fails the run without unhandled rejections, and deletes nothing", async () => {
    const storeFile = newStoreFile();
    const engine = new MiniEngine({
      projectDir: TOY_DIR,
      project: "toy",
      stack: "dev",
      config: { storeFile },
    });
    try {
      await engine.up(() => {
        new ToyItem("keep", { name: "keep" });
      });
      const err = await engine
        .up(() => {
          throw new Error("boom in program");
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeploymentError);
      expect((err as Error).message).toContain("program failed: boom in program");
      // The engine skips deletes when the run failed.
      expect(engine.find("keep")).toBeDefined();
      expect(readStore(storeFile).calls.map((c) => c.op)).not.toContain("delete");
    } finally {
      await engine.close();
    }
  });
});
