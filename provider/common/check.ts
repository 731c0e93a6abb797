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
  /** The typed value, when nothing is unknown and nothing failed. */
  value?: T;
}

/** A rule across several fields; returns failures. Called only with the known fields. */
export type CrossRule<T> = (v: Partial<T>, known: (field: keyof T) => boolean) => CheckFailure[];

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
    return { inputs: clean(input), failures: parsed.error.issues.map(toFailure) };
  }
  const out = parsed.data as PropertyMap;
  for (const [k, meta] of Object.entries(fields) as [string, { set?: boolean }][]) {
    if (meta.set && Array.isArray(out[k]) && !unknownKeys.includes(k))
      out[k] = sortedSet(out[k] as unknown[]);
  }
  const known = (f: keyof T) => out[f as string] !== undefined && !unknownKeys.includes(f as string);
  const failures = rules.flatMap((r) => r(out as Partial<T>, known));
  const inputs = clean(out);
  return {
    inputs,
    failures,
    value: failures.length === 0 && unknownKeys.length === 0 ? (inputs as T) : undefined,
  };
}

function toFailure(i: z.core.$ZodIssue): CheckFailure {
  const path = i.path.map(String);
  const property = path[0] ?? "(inputs)";
  let reason = i.message;
  if (i.code === "unrecognized_keys") {
    const keys = (i as { keys?: string[] }).keys ?? [];
    return {
      property: path[0] ?? keys[0] ?? "(inputs)",
      reason: `${[...path, ...keys].join(".")}: unknown field${keys.length > 1 ? "s" : ""}; check the spelling`,
    };
  }
  if (i.code === "invalid_value" && "values" in i) {
    reason = `must be one of ${(i.values as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return { property, reason: `${path.join(".") || property}: ${reason}` };
}
