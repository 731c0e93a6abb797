import { z } from "zod";

/** A duration such as `90s`, `30m`, `2h` or `1h30m`. */
export const Duration = z
  .string()
  .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, "must be a duration such as 90s, 30m, 2h or 1h30m")
  .refine((s) => s !== "", "must not be empty")
  // A zero deadline would fail every wait before its first poll.
  .refine(
    (s) => s === "" || !/^(\d+h)?(\d+m)?(\d+s)?$/.test(s) || durationMs(s) > 0,
    "must be longer than 0s",
  );

/**
 * Deadlines of the resource's waits. Pulumi's `customTimeouts` option never reaches a dynamic
 * provider, so the waits take their deadlines from this input instead.
 */
export const Timeouts = z
  .object({
    create: Duration.optional(),
    update: Duration.optional(),
    delete: Duration.optional(),
  })
  .strict();
export type Timeouts = z.infer<typeof Timeouts>;

/** Milliseconds of a {@link Duration}. */
export function durationMs(d: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  if (!m) throw new Error(`invalid duration ${d}`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** The deadline of one kind of wait, from the input or the default. */
export function deadlineMs(t: Timeouts | undefined, kind: keyof Timeouts, fallback: string): number {
  return durationMs(t?.[kind] ?? fallback);
}
