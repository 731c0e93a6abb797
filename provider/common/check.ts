import { z } from "zod";
import type { FieldTable } from "./fields";
import { containsUnknown } from "./unknown";
import type { PropertyMap } from "./values";
import { clean, sortedSet } from "./values";

/** A validation failure as the engine shows it: a top-level property and the rule it broke. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** Result of {@link checkInputs}. */
export interface CheckOutcome<T> {
  /** Validated inputs with defaults applied; unknown values kept as the placeholder. */
  inputs: PropertyMap;
  failures: CheckFailure[];
  /** The same failures with their full paths, in the same order. */
  problems: FieldProblem[];
  /** The typed value, when nothing is unknown and nothing failed. */
  value?: T;
}

/** A rule across several fields; returns the fields it finds wrong. `known` tells which are known. */
export type CrossRule<T> = (v: Partial<T>, known: (field: keyof T) => boolean) => FieldProblem[];

/**
 * Validates inputs with the resource's zod schema. Values that are unknown during preview are
 * not validated (they arrive as a placeholder string whatever their type); everything known is,
 * so bad input fails at preview. Set fields are sorted so that order never causes a diff.
 */
export function checkInputs<S extends z.ZodObject, T = z.output<S>>(
  schema: S,
  fields: FieldTable<T>,
  news: PropertyMap,
  rules: CrossRule<T>[] = [],
): CheckOutcome<T> {
  const input: PropertyMap = {};
  const unknownKeys: string[] = [];
  for (const [k, v] of Object.entries(news)) {
    if (k === "__provider" || v === undefined || v === null) continue;
    if (containsUnknown(v)) unknownKeys.push(k);
    input[k] = v;
  }
  const relaxed = unknownKeys.length
    ? schema.extend(Object.fromEntries(unknownKeys.map((k) => [k, z.unknown()])))
    : schema;
  const parsed = relaxed.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((i) => describeIssue(i, input));
    // The cross-field rules still run over the fields that are valid on their own, so that one
    // check reports every problem; a rule reads only fields it is told are known.
    const bad = new Set(problems.map((p) => String(p.path[0])));
    const valid: PropertyMap = {};
    for (const [k, s] of Object.entries(relaxed.shape as Record<string, z.ZodType>)) {
      if (bad.has(k)) continue;
      const r = s.safeParse(input[k]);
      if (r.success && r.data !== undefined) valid[k] = r.data;
    }
    const validKnown = (f: keyof T) => valid[f as string] !== undefined && !unknownKeys.includes(f as string);
    for (const p of rules.flatMap((r) => r(valid as Partial<T>, validKnown)))
      if (!bad.has(String(p.path[0]))) problems.push(p);
    return { inputs: clean(input), failures: problems.map(toFailure), problems };
  }
  const out = parsed.data as PropertyMap;
  for (const [k, meta] of Object.entries(fields) as [string, { set?: boolean }][]) {
    if (meta.set && Array.isArray(out[k]) && !unknownKeys.includes(k))
      out[k] = sortedSet(out[k] as unknown[]);
  }
  const known = (f: keyof T) => out[f as string] !== undefined && !unknownKeys.includes(f as string);
  const problems = rules.flatMap((r) => r(out as Partial<T>, known));
  const failures = problems.map(toFailure);
  const inputs = clean(out);
  return {
    inputs,
    failures,
    problems,
    value: failures.length === 0 && unknownKeys.length === 0 ? (inputs as T) : undefined,
  };
}

/** One field and the rule its value broke, as {@link describeIssue} words it. */
export interface FieldProblem {
  /** Path from the inputs' root: property names and array indexes. */
  path: (string | number)[];
  /** The rule, worded for a person: "must be at most 65535", "is required", ... */
  rule: string;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const typeName = (t: string) => (t === "int" ? "integer" : t === "array" ? "list" : t);

/**
 * Words a zod issue as the field it concerns and the rule in plain terms. An unknown-field
 * issue yields one problem per unknown key, so each can be pointed at on its own.
 */
export function describeIssue(i: z.core.$ZodIssue, input?: unknown): FieldProblem[] {
  const path = i.path.map((p) => (typeof p === "number" ? p : String(p)));
  // zod words a missing enum or formatted value as a bad one; the input tells them apart.
  if (
    input !== undefined &&
    (i.code === "invalid_value" || i.code === "invalid_format" || i.code === "invalid_union") &&
    valueAt(input, path) === undefined
  ) {
    return [{ path, rule: "is required" }];
  }
  switch (i.code) {
    case "unrecognized_keys":
      return i.keys.map((k) => ({ path: [...path, k], rule: "unknown field; check the spelling" }));
    case "invalid_value":
      return [{ path, rule: `must be one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}` }];
    case "invalid_type": {
      const received = /received (\w+)$/.exec(i.message)?.[1];
      if (received === "undefined") return [{ path, rule: "is required" }];
      const expected = typeName(i.expected);
      return [
        {
          path,
          rule: `must be ${article(expected)}${received ? `, not ${article(typeName(received))}` : ""}`,
        },
      ];
    }
    case "too_big":
    case "too_small": {
      const big = i.code === "too_big";
      const bound = Number(big ? (i as { maximum: unknown }).maximum : (i as { minimum: unknown }).minimum);
      const inclusive = i.inclusive !== false;
      if (i.origin === "string") {
        if (!big && bound === 1) return [{ path, rule: "must not be empty" }];
        return [{ path, rule: `must be at ${big ? "most" : "least"} ${bound} characters long` }];
      }
      if (i.origin === "array" || i.origin === "set") {
        if (!big && bound === 1) return [{ path, rule: "must hold at least one item" }];
        return [{ path, rule: `must hold at ${big ? "most" : "least"} ${bound} items` }];
      }
      const rel = big ? (inclusive ? "at most" : "less than") : inclusive ? "at least" : "greater than";
      return [{ path, rule: `must be ${rel} ${bound}` }];
    }
    default:
      return [{ path, rule: i.message }];
  }
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function toFailure({ path, rule }: FieldProblem): CheckFailure {
  return { property: String(path[0] ?? "(inputs)"), reason: `${path.join(".") || "(inputs)"}: ${rule}` };
}
