/**
 * The Pulumi package schema of the `migration-tasks` provider plugin, generated from the zod
 * input schemas, the per-field tables and the observed-output tables: types, descriptions,
 * required inputs, enums, secrets, `replaceOnChanges` and every output. `GetSchema` serves it and
 * `pulumi-migration-tasks schema --pulumi` prints it.
 */
import { z } from "zod";
import type { FieldMeta } from "../provider/common/fields";
import { CONFIG_VARIABLES } from "./config";
import type { PluginKind } from "./kinds";
import { KINDS, PACKAGE, secretOutputNames } from "./kinds";

/** A type reference or inline type of the Pulumi schema. */
export interface TypeSpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  items?: TypeSpec;
  additionalProperties?: TypeSpec;
  $ref?: string;
}

/** A property of a resource, object type or the provider. */
export interface PropertySpec extends TypeSpec {
  description?: string;
  secret?: boolean;
  replaceOnChanges?: boolean;
  default?: string | number | boolean;
}

/** An object or enum type. */
export interface ComplexTypeSpec {
  type: "object" | "string";
  description?: string;
  properties?: Record<string, PropertySpec>;
  required?: string[];
  enum?: { name?: string; value: string }[];
}

/** A resource of the schema. */
export interface ResourceSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

/** The package schema (the subset this package uses). */
export interface PackageSpec {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  repository?: string;
  config: { variables: Record<string, PropertySpec> };
  provider: {
    description: string;
    inputProperties: Record<string, PropertySpec>;
    properties: Record<string, PropertySpec>;
  };
  types: Record<string, ComplexTypeSpec>;
  resources: Record<string, ResourceSpec>;
  language: Record<string, Record<string, unknown>>;
}

/** The JSON Schema subset zod's `toJSONSchema` produces for these inputs. */
interface JsonSchema {
  type?: string;
  description?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
}

const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
/** The item of a list field: `disks` holds a `Disk`. */
const singular = (s: string): string => (/[^s]s$/.test(s) ? s.slice(0, -1) : s);

/**
 * The name of an enum value in generated SDKs: `MIGRATE_BLOCK` becomes `MigrateBlock`, which each
 * language spells its own way (Python `MIGRATE_BLOCK`); left to the code generators, values in
 * capitals come out mangled (Python `MIGRAT_E_BLOCK`).
 */
function enumValueName(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) =>
      /^[A-Z0-9]+$/.test(w) ? w.charAt(0) + w.slice(1).toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join("");
}

/** The rules of a value that the schema's types cannot carry, for its description. */
function constraints(j: JsonSchema): string[] {
  const out: string[] = [];
  const big = (n: number | undefined): boolean => n !== undefined && Math.abs(n) >= Number.MAX_SAFE_INTEGER;
  if (j.minLength !== undefined && j.maxLength !== undefined)
    out.push(`${j.minLength} to ${j.maxLength} characters`);
  else if (j.minLength !== undefined && j.minLength > 0) out.push(`at least ${j.minLength} characters`);
  else if (j.maxLength !== undefined) out.push(`at most ${j.maxLength} characters`);
  if (j.pattern !== undefined) out.push(`matches \`${j.pattern}\``);
  const lo = big(j.minimum) ? undefined : j.minimum;
  const hi = big(j.maximum) ? undefined : j.maximum;
  if (lo !== undefined && hi !== undefined) out.push(`${lo} to ${hi}`);
  else if (lo !== undefined) out.push(`at least ${lo}`);
  else if (hi !== undefined) out.push(`at most ${hi}`);
  if (j.minItems !== undefined && j.minItems > 0) out.push(`at least ${j.minItems} items`);
  if (j.maxItems !== undefined) out.push(`at most ${j.maxItems} items`);
  return out;
}

/** What a change of a field does, for its description. */
function changeNote(meta: FieldMeta | undefined): string | undefined {
  if (!meta) return undefined;
  if (meta.change === "replace") return "Changing it replaces the task.";
  if (meta.change === "update") return "Updated in place.";
  return undefined;
}

function describe(parts: (string | undefined)[]): string | undefined {
  const text = parts
    .filter((p): p is string => p !== undefined && p !== "")
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`))
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(" ");
  return text === "" ? undefined : text;
}

/** Converts zod's JSON Schema into Pulumi types, naming object and enum types after their path. */
class TypeBuilder {
  constructor(
    private readonly module: string,
    readonly types: Record<string, ComplexTypeSpec>,
  ) {}

  private token(name: string): string {
    return `${PACKAGE}:${this.module}:${name}`;
  }

  private define(name: string, spec: ComplexTypeSpec): TypeSpec {
    const token = this.token(name);
    const existing = this.types[token];
    if (existing && JSON.stringify(existing) !== JSON.stringify(spec)) {
      throw new Error(`schema: two different types named ${token}`);
    }
    this.types[token] = spec;
    return { $ref: `#/types/${token}` };
  }

  /** The type of a value at `name` (PascalCase path, used to name its object or enum type). */
  type(j: JsonSchema, name: string): TypeSpec {
    if (j.anyOf) {
      const branches = j.anyOf.filter((b) => b.type !== "null");
      return branches.length === 1 ? this.type(branches[0], name) : ANY;
    }
    if (j.enum && j.enum.every((v) => typeof v === "string")) {
      // A bare `Type` or `Kind` would read badly in generated SDKs.
      const enumName = ["Type", "Kind", "State"].includes(name) ? `Task${name}` : name;
      return this.define(enumName, {
        type: "string",
        description: j.description,
        enum: (j.enum as string[]).map((value) => ({ name: enumValueName(value), value })),
      });
    }
    switch (j.type) {
      case "string":
        return { type: "string" };
      case "integer":
        return { type: "integer" };
      case "number":
        return { type: "number" };
      case "boolean":
        return { type: "boolean" };
      case "array":
        return { type: "array", items: j.items ? this.type(j.items, singular(name)) : ANY };
      case "object": {
        if (j.properties && Object.keys(j.properties).length > 0) {
          const properties: Record<string, PropertySpec> = {};
          for (const [k, p] of Object.entries(j.properties)) {
            properties[k] = this.property(p, `${name}${pascal(k)}`);
          }
          return this.define(name, {
            type: "object",
            description: j.description,
            properties,
            required: j.required?.filter((r) => j.properties?.[r]?.default === undefined),
          });
        }
        const extra = j.additionalProperties;
        return {
          type: "object",
          additionalProperties: typeof extra === "object" ? this.type(extra, name) : ANY,
        };
      }
      default:
        return ANY;
    }
  }

  /** A property: its type plus its description, rules and default. */
  property(j: JsonSchema, name: string, meta?: FieldMeta): PropertySpec {
    const t = this.type(j, name);
    const spec: PropertySpec = { ...t };
    const description = describe([j.description, meta?.doc, ...constraints(j), changeNote(meta)]);
    if (description) spec.description = description;
    if (typeof j.default === "string" || typeof j.default === "number" || typeof j.default === "boolean") {
      spec.default = j.default;
    }
    if (j.enum && typeof j.default !== "undefined") spec.default = j.default as string;
    return spec;
  }
}

function jsonSchema(s: z.ZodType, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
}

/** The schema of one resource kind; its object and enum types go into `types`. */
export function resourceSpec(kind: PluginKind, types: Record<string, ComplexTypeSpec>): ResourceSpec {
  const b = new TypeBuilder(kind.module, types);
  const input = jsonSchema(kind.inputs, "input");
  const secrets = new Set(secretOutputNames(kind));
  const inputProperties: Record<string, PropertySpec> = {};
  for (const [k, j] of Object.entries(input.properties ?? {})) {
    const meta = kind.fields[k];
    const p = b.property(j, pascal(k), meta);
    if (meta?.secret) p.secret = true;
    if (meta?.change === "replace") p.replaceOnChanges = true;
    inputProperties[k] = p;
  }
  const requiredInputs = (input.required ?? []).filter((r) => input.properties?.[r]?.default === undefined);
  // Outputs echo every input (defaults applied), then the observed values.
  const properties: Record<string, PropertySpec> = {};
  for (const [k, p] of Object.entries(inputProperties)) {
    const { default: _d, ...out } = p;
    properties[k] = secrets.has(k) ? { ...out, secret: true } : out;
  }
  for (const [k, s] of Object.entries(kind.observed)) {
    const p = b.property(jsonSchema(s, "output"), pascal(k));
    if (secrets.has(k)) p.secret = true;
    properties[k] = p;
  }
  const observedRequired = Object.entries(kind.observed)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([k]) => k);
  return {
    description: kind.description,
    inputProperties,
    requiredInputs,
    properties,
    required: [...requiredInputs, ...observedRequired],
  };
}

function packageVersion(): string {
  // The compiled file sits one folder deeper (dist/plugin) than the source (plugin).
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === "pulumi-migration-tasks" && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}

/** The package's version, from package.json. */
export const VERSION = packageVersion();

/** The whole package schema. */
export function packageSchema(): PackageSpec {
  const types: Record<string, ComplexTypeSpec> = {};
  const resources: Record<string, ResourceSpec> = {};
  for (const k of KINDS) resources[k.token] = resourceSpec(k, types);
  const variables: Record<string, PropertySpec> = {};
  for (const [name, v] of Object.entries(CONFIG_VARIABLES)) {
    variables[name] = { type: "string", description: v.description, ...(v.secret ? { secret: true } : {}) };
  }
  return {
    name: PACKAGE,
    displayName: "Migration Tasks",
    version: VERSION,
    description:
      "Cloud migration tasks as Pulumi resources: Huawei Cloud SMS server migration, Huawei Cloud DCS Redis migration, Alibaba Cloud MSE registry migration.",
    keywords: ["pulumi", "migration", "huaweicloud", "alicloud", "kind/native"],
    license: "Apache-2.0",
    config: { variables },
    provider: {
      description:
        "The migration-tasks provider. Credentials come from a resource's `credentials` input, then this configuration, then the environment, then the vendors' profile files.",
      inputProperties: variables,
      properties: variables,
    },
    types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    resources,
    language: {
      nodejs: { packageName: "@pulumi-migration-tasks/sdk", respectSchemaVersion: true },
      python: { packageName: "pulumi_migration_tasks", respectSchemaVersion: true },
      go: {
        importBasePath: "github.com/pulumi-migration-tasks/sdk/go/migrationtasks",
        generateResourceContainerTypes: true,
      },
      csharp: { rootNamespace: "MigrationTasks", respectSchemaVersion: true },
    },
  };
}
