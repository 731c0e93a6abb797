/**
 * The semantic review of a change to migration files: which tasks are created, updated in
 * place, replaced or deleted, which lifecycle steps run, and which fields change, all decided
 * by the resources' own check, field tables and diff, then rendered as Markdown for a pull
 * request comment.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { fieldChanges } from "../provider/common/diff";
import type { PropertyMap } from "../provider/common/values";
import type { MigrationDocument, Problem, SourceFile, ValidationResult } from "./documents";
import { formatProblem, isMigrationPath } from "./documents";
import type { Transition } from "./kinds";

/** What `pulumi up` would do to one task. */
export type ReviewAction = "create" | "update" | "replace" | "delete" | "unchanged";

/** One changed field. */
export interface FieldChange {
  /** The field as written in the file (`source.password` for a lifted input). */
  field: string;
  /**
   * Compact JSON of the old and new values, `undefined` when absent; for a secret only
   * `(secret)` and `(secret, changed)`.
   */
  before?: string;
  after?: string;
  secret: boolean;
  /** How the change is applied. */
  effect: "update in place" | "replace" | "provider setting";
}

/** The review of one task. */
export interface ReviewEntry {
  name: string;
  kind: string;
  file: string;
  action: ReviewAction;
  changes: FieldChange[];
  transitions: Transition[];
  /** Why a reviewer should look twice. */
  warnings: string[];
}

const REPLACE_ACTIVE =
  "replacing a running migration deletes it: the task and its progress are lost, and a new task starts over";
const DELETE_ACTIVE = "deleting a running migration stops it and removes the task";

async function normalised(d: MigrationDocument): Promise<PropertyMap> {
  return (await d.kind.check(d.inputs)).inputs ?? d.inputs;
}

function show(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

async function compare(before: MigrationDocument, after: MigrationDocument): Promise<ReviewEntry> {
  const kind = after.kind;
  const olds = await normalised(before);
  const news = await normalised(after);
  const { changed } = fieldChanges(kind.fields, olds, news);
  const replaces = changed.length > 0 ? await kind.replaces(olds, news) : [];
  const action: ReviewAction = replaces.length > 0 ? "replace" : changed.length > 0 ? "update" : "unchanged";
  const changes = changed.map((f): FieldChange => {
    const meta = kind.fields[f];
    const secret = meta?.secret === true;
    return {
      field: (kind.lifted[f] ?? [f]).join("."),
      // A secret is only ever said to be there, and to have changed.
      before: olds[f] === undefined ? undefined : secret ? "(secret)" : show(olds[f]),
      after: news[f] === undefined ? undefined : secret ? "(secret, changed)" : show(news[f]),
      secret,
      effect: replaces.includes(f)
        ? "replace"
        : meta?.change === "local"
          ? "provider setting"
          : "update in place",
    };
  });
  const transitions = action === "replace" ? kind.transitions(undefined, news) : kind.transitions(olds, news);
  const warnings: string[] = [];
  if (action === "replace" && kind.isActive(olds)) warnings.push(REPLACE_ACTIVE);
  for (const t of transitions) {
    if (t.warning) warnings.push(t.warning);
    if (t.blocked) warnings.push(`the provider will refuse this at preview: ${t.blocked}`);
  }
  return { name: after.name, kind: kind.kind, file: after.file, action, changes, transitions, warnings };
}

async function created(d: MigrationDocument): Promise<ReviewEntry> {
  const news = await normalised(d);
  const transitions = d.kind.transitions(undefined, news);
  return {
    name: d.name,
    kind: d.kind.kind,
    file: d.file,
    action: "create",
    changes: [],
    transitions,
    warnings: transitions.flatMap((t) => (t.warning ? [t.warning] : [])),
  };
}

async function deleted(d: MigrationDocument): Promise<ReviewEntry> {
  const olds = await normalised(d);
  return {
    name: d.name,
    kind: d.kind.kind,
    file: d.file,
    action: "delete",
    changes: [],
    transitions: [],
    warnings: d.kind.isActive(olds) ? [DELETE_ACTIVE] : [],
  };
}

/**
 * Pairs the tasks of two versions by resource name and kind (a kind change is a delete and a
 * create, as Pulumi sees it) and reviews each.
 */
export async function reviewChanges(base: ValidationResult, head: ValidationResult): Promise<ReviewEntry[]> {
  const key = (d: MigrationDocument) => `${d.kind.kind}\u0000${d.name}`;
  const olds = new Map(base.documents.map((d) => [key(d), d]));
  const news = new Map(head.documents.map((d) => [key(d), d]));
  const entries: ReviewEntry[] = [];
  for (const [k, d] of news) {
    const o = olds.get(k);
    entries.push(o ? await compare(o, d) : await created(d));
  }
  // A task whose file is invalid, or possibly in a file that cannot be read at all (renamed and
  // broken, say), is not a deletion: it stays until the file is mended.
  const declared = new Set(head.identities.map((i) => `${i.kind}\u0000${i.name}`));
  if (head.unreadable.length === 0) {
    for (const [k, d] of olds) {
      if (!news.has(k) && !declared.has(k)) entries.push(await deleted(d));
    }
  }
  const order: Record<ReviewAction, number> = { replace: 0, delete: 1, update: 2, create: 3, unchanged: 4 };
  return entries.sort((a, b) => order[a.action] - order[b.action] || a.name.localeCompare(b.name));
}

const ACTION_WORDS: Record<ReviewAction, string> = {
  create: "create",
  update: "update in place",
  replace: "**replace**",
  delete: "**delete**",
  unchanged: "no change",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** What to say about the revisions compared. */
export interface ReviewContext {
  /** The base revision as the user named it, and its short hash. */
  base: string;
  baseCommit?: string;
  /** Problems in the working tree's files. */
  headProblems: readonly Problem[];
  /** Problems in the base revision's files (they are left out of the comparison). */
  baseProblems: readonly Problem[];
  /** Working-tree files whose tasks cannot be told; deletions are then not listed. */
  headUnreadable?: readonly string[];
}

/** Renders the review as Markdown for a pull-request comment. */
export function renderReview(entries: readonly ReviewEntry[], ctx: ReviewContext): string {
  const out: string[] = [];
  const baseLabel = ctx.baseCommit ? `${code(ctx.base)} (${ctx.baseCommit})` : code(ctx.base);
  out.push(`## Migration tasks: ${baseLabel} → working tree`, "");
  const count = (a: ReviewAction) => entries.filter((e) => e.action === a).length;
  const summary = [
    `${count("create")} to create`,
    `${count("update")} to update in place`,
    `${count("replace")} to replace`,
    `${count("delete")} to delete`,
    `${count("unchanged")} unchanged`,
  ];
  out.push(`**${summary.join(" · ")}**`, "");

  if (ctx.headProblems.length > 0) {
    out.push(
      `> [!CAUTION]`,
      `> ${ctx.headProblems.length} problem${ctx.headProblems.length > 1 ? "s" : ""} in the changed files; \`pulumi preview\` will fail until they are fixed:`,
      "",
      "```",
      ...ctx.headProblems.map(formatProblem),
      "```",
      "",
    );
  }
  if (ctx.headUnreadable && ctx.headUnreadable.length > 0) {
    out.push(
      `Deletions are not listed while ${ctx.headUnreadable.map(code).join(", ")} cannot be read: a task missing below may be declared there.`,
      "",
    );
  }
  const warned = entries.filter((e) => e.warnings.length > 0);
  if (warned.length > 0) {
    out.push("> [!WARNING]");
    for (const e of warned) for (const w of e.warnings) out.push(`> - ${code(e.name)}: ${w}`);
    out.push("");
  }
  const changed = entries.filter((e) => e.action !== "unchanged");
  if (changed.length === 0) {
    out.push("No migration task changes.", "");
  } else {
    out.push("| Task | Kind | Change | Lifecycle | File |", "| --- | --- | --- | --- | --- |");
    for (const e of changed) {
      const lifecycle = e.transitions.map((t) => (t.warning || t.blocked ? `**${t.action}**` : t.action));
      out.push(
        `| ${code(e.name)} | ${code(e.kind)} | ${ACTION_WORDS[e.action]} | ${cell(lifecycle.join(", ") || "—")} | ${code(e.file)} |`,
      );
    }
    out.push("");
  }
  for (const e of changed.filter((x) => x.changes.length > 0)) {
    out.push(`### ${code(e.name)}: ${ACTION_WORDS[e.action]}`, "");
    out.push("| Field | Before | After | Applied by |", "| --- | --- | --- | --- |");
    for (const c of e.changes) {
      const shown = (v: string | undefined) => (v === undefined ? "—" : c.secret ? v : code(cell(v)));
      const before = shown(c.before);
      const after = shown(c.after);
      out.push(`| ${code(c.field)} | ${before} | ${after} | ${c.effect} |`);
    }
    out.push("");
  }
  if (ctx.baseProblems.length > 0) {
    out.push(
      `<details><summary>${ctx.baseProblems.length} problem(s) in the base revision's files, left out of this comparison</summary>`,
      "",
      "```",
      ...ctx.baseProblems.map(formatProblem),
      "```",
      "</details>",
      "",
    );
  }
  out.push(
    "<sub>Secret fields reference stack config; a changed reference shows as changed, but a new value stored under the same config key does not.</sub>",
  );
  return out.join("\n") + "\n";
}

/** Runs git in `cwd`; throws with git's own message. */
function git(cwd: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`git ${args[0]}: ${(err.stderr ?? err.message).trim()}`);
  }
}

/** The short commit hash of a revision; throws when it names no commit. */
export function resolveRevision(rev: string, cwd = process.cwd()): string {
  if (rev.startsWith("-")) throw new Error(`--base: ${rev} is not a revision`);
  return git(cwd, ["rev-parse", "--verify", "--short", `${rev}^{commit}`]).trim();
}

/**
 * The migration files under `paths` as they were at revision `rev`, chosen as in the working
 * tree (YAML, not in hidden folders or node_modules, no links), with paths relative to `cwd`
 * exactly as the working tree's are printed.
 */
export function filesAtRevision(rev: string, paths: readonly string[], cwd = process.cwd()): SourceFile[] {
  const listed = git(cwd, ["ls-tree", "-r", "-z", rev, "--", ...paths])
    .split("\0")
    .flatMap((entry) => {
      const m = /^(\d+) (\w+) [0-9a-f]+\t([\s\S]+)$/.exec(entry);
      // 100644 and 100755 are files; 120000 is a link, 160000 a submodule.
      return m && m[2] === "blob" && m[1].startsWith("100") ? [m[3]] : [];
    })
    .filter((p) =>
      paths.some((arg) => {
        const rel = path.relative(path.normalize(arg), p);
        return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel) && isMigrationPath(rel));
      }),
    )
    .sort();
  return listed.map((p) => ({ path: p, text: git(cwd, ["cat-file", "blob", `${rev}:./${p}`]) }));
}
