/**
 * The emulator as the real-CLI tests use it: started in process with its clock driven by a ticker
 * that a test can pause, so that a create can be held in its wait while the CLI is killed.
 */
import * as fs from "node:fs";
import { dcsDemoIds, startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { copyExample, PulumiCli } from "./pulumi";

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

/** The Redis passwords the DCS examples take from secret stack config: the emulator's demo ones. */
export const redisPasswords = {
  sourceRedisPassword: { secret: dcsDemoIds.passwords.selfBuilt },
  targetRedisPassword: { secret: dcsDemoIds.passwords.target },
};

/** An example copied to a temporary folder, its stack initialised against a fresh emulator. */
export interface ExampleStack {
  emu: CliEmulator;
  dir: string;
  cli: PulumiCli;
  /** Kills what still runs, removes the copy and stops the emulator. */
  close(): Promise<void>;
}

export async function exampleStack(
  example: string,
  opts: {
    emulator?: EmulatorOptions;
    config?: Record<string, string | { secret: string }>;
    stack?: string;
    cliDir?: string;
  } = {},
): Promise<ExampleStack> {
  const emu = await cliEmulator(opts.emulator);
  const dir = copyExample(example);
  const cli = new PulumiCli(dir, opts.stack ?? "dev", emu.env, opts.cliDir);
  const close = async () => {
    cli.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  };
  try {
    await cli.init(opts.config);
  } catch (e) {
    await close();
    throw e;
  }
  return { emu, dir, cli, close };
}

/** Edits a file of an example's copy the way a reviewed change would; throws if `from` is absent. */
export function editFile(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}
