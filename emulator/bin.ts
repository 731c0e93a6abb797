#!/usr/bin/env node
/**
 * `pulumi-migration-tasks-emulator [--port N] [--data-dir DIR] [--time-scale X] [--seed demo|empty]
 * [--print-env]`: runs the emulator until SIGINT/SIGTERM, or prints the shell exports that point
 * clients at it.
 */
import { emulatorDefaults } from "./defaults";
import { emulatorEnv, emulatorUrl, formatExports } from "./env";
import { startEmulator } from "./server";

const USAGE = `usage: pulumi-migration-tasks-emulator [--port N] [--data-dir DIR] [--time-scale X] [--seed demo|empty] [--print-env]
  --port N         port on 127.0.0.1 (default ${emulatorDefaults.port}; 0 picks a free one)
  --data-dir DIR   save state there after each change and load it at start
  --time-scale X   emulator seconds per real second (default 1)
  --seed NAME      data set of a fresh start and of reset: demo (default) or empty
  --print-env      print shell export lines for the port and exit`;

interface Args {
  port: number;
  dataDir?: string;
  timeScale?: number;
  seed?: "demo" | "empty";
  printEnv: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { port: emulatorDefaults.port, printEnv: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes("=")
      ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
      : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--port": {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`--port must be 0..65535`);
        args.port = p;
        break;
      }
      case "--data-dir":
        args.dataDir = value();
        break;
      case "--time-scale": {
        const x = Number(value());
        if (!(x >= 0) || !Number.isFinite(x)) throw new Error(`--time-scale must be a number >= 0`);
        args.timeScale = x;
        break;
      }
      case "--seed": {
        const s = value();
        if (s !== "demo" && s !== "empty") throw new Error(`--seed must be demo or empty`);
        args.seed = s;
        break;
      }
      case "--print-env":
        args.printEnv = true;
        break;
      case "-h":
      case "--help":
        process.stdout.write(USAGE + "\n");
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return args;
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.printEnv) {
    process.stdout.write(formatExports(emulatorEnv(emulatorUrl(args.port))) + "\n");
    return;
  }
  const emu = await startEmulator({
    port: args.port,
    dataDir: args.dataDir,
    timeScale: args.timeScale,
    seed: args.seed,
  });
  process.stdout.write(`emulator listening on ${emu.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error while stopping on ${signal}: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator failed to start: ${(e as Error).message ?? String(e)}\n`);
  process.exit(1);
});
