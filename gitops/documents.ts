/**
 * Reading migration files: YAML with exact positions, the document envelope, secret references,
 * and the resource's own validation, each problem pointed at the file, line and column it
 * concerns. One file's failure never stops the others from being judged.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Document, Node } from "yaml";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";
import { z } from "zod";
import { describeIssue } from "../provider/common/check";
import type { PropertyMap } from "../provider/common/values";
import type { KindDef, SecretRef } from "./kinds";
import {
  API_VERSION,
  KIND_NAMES,
  KINDS,
  SecretRef as SecretRefSchema,
  secretSpecPaths,
  specPath,
} from "./kinds";

/** A file to judge: where it is (as it should be printed) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One problem, printed as `file:line:column: field: rule`. */
export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted path from the document root (`spec.target.vmId`), or `(yaml)` for syntax errors. */
  field: string;
  rule: string;
}

/** A secret reference found in a spec. */
export interface SecretUse {
  /** Path in the spec, as written in the file. */
  path: (string | number)[];
  ref: SecretRef;
}

/** A valid migration file. */
export interface MigrationDocument {
  file: string;
  /** `metadata.name`: the Pulumi resource name. */
  name: string;
  kind: KindDef;
  /** The spec as written, secret references included. */
  spec: PropertyMap;
  /**
   * The resource's inputs: secret references replaced by a stand-in naming their config key, so
   * that two versions compare equal exactly when they reference the same secret.
   */
  inputs: PropertyMap;
  secrets: SecretUse[];
}

/** What names a file declares, known even when its spec is invalid, to check names across files. */
export interface DocumentIdentity {
  file: string;
  name: string;
  kind: string;
  namePosition: { line: number; column: number };
  /** The cloud task's name and region, when the kind names its tasks. */
  taskName?: { field: string; value: string; region: string; position: { line: number; column: number } };
}

/** Outcome of reading one file. */
export interface FileResult {
  document?: MigrationDocument;
  identity?: DocumentIdentity;
  problems: Problem[];
}

/** A Pulumi resource name that stays readable in URNs. */
const ResourceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    "must start with a letter or digit and hold at most 100 letters, digits, '.', '_' and '-'",
  );

const Metadata = z
  .object({
    name: ResourceName,
    description: z.string().max(1024).optional(),
  })
  .strict();

/** The document around a spec. */
export const Envelope = z
  .object({
    apiVersion: z.literal(API_VERSION),
    kind: z.string(),
    metadata: Metadata,
    spec: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Marks a secret reference inside inputs; never a real value. */
export const SECRET_STAND_IN = "secret-ref:";

type Path = (string | number)[];

/** Locates paths of one YAML document. */
class Locator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /**
   * The position of a path's value, or of its key when `key` is set; for a path that is not
   * written, the key of its nearest written ancestor (a missing field is reported where it
   * belongs).
   */
  at(p: Path, key = false): { line: number; column: number } {
    for (let n = p.length; n >= 0; n--) {
      const offset = this.offset(p.slice(0, n), key || n < p.length);
      if (offset !== undefined) {
        const { line, col } = this.lines.linePos(offset);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  }

  private offset(p: Path, key: boolean): number | undefined {
    if (p.length === 0) return (this.doc.contents as Node | null)?.range?.[0];
    const parent = p.length === 1 ? this.doc.contents : this.doc.getIn(p.slice(0, -1), true);
    const last = p[p.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isScalar(it.key) && String(it.key.value) === String(last));
      if (!pair) return undefined;
      const target = key ? pair.key : (pair.value ?? pair.key);
      return (target as Node | null)?.range?.[0];
    }
    if (isSeq(parent) && typeof last === "number") {
      return (parent.items[last] as Node | undefined)?.range?.[0];
    }
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const looksLikeRef = (v: unknown): boolean => isRecord(v) && "config" in v;

/**
 * Reads one migration file: YAML syntax, then the envelope, then secret references, then the
 * resource's validation. Every problem found is returned; `document` is set only when there
 * are none.
 */
export function readMigrationFile(file: SourceFile): FileResult {
  const lines = new LineCounter();
  // Editors do not count a byte-order mark as a column.
  const text = file.text.startsWith("\uFEFF") ? file.text.slice(1) : file.text;
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const problem = (pos: { line: number; column: number }, field: string, rule: string): Problem => ({
    file: file.path,
    ...pos,
    field,
    rule,
  });
  const list = Array.isArray(docs) ? docs : [];
  const syntax = list.flatMap((d) => [...d.errors, ...d.warnings]);
  if (syntax.length > 0) {
    return {
      problems: syntax.map((e) =>
        problem(
          { line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1 },
          "(yaml)",
          yamlRule(e.message),
        ),
      ),
    };
  }
  const documents = list.filter((d) => d.contents !== null);
  if (documents.length === 0) {
    return {
      problems: [problem({ line: 1, column: 1 }, "(document)", "the file declares no migration task")],
    };
  }
  if (documents.length > 1) {
    const second = new Locator(documents[1], lines).at([]);
    return {
      problems: [
        problem(second, "(document)", "one migration task per file; move this document to a file of its own"),
      ],
    };
  }
  const doc = documents[0];
  const at = new Locator(doc, lines);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias to nothing, or aliases that expand without bound: a problem of this file only.
    return { problems: [problem(at.at([]), "(yaml)", yamlRule((e as Error).message))] };
  }
  const fail = (p: Path, rule: string, key = false) =>
    problem(at.at(p, key), p.join(".") || "(document)", rule);

  if (!isRecord(raw))
    return { problems: [fail([], "must be a mapping with apiVersion, kind, metadata and spec")] };
  const envelope = Envelope.safeParse(raw);
  const problems: Problem[] = [];
  if (!envelope.success) {
    for (const issue of envelope.error.issues) {
      for (const d of describeIssue(issue, raw)) {
        problems.push(fail(d.path, d.rule, d.rule.startsWith("unknown field")));
      }
    }
  }
  const kindName = raw.kind;
  const kind = typeof kindName === "string" && Object.hasOwn(KINDS, kindName) ? KINDS[kindName] : undefined;
  if (typeof kindName === "string" && !kind) {
    problems.push(
      fail(["kind"], `unknown kind ${JSON.stringify(kindName)}; must be one of ${KIND_NAMES.join(", ")}`),
    );
  }
  const identity = identityOf(file.path, raw, kind, at);
  if (!kind || !isRecord(raw.spec)) return { problems, identity };

  // Secrets first: a plaintext password must be reported as such, not as whatever else the
  // value happens to break.
  const spec = raw.spec;
  const secrets: SecretUse[] = [];
  const secretProblems: Problem[] = [];
  const secretPaths = secretSpecPaths(kind);
  const isSecretPath = (p: Path) =>
    secretPaths.some((s) => s.length <= p.length && s.every((seg, i) => seg === p[i]));
  // Inputs the resource takes under another name (a Redis password is written inside its
  // endpoint) do not exist in a file: written at the top level they would be dropped.
  for (const [input, written] of Object.entries(kind.lifted)) {
    if (input in spec) {
      secretProblems.push(
        fail(
          ["spec", input],
          `unknown field; write it as ${written.join(".")}: { config: <stack config key> }`,
          true,
        ),
      );
    }
  }
  const walk = (v: unknown, p: Path): unknown => {
    const secret = isSecretPath(p);
    if (looksLikeRef(v)) {
      if (!secret) {
        secretProblems.push(
          fail(
            ["spec", ...p],
            "only secret fields take a { config: <key> } reference; write the value itself",
          ),
        );
        return v;
      }
      const ref = SecretRefSchema.safeParse(v);
      if (!ref.success) {
        for (const issue of ref.error.issues) {
          for (const d of describeIssue(issue, v))
            secretProblems.push(fail(["spec", ...p, ...d.path], d.rule));
        }
        return v;
      }
      secrets.push({ path: p, ref: ref.data });
      return `${SECRET_STAND_IN}${ref.data.config}`;
    }
    // An empty value is no secret: the resource takes it as absent.
    if (secret && v !== null && !isRecord(v)) {
      secretProblems.push(
        fail(
          ["spec", ...p],
          "is a secret: never write it in the file; reference a stack config secret instead, such as { config: mySecretKey }",
        ),
      );
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...p, i]));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...p, k])]));
    return v;
  };
  // walk builds a fresh copy as it goes; the spec as written stays untouched for the loader.
  const resolved = walk(spec, []) as PropertyMap;
  problems.push(...secretProblems);

  // The resource's own rules run even when a secret is misplaced, so that one run reports every
  // problem of the file; a field already reported by the secret pass is not reported again.
  const reported = secretProblems.map((p) => p.field);
  const lifted = liftSecrets(kind, resolved);
  for (const { path: inputPath, rule } of kind.validate(lifted).problems) {
    const p = ["spec", ...specPath(kind, inputPath)];
    const field = p.join(".");
    if (reported.some((r) => field === r || field.startsWith(`${r}.`) || r.startsWith(`${field}.`))) continue;
    problems.push(fail(p, rule, rule.startsWith("unknown field")));
  }
  if (problems.length > 0 || !envelope.success) return { problems, identity };
  return {
    problems: [],
    identity,
    document: { file: file.path, name: envelope.data.metadata.name, kind, spec, inputs: lifted, secrets },
  };
}

/**
 * The yaml package's message without the excerpt of the file and without what follows its
 * first colon, which quotes the offending text: that text may be a secret typed by mistake.
 */
function yamlRule(message: string): string {
  const head = message.replace(/ at line \d+, column \d+:[\s\S]*$/, "").trim();
  const colon = head.indexOf(": ");
  return colon > 0 ? head.slice(0, colon) : head;
}

function identityOf(
  file: string,
  raw: Record<string, unknown>,
  kind: KindDef | undefined,
  at: Locator,
): DocumentIdentity | undefined {
  const metadata = raw.metadata;
  const name = isRecord(metadata) ? metadata.name : undefined;
  if (!kind || typeof name !== "string") return undefined;
  const spec = isRecord(raw.spec) ? raw.spec : {};
  const field = kind.taskNameField;
  const value = field ? spec[field] : undefined;
  return {
    file,
    name,
    kind: kind.kind,
    namePosition: at.at(["metadata", "name"]),
    taskName:
      field && typeof value === "string"
        ? { field, value, region: String(spec.region), position: at.at(["spec", field]) }
        : undefined,
  };
}

/** Moves fields users write inside others (a Redis password inside its endpoint) to the inputs' top level. */
function liftSecrets(kind: KindDef, spec: PropertyMap): PropertyMap {
  // Only top-level keys are reassigned, and a holder is replaced rather than changed.
  const out = { ...spec };
  for (const [field, [parent, child]] of Object.entries(kind.lifted)) {
    const holder = out[parent];
    if (isRecord(holder) && child in holder) {
      out[field] = holder[child];
      const { [child]: _moved, ...rest } = holder;
      out[parent] = rest;
    }
  }
  return out;
}

/**
 * Problems across files: two files declaring the same resource name, or two tasks of one kind
 * with the same cloud task name in a region (the provider finds a task by name after a lost
 * create answer, so names must not collide). Files with other problems take part too, so that a
 * clash is reported at once rather than after the next fix.
 */
export function crossFileProblems(identities: readonly DocumentIdentity[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, DocumentIdentity>();
  const taskNames = new Map<string, DocumentIdentity>();
  for (const d of identities) {
    const first = names.get(d.name);
    if (first) {
      problems.push({
        file: d.file,
        ...d.namePosition,
        field: "metadata.name",
        rule: `duplicate name ${JSON.stringify(d.name)}: ${first.file}:${first.namePosition.line}:${first.namePosition.column} declares it already`,
      });
    } else {
      names.set(d.name, d);
    }
    const t = d.taskName;
    if (!t) continue;
    const key = `${d.kind}\u0000${t.region}\u0000${t.value}`;
    const other = taskNames.get(key);
    if (other && other.name !== d.name) {
      problems.push({
        file: d.file,
        ...t.position,
        field: `spec.${t.field}`,
        rule: `duplicate task name ${JSON.stringify(t.value)} in ${t.region}: ${other.file} uses it already`,
      });
    } else if (!other) {
      taskNames.set(key, d);
    }
  }
  return problems;
}

/** Outcome of judging a set of files. */
export interface ValidationResult {
  /** The valid documents, in file order. */
  documents: MigrationDocument[];
  /** Every problem, by file and position. */
  problems: Problem[];
  /** How many files were read. */
  files: number;
  /** The names each file declares, valid or not, when its kind and name can be read. */
  identities: DocumentIdentity[];
  /** Files so broken that what they declare is unknown (YAML errors, no kind or name). */
  unreadable: string[];
}

/** Judges a set of files: each on its own, then across files. */
export function validateSources(files: readonly SourceFile[]): ValidationResult {
  const results = files.map(readMigrationFile);
  const documents = results.flatMap((r) => (r.document ? [r.document] : []));
  const identities = results.flatMap((r) => (r.identity ? [r.identity] : []));
  const problems = [...results.flatMap((r) => r.problems), ...crossFileProblems(identities)].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
  );
  const bad = new Set(problems.map((p) => p.file));
  return {
    documents: documents.filter((d) => !bad.has(d.file)),
    problems,
    files: files.length,
    identities,
    unreadable: files.filter((f, i) => !results[i].identity).map((f) => f.path),
  };
}

/** `file:line:column: field: rule`. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.field}: ${p.rule}`;
}

/**
 * Whether a file found below a searched folder is a migration file: YAML, and not inside a
 * hidden folder or node_modules (`rel` is relative to the folder searched).
 */
export function isMigrationPath(rel: string): boolean {
  const segments = rel.split(/[\\/]/);
  return (
    /\.ya?ml$/i.test(rel) &&
    segments.every((s, i) => s !== "node_modules" && (i === segments.length - 1 || !s.startsWith(".")))
  );
}

/** Options of {@link collectFiles}. */
export interface CollectOptions {
  /** Folder that paths are resolved against and printed relative to. */
  cwd?: string;
  /** A path that does not exist holds no files (the working tree of a change that removed it). */
  missingOk?: boolean;
}

/**
 * The migration files under each path (a file, or a folder searched recursively without
 * following links), sorted, with paths printed relative to `cwd`. Throws when a path does not
 * exist, unless `missingOk`.
 */
export function collectFiles(paths: readonly string[], opts: CollectOptions = {}): SourceFile[] {
  const { cwd = process.cwd(), missingOk = false } = opts;
  const found = new Set<string>();
  // A path named by the user is followed if it is a link; links found inside folders are not
  // (git stores them as links, so base and working tree would disagree, and they can loop).
  const visit = (abs: string, root: string) => {
    const st = abs === root ? fs.statSync(abs, { throwIfNoEntry: false }) : fs.lstatSync(abs);
    if (!st) {
      if (missingOk) return;
      throw new Error(`${path.relative(cwd, abs) || abs}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) visit(path.join(abs, e), root);
    } else if (st.isFile() && (abs === root || isMigrationPath(path.relative(root, abs)))) {
      found.add(abs);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    visit(abs, abs);
  }
  return [...found].sort().map((abs) => ({
    path: path.relative(cwd, abs).split(path.sep).join("/") || abs,
    text: fs.readFileSync(abs, "utf8"),
  }));
}
