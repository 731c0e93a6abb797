#!/usr/bin/env node
/**
 * `pulumi-migration-tasks`: the pull-request side of GitOps for migration files, with no cloud
 * credentials and no Pulumi CLI.
 *
 *   pulumi-migration-tasks validate [path...]            problems as file:line:column: field: rule
 *   pulumi-migration-tasks schema                        the JSON Schema of a migration file
 *   pulumi-migration-tasks schema --pulumi               the Pulumi package schema of the plugin
 *   pulumi-migration-tasks review --base <rev> [path...] Markdown review of the change since <rev>
 *
 * Exit codes: 0 all files valid, 1 a file is invalid, 2 bad usage or an unreadable path or
 * revision.
 */
import type { ParseArgsConfig } from "node:util";
import { parseArgs } from "node:util";
import { collectFiles, formatProblem, validateSources } from "./documents";
import { filesAtRevision, renderReview, resolveRevision, reviewChanges } from "./review";
import { packageSchema } from "../plugin/schema";
import { migrationFileSchema } from "./schema";

/** Where the commands write; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

const USAGE = `usage:
  pulumi-migration-tasks validate [path...]              check migration files (default: migrations)
  pulumi-migration-tasks schema                          print the JSON Schema of a migration file
  pulumi-migration-tasks schema --pulumi                 print the Pulumi package schema of the plugin
  pulumi-migration-tasks review --base <rev> [path...]   Markdown review of the changes since <rev>
`;

class UsageError extends Error {}

function parse(args: string[], options: ParseArgsConfig["options"]) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs one command; resolves to the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "validate": {
        const { positionals } = parse(rest, {});
        const result = validateSources(
          collectFiles(positionals.length ? positionals : ["migrations"], { cwd: io.cwd }),
        );
        for (const p of result.problems) io.out(formatProblem(p) + "\n");
        const bad = new Set(result.problems.map((p) => p.file)).size;
        io.err(
          `validate: ${result.files} file${result.files === 1 ? "" : "s"}, ${bad} invalid, ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}\n`,
        );
        return result.problems.length > 0 ? 1 : 0;
      }
      case "schema": {
        const { values } = parse(rest, { pulumi: { type: "boolean" } });
        const schema = (values as { pulumi?: boolean }).pulumi ? packageSchema() : migrationFileSchema();
        io.out(JSON.stringify(schema, null, 2) + "\n");
        return 0;
      }
      case "review": {
        const { values, positionals } = parse(rest, { base: { type: "string" } });
        const base = (values as { base?: unknown }).base;
        if (typeof base !== "string" || base === "")
          throw new UsageError("review: --base <git revision> is required");
        const paths = positionals.length ? positionals : ["migrations"];
        const baseCommit = resolveRevision(base, io.cwd);
        const before = validateSources(filesAtRevision(base, paths, io.cwd));
        // A change that removes the folder deletes every task in it.
        const after = validateSources(collectFiles(paths, { cwd: io.cwd, missingOk: true }));
        const entries = await reviewChanges(before, after);
        io.out(
          renderReview(entries, {
            base,
            baseCommit,
            headProblems: after.problems,
            baseProblems: before.problems,
            headUnreadable: after.unreadable,
          }),
        );
        return after.problems.length > 0 ? 1 : 0;
      }
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return 0;
      default:
        throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : "no command given");
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${USAGE}`);
      return 2;
    }
    io.err(`pulumi-migration-tasks: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`pulumi-migration-tasks: ${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
