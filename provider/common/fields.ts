/**
 * Per-field metadata: the single table that decides, for each input of a resource, what a
 * change does (update in place or replace), whether it is secret, whether it is compared as a
 * set, and whether `read` brings it back from the cloud.
 */
export interface FieldMeta {
  /**
   * `update`: applied in place through the cloud's update APIs; `replace`: needs a new task;
   * `local`: affects only the provider (timeouts, triggers handled by update).
   */
  change: "update" | "replace" | "local";
  /** The value is a secret: it never appears in plaintext in state, logs or errors. */
  secret?: boolean;
  /** An order-insensitive list. */
  set?: boolean;
  /** `read` brings the value back from the cloud, so refresh shows drift in it. */
  readBack?: boolean;
  /** One line for docs and review output. */
  doc?: string;
}

/** One entry per input field; a missing entry fails type checking. */
export type FieldTable<T> = { readonly [K in keyof Required<T>]: FieldMeta };

/** Names of the fields whose change replaces the resource. */
export function replaceFields<T>(table: FieldTable<T>): string[] {
  return Object.entries<FieldMeta>(table)
    .filter(([, m]) => m.change === "replace")
    .map(([k]) => k);
}

/** Names of the secret fields. */
export function secretFields<T>(table: FieldTable<T>): string[] {
  return Object.entries<FieldMeta>(table)
    .filter(([, m]) => m.secret)
    .map(([k]) => k);
}
