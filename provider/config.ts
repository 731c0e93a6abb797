/**
 * Stack configuration as the dynamic provider receives it. The engine passes the full stack
 * config to `configure` with namespaced keys (`huaweicloud:accessKey`); nothing is captured in
 * the serialized provider, so credentials are read here at run time.
 */
import type { PollEvent, WaitOptions } from "../sdk/core/waiter";
import { logInfo } from "./common/log";
import { transportClock } from "./common/transport";

export type ConfigGetter = (key: string) => string | undefined;

let getter: ConfigGetter = () => undefined;

/** Minimal shape of the SDK's ConfigureRequest. */
export interface ConfigureLike {
  config: { get(key: string): string | undefined };
}

/** Stores the stack config handed to the provider's `configure`. */
export function configure(req: ConfigureLike): void {
  const cfg = req.config;
  getter = (key) => cfg.get(key) ?? undefined;
}

/** Reads one stack config key. */
export function stackConfig(key: string): string | undefined {
  return getter(key);
}

/** Replaces the config source (tests). */
export function setStackConfig(values: Record<string, string>): void {
  getter = (key) => values[key];
}

const DEFAULT_POLL_MS = 2000;

/** Poll interval of waits, in ms: `MIGRATION_TASKS_POLL_MS` lets tests and the emulator go fast. */
export function pollIntervalMs(): number {
  const v = Number(process.env.MIGRATION_TASKS_POLL_MS);
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_POLL_MS;
}

let pollObserver: ((e: PollEvent) => void) | undefined;

/** Sees every poll of every wait (measurements); undefined stops it. */
export function setPollObserver(o: ((e: PollEvent) => void) | undefined): void {
  pollObserver = o;
}

/**
 * How the provider polls a task: from the poll interval, backing off to eight times it, or at
 * the time left the service reports, up to the wait's own deadline, with progress in the
 * provider's log.
 */
export function polling(what: string, deadlineMs: number): WaitOptions {
  return {
    what,
    deadlineMs,
    initialDelayMs: pollIntervalMs(),
    maxDelayMs: pollIntervalMs() * 8,
    clock: transportClock(),
    onProgress: logInfo,
    onPoll: pollObserver,
    // A lowered poll interval means a service on a faster clock (the emulator's time scale):
    // the time left it reports is scaled alike.
    etaScale: pollIntervalMs() / DEFAULT_POLL_MS,
  };
}
