/**
 * Settings found in one of several places (arguments, stack config, environment, profile
 * files), each remembered with where it came from, so that an error can name every place looked
 * and a key pair can be taken from one place only.
 */

/** One value and the human-readable place it came from. */
export interface Found {
  value: string;
  from: string;
}

/** Blank values are unset: an exported-but-empty variable is common and never meant as a key. */
export function present(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** The value with its place, or undefined when it is absent or blank. */
export function found(value: unknown, from: string): Found | undefined {
  const v = present(value);
  return v === undefined ? undefined : { value: v, from };
}

/** The first place that holds a value. */
export function firstOf(...candidates: (Found | undefined)[]): Found | undefined {
  return candidates.find((c) => c !== undefined);
}
