import type { z } from "zod";
import type { FieldTable } from "./fields";
import type { PropertyMap } from "./values";

/**
 * The declared input fields of a property map. Old outputs carry them beside the observed
 * values and the serialized `__provider`, which are left out.
 */
export function inputFields<T>(fields: FieldTable<T>, p: PropertyMap): Partial<T> {
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(p)) if (k in fields && v !== undefined && v !== null) out[k] = v;
  return out as Partial<T>;
}

/**
 * Parses inputs the engine already checked. The message names the path and the rule only,
 * never the value: an input may be a password.
 */
export function parseInputs<S extends z.ZodType, T>(
  schema: S,
  fields: FieldTable<T>,
  raw: PropertyMap,
): z.output<S> {
  const res = schema.safeParse(inputFields(fields, raw));
  if (!res.success) {
    const first = res.error.issues[0];
    throw new Error(`invalid inputs: ${first.path.join(".")}: ${first.message}`);
  }
  return res.data;
}
