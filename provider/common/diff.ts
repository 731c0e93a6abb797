import type { FieldMeta, FieldTable } from "./fields";
import { containsUnknown } from "./unknown";
import type { PropertyMap } from "./values";
import { deepEqual, sortedSet } from "./values";

/** The fields that differ between the recorded outputs and the new inputs. */
export interface FieldChanges {
  changed: string[];
  replaces: string[];
}

/**
 * Compares each declared input field of the old outputs with the new inputs, both already
 * normalised by `check`. Deterministic and minimal: equal values never count as changes, and
 * an unknown new value counts as a change of that field only.
 */
export function fieldChanges<T>(fields: FieldTable<T>, olds: PropertyMap, news: PropertyMap): FieldChanges {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const [k, meta] of Object.entries<FieldMeta>(fields)) {
    const a = olds[k];
    const b = news[k];
    const same = containsUnknown(b)
      ? false
      : meta.set
        ? deepEqual(sortedSet(asArray(a)), sortedSet(asArray(b)))
        : deepEqual(a, b);
    if (same) continue;
    changed.push(k);
    if (meta.change === "replace") replaces.push(k);
  }
  return { changed, replaces };
}

function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : v === undefined || v === null ? undefined : [v];
}
