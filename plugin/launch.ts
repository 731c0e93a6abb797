/**
 * Starts the provider plugin when, and only when, this package is the program of the Node.js
 * language host's `run-plugin` (what the engine runs for a folder with a `PulumiPlugin.yaml`).
 *
 * `run-plugin` does `require(<plugin folder>)`, which loads package.json's `main`: the library's
 * own entry point. A TypeScript program importing the library, a policy pack, or another plugin
 * that depends on this package load the same file, and must get the library only. The plugin
 * starts when the process's main module is `@pulumi/pulumi/cmd/run-plugin` and this entry point
 * was required by `run-plugin`'s own loader (`cmd/run-plugin/run.js`) directly.
 */

import type * as Server from "./server";

const RUN_PLUGIN_MAIN = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]index\.js$/;
const RUN_PLUGIN_LOADER = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]run\.js$/;

/** Whether `entry` (the package's main module) is being run as the plugin by `run-plugin`. */
export function isRunAsPlugin(entry: NodeModule): boolean {
  if (!require.main || !RUN_PLUGIN_MAIN.test(require.main.filename)) return false;
  // Node records a module among its parent's children before running it.
  return Object.values(require.cache).some(
    (m) => m !== undefined && RUN_PLUGIN_LOADER.test(m.filename) && m.children.includes(entry),
  );
}

/** Serves the plugin if `entry` is being run as one; otherwise does nothing. */
export function startIfRunAsPlugin(entry: NodeModule): void {
  if (!isRunAsPlugin(entry)) return;
  // Loaded only here, so the library never pulls in the server.
  const { servePlugin } = require("./server") as typeof Server;
  // run-plugin has rewritten argv to [node, run-plugin, ...the engine's arguments].
  servePlugin(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(
      `migration-tasks plugin failed to start: ${e instanceof Error ? e.stack : String(e)}\n`,
    );
    process.exit(1);
  });
}
