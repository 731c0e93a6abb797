/**
 * Drives the real `pulumi` CLI that `npm run pulumi:install` builds into .toolchain/pulumi/bin:
 * a local file backend and a PULUMI_HOME of its own in a temporary folder, no plugin downloads,
 * and a copy of an example project whose node_modules link to the repository's, so that the
 * example's config files and state never touch the working tree. Every command is spawned
 * asynchronously: the emulator the provider talks to answers from this process's event loop.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../helpers";

/** Where `npm run pulumi:install` puts the CLI, its language hosts and companion files. */
export const pulumiBinDir = path.join(repoRoot, ".toolchain", "pulumi", "bin");
/**
 * The older CLI that runs Node.js policy packs with the Node.js host built here (see
 * toolchain/pulumi/policy-cli/tools.go), with the policy shim and its plugins beside it.
 */
export const policyCliDir = path.join(pulumiBinDir, "policy");

/**
 * Fails, never skips, when the CLI is missing: CI always builds it, and a real-engine test that
 * did not run proves nothing.
 */
export function requirePulumiCli(): void {
  for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs", "policy/pulumi"]) {
    if (!fs.existsSync(path.join(pulumiBinDir, f))) {
      throw new Error(
        `${f} is missing from .toolchain/pulumi/bin: run \`npm run pulumi:install\` (npm test does it)`,
      );
    }
  }
}

/** A finished CLI command. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr, interleaved in arrival order. */
  output: string;
}

/** A command still running, for tests that interrupt it. */
export interface RunningCli {
  child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  /** Resolves when the output matches, or rejects when the command ends first. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
}

/** Copies an example project into a temporary folder whose node_modules is the repository's. */
export function copyExample(name: string): string {
  const src = path.join(repoRoot, "examples", name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pmt-cli-${name}-`));
  fs.cpSync(src, dir, {
    recursive: true,
    filter: (f) => !/[\\/](node_modules|\.git)$/.test(f) && !/Pulumi\.[^/\\]+\.yaml$/.test(path.basename(f)),
  });
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Process ids of a process and all its descendants, read from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/**
 * Kills a command and everything it started (language host, program, provider) at once, as a
 * CI runner that is cancelled or a machine that goes down would: nothing gets to clean up.
 */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  for (const pid of processTree(child.pid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** One stack of one project, with its own backend and PULUMI_HOME. */
export class PulumiCli {
  readonly home: string;
  readonly backend: string;
  readonly configFile: string;
  private readonly running = new Set<ChildProcess>();

  constructor(
    readonly projectDir: string,
    readonly stack: string,
    private readonly env: NodeJS.ProcessEnv = {},
    /** The folder of the `pulumi` binary to run. */
    readonly cliDir: string = pulumiBinDir,
  ) {
    requirePulumiCli();
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), "pmt-pulumi-home-"));
    this.backend = fs.mkdtempSync(path.join(os.tmpdir(), "pmt-pulumi-state-"));
    this.configFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  }

  /** The environment of every command: isolated, offline, the local backend, no prompts. */
  environment(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.env,
      PATH: [this.cliDir, pulumiBinDir, process.env.PATH ?? ""].join(path.delimiter),
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: "cli-tests",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
    };
  }

  /** Starts a command in the project's folder. */
  start(args: string[], extraEnv: NodeJS.ProcessEnv = {}): RunningCli {
    const child = spawn(
      path.join(this.cliDir, "pulumi"),
      [...args, "--non-interactive", "--color", "never"],
      {
        cwd: this.projectDir,
        env: { ...this.environment(), ...extraEnv },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    this.running.add(child);
    let stdout = "";
    let stderr = "";
    let output = "";
    const listeners = new Set<() => void>();
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      output += d;
      for (const l of listeners) l();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      output += d;
      for (const l of listeners) l();
    });
    const done = new Promise<CliResult>((resolve) => {
      child.on("close", (code) => {
        this.running.delete(child);
        for (const l of listeners) l();
        resolve({ code, stdout, stderr, output });
      });
    });
    let closed = false;
    void done.then(() => (closed = true));
    const waitFor = (re: RegExp, timeoutMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no output matching ${re} within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (re.test(output)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          } else if (closed || child.exitCode !== null) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`pulumi ${args[0]} ended before printing ${re}:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      });
    return { child, output: () => output, waitFor, done };
  }

  /** Runs a command to its end; throws with the output unless it exits as expected. */
  async run(args: string[], opts: { expectCode?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
    const res = await this.start(args, opts.env).done;
    const expected = opts.expectCode ?? 0;
    if (res.code !== expected) {
      throw new Error(
        `pulumi ${args.join(" ")} exited with ${res.code}, expected ${expected}:\n${res.output}`,
      );
    }
    return res;
  }

  /** Logs in to the local backend and creates the stack. */
  async init(config: Record<string, string | { secret: string }> = {}): Promise<void> {
    await this.run(["login", `file://${this.backend}`]);
    await this.run(["stack", "init", this.stack]);
    for (const [k, v] of Object.entries(config)) await this.config(k, v);
  }

  async config(key: string, value: string | { secret: string }): Promise<void> {
    if (typeof value === "string") await this.run(["config", "set", key, value, "--stack", this.stack]);
    else await this.run(["config", "set", "--secret", key, value.secret, "--stack", this.stack]);
  }

  up(extra: string[] = [], opts: { expectCode?: number } = {}): Promise<CliResult> {
    return this.run(["up", "--yes", "--skip-preview", "--stack", this.stack, ...extra], opts);
  }

  preview(extra: string[] = [], opts: { expectCode?: number } = {}): Promise<CliResult> {
    return this.run(["preview", "--stack", this.stack, ...extra], opts);
  }

  refresh(extra: string[] = [], opts: { expectCode?: number } = {}): Promise<CliResult> {
    return this.run(["refresh", "--yes", "--skip-preview", "--stack", this.stack, ...extra], opts);
  }

  destroy(extra: string[] = [], opts: { expectCode?: number } = {}): Promise<CliResult> {
    return this.run(["destroy", "--yes", "--skip-preview", "--stack", this.stack, ...extra], opts);
  }

  /** The stack's outputs, secrets shown, as `pulumi stack output --json --show-secrets` prints them. */
  async outputs(): Promise<Record<string, unknown>> {
    const res = await this.run(["stack", "output", "--json", "--show-secrets", "--stack", this.stack]);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  /** The stack's state as `pulumi stack export` prints it (secrets encrypted, as stored). */
  async exportState(): Promise<string> {
    return (await this.run(["stack", "export", "--stack", this.stack])).stdout;
  }

  /** The resources in state, by Pulumi type, from `pulumi stack export`. */
  async resources(): Promise<
    { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[]
  > {
    const state = JSON.parse(await this.exportState()) as {
      deployment: {
        resources?: { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[];
      };
    };
    return state.deployment.resources ?? [];
  }

  /** Kills whatever is still running and removes the temporary folders. */
  close(): void {
    for (const child of this.running) killTree(child);
    for (const d of [this.home, this.backend]) fs.rmSync(d, { recursive: true, force: true });
  }
}
