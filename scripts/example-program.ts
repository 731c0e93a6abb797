/**
 * Loads an example's `index.ts` as a Pulumi program for the engine harness: registered
 * afresh on every run, as the language host would.
 */
import * as path from "node:path";

let registered = false;

/** A program function that evaluates `<dir>/index.ts` each time it is called. */
export function exampleProgram(dir: string): () => unknown {
  if (!registered) {
    // Examples are TypeScript, as `pulumi up` runs them; ts-node compiles them in process.
    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
    registered = true;
  }
  const entry = path.join(dir, "index.ts");
  return () => {
    delete require.cache[require.resolve(entry)];
    return require(entry);
  };
}
