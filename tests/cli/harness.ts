/**
 * The emulator as the real-CLI tests use it: started in process with its clock driven by a ticker
 * that a test can pause, so that a create can be held in its wait while the CLI is killed.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

/** Emulator seconds added per tick, and ticks per real second: 250 emulator seconds a second. */
const STEP_S = 5;
const TICK_MS = 20;

export interface CliEmulator {
  emulator: Emulator;
  /** Environment for the CLI: the emulator's endpoints and credentials, fast polling. */
  env: NodeJS.ProcessEnv;
  /** Stops the clock: waits on the cloud then last until {@link resume}. */
  pause(): void;
  resume(): void;
  /** Tasks of a service as the emulator holds them. */
  tasks(service: "sms" | "dcs" | "mse"): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function cliEmulator(opts: EmulatorOptions = {}): Promise<CliEmulator> {
  const emulator = await startEmulator({ ...opts, port: 0, timeScale: 0 });
  let timer: NodeJS.Timeout | undefined;
  const resume = () => {
    timer ??= setInterval(() => emulator.advance(STEP_S), TICK_MS);
  };
  const pause = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  resume();
  return {
    emulator,
    env: { ...emulator.env(), MIGRATION_TASKS_POLL_MS: "50" },
    pause,
    resume,
    tasks(service) {
      const services = emulator.state().services as Record<string, { tasks?: Record<string, unknown>[] }>;
      return services[service]?.tasks ?? [];
    },
    async close() {
      pause();
      await emulator.close();
    },
  };
}

/** Index of the first line matching `re` in a CLI's output, or -1. */
export function lineIndex(output: string, re: RegExp): number {
  return output.split("\n").findIndex((l) => re.test(l));
}
