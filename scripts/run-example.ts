/**
 * Applies one example through the engine harness and prints one JSON line per phase:
 * `node dist/scripts/run-example.js <example dir> [phase ...]`, phases `up`, `refresh`,
 * `destroy` (default: up up destroy). The cloud endpoints and credentials come from the
 * environment, as for `pulumi up`. Used by the tests to run examples in a plain Node process.
 */
import * as path from "node:path";
import { DeploymentError, MiniEngine } from "../harness";
import type { RunSummary } from "../harness";
import { exampleProgram } from "./example-program";

async function main(): Promise<void> {
  const [dirArg, ...phaseArgs] = process.argv.slice(2);
  if (!dirArg) throw new Error("usage: run-example <example dir> [up|refresh|destroy ...]");
  const dir = path.resolve(dirArg);
  const phases = phaseArgs.length ? phaseArgs : ["up", "up", "destroy"];
  const engine = new MiniEngine({ projectDir: dir, project: path.basename(dir), stack: "example" });
  const program = exampleProgram(dir);
  const report = (phase: string, s: RunSummary, error?: string) =>
    console.log(
      JSON.stringify({
        phase,
        steps: s.steps.map((x) => ({ op: x.op, name: x.name, id: x.id })),
        outputs: s.outputs,
        error,
      }),
    );
  try {
    for (const phase of phases) {
      try {
        const s =
          phase === "up"
            ? await engine.up(program)
            : phase === "refresh"
              ? await engine.refresh()
              : await engine.destroy();
        report(phase, s);
      } catch (e) {
        if (e instanceof DeploymentError) {
          report(phase, e.summary, e.message);
          process.exitCode = 1;
          return;
        }
        throw e;
      }
    }
  } finally {
    await engine.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
