/**
 * The JSON Schema of a migration file, generated from the same zod schemas that validate the
 * resources, for editors (the YAML language server's `$schema` comment, VS Code's
 * `yaml.schemas`). Rules zod cannot express in JSON Schema (cross-field rules, address checks)
 * are left to `validate`.
 */
import { z } from "zod";
import { Envelope } from "./documents";
import { API_VERSION, KINDS } from "./kinds";

/** The JSON Schema (draft 2020-12) of one migration file, any kind. */
export function migrationFileSchema(): Record<string, unknown> {
  const variants = Object.values(KINDS).map((k) =>
    Envelope.extend({ kind: z.literal(k.kind), spec: k.spec }).describe(k.title),
  );
  const schema = z.toJSONSchema(z.union(variants), {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: "pulumi-migration-tasks migration file",
    description: `One migration task per file: apiVersion ${API_VERSION}, a kind, metadata.name and the task's spec. Secret fields take { config: <stack config key> }.`,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}
