/**
 * What every client of the provider process shares: the clock, the HTTP sender, one adaptive
 * rate limiter per service endpoint, and the connect and read timeouts from config. The engine
 * runs one dynamic-provider process for all the resources of a stack, so a limiter kept here
 * paces every resource's calls together.
 */
import type { Clock } from "../../sdk/core/clock";
import { systemClock } from "../../sdk/core/clock";
import type { HttpSender } from "../../sdk/core/http";
import type { AdaptiveLimiter, LimiterSettings } from "../../sdk/core/limiter";
import { defaultLimiterSettings, resetSharedLimiters, sharedLimiter } from "../../sdk/core/limiter";
import { stackConfig } from "../config";
import { logInfo } from "./log";

let clock: Clock = systemClock;
let sender: HttpSender | undefined;
const resetHooks: (() => void)[] = [];

/**
 * Replaces the clock and sender of every client made from now on, and forgets the shared
 * limiters and list snapshots (measurements and tests on a virtual clock).
 */
export function setTransport(t: { clock?: Clock; sender?: HttpSender }): void {
  clock = t.clock ?? systemClock;
  sender = t.sender;
  resetTransportState();
}

/** Forgets the shared limiters and list snapshots. */
export function resetTransportState(): void {
  resetSharedLimiters();
  for (const h of resetHooks) h();
}

/** Registers state to forget on {@link resetTransportState} (the list snapshots). */
export function onTransportReset(hook: () => void): void {
  resetHooks.push(hook);
}

/** The clock of clients and waits. */
export function transportClock(): Clock {
  return clock;
}

/** A positive number from stack config `migration-tasks:<key>` or the environment variable. */
export function numberSetting(key: string, env: string, fallback: number): number {
  for (const raw of [stackConfig(`migration-tasks:${key}`), process.env[env]]) {
    const v = Number(raw);
    if (raw !== undefined && raw !== "" && Number.isFinite(v) && v > 0) return v;
  }
  return fallback;
}

/** The settings of the limiters: `requestsPerSecond` to start with, `maxRequestsPerSecond` at most. */
export function limiterSettings(): LimiterSettings {
  const maxRate = numberSetting(
    "maxRequestsPerSecond",
    "MIGRATION_TASKS_MAX_REQUESTS_PER_SECOND",
    defaultLimiterSettings.maxRate,
  );
  const initialRate = Math.min(
    maxRate,
    numberSetting(
      "requestsPerSecond",
      "MIGRATION_TASKS_REQUESTS_PER_SECOND",
      defaultLimiterSettings.initialRate,
    ),
  );
  return { ...defaultLimiterSettings, initialRate, maxRate };
}

/** Transport options of the clients of one service endpoint. */
export interface TransportOptions {
  clock: Clock;
  sender?: HttpSender;
  limiter: AdaptiveLimiter;
  timeoutMs: number;
  connectTimeoutMs: number;
  deadlineAt?: number;
  log: (msg: string) => void;
}

/**
 * Options for a client of `service` at `endpoint`, for an operation that must be done within
 * `deadlineMs` (throttling is retried until then).
 */
export function transportOptions(service: string, endpoint: string, deadlineMs?: number): TransportOptions {
  return {
    clock,
    sender,
    limiter: sharedLimiter(`${service} ${endpoint}`, clock, limiterSettings()),
    timeoutMs: numberSetting("readTimeoutMs", "MIGRATION_TASKS_READ_TIMEOUT_MS", 30_000),
    connectTimeoutMs: numberSetting("connectTimeoutMs", "MIGRATION_TASKS_CONNECT_TIMEOUT_MS", 10_000),
    deadlineAt: deadlineMs === undefined ? undefined : clock.now() + deadlineMs,
    log: logInfo,
  };
}
