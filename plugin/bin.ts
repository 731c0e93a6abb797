#!/usr/bin/env node
/**
 * `pulumi-resource-migration-tasks`: the provider plugin as an executable. The engine runs an
 * executable of that name found on PATH (an installed package's bin) or given by path
 * (`pulumi package add ./node_modules/.bin/pulumi-resource-migration-tasks`) directly, without a
 * language host; a folder with PulumiPlugin.yaml goes through the Node.js language host instead.
 * Both serve the same server.
 */
import { servePlugin } from "./server";

servePlugin(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(
    `migration-tasks plugin failed to start: ${e instanceof Error ? e.stack : String(e)}\n`,
  );
  process.exit(1);
});
