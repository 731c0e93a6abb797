/** Plain JSON value as it crosses the provider boundary. */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A property map. */
export type PropertyMap = Record<string, unknown>;

/**
 * Deep copy without `undefined` (gRPC Struct encoding rejects it) and without functions.
 * Object keys are sorted so that results are stable.
 */
export function clean<T>(v: T): T {
  return cleanValue(v) as T;
}

function cleanValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(cleanValue);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined && typeof x !== "function") out[k] = cleanValue(x);
    }
    return out;
  }
  return v;
}

/** Structural equality of JSON-like values, treating `undefined` and absent keys alike. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

/** Sorts an array by the JSON text of its items, for order-insensitive comparison of sets. */
export function sortedSet<T>(items: readonly T[] | undefined): T[] | undefined {
  if (!items) return items;
  return [...items].sort((x, y) => {
    const a = JSON.stringify(clean(x));
    const b = JSON.stringify(clean(y));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
