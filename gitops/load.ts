/**
 * `gitops.loadMigrations("./migrations")`: a stack declared by its migration files, one
 * resource per file, judged by the same validation as `pulumi-migration-tasks validate`.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { MigrationTask as MseMigrationTask } from "../provider/alicloud/mse/resource";
import { MigrationTask as DcsMigrationTask } from "../provider/huaweicloud/dcs/resource";
import { MigrationTask as SmsMigrationTask } from "../provider/huaweicloud/sms/resource";
import { clean } from "../provider/common/values";
import type { MigrationDocument, Problem } from "./documents";
import { collectFiles, formatProblem, validateSources } from "./documents";
import type { SecretRef } from "./kinds";

/** A resource the loader registers. */
export type MigrationTaskResource = SmsMigrationTask | DcsMigrationTask | MseMigrationTask;

/** Options of {@link loadMigrations}. */
export interface LoadMigrationsOptions {
  /** Options given to every resource: a parent, `protect`, `dependsOn`, ... */
  resourceOptions?: pulumi.CustomResourceOptions;
}

/** Thrown when a migration file is invalid; the message lists every problem, one per line. */
export class MigrationFilesError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the migration files:\n${problems.map(formatProblem).join("\n")}`,
    );
    this.name = "MigrationFilesError";
  }
}

/** A stack config secret as a Pulumi secret, warning when it was not stored as one. */
function resolveSecret(ref: SecretRef): pulumi.Output<string> {
  const i = ref.config.indexOf(":");
  const namespace = i > 0 ? ref.config.slice(0, i) : undefined;
  const key = i > 0 ? ref.config.slice(i + 1) : ref.config;
  const fullKey = `${namespace ?? pulumi.getProject()}:${key}`;
  // Not in the SDK's declared API, but present since 3.x; without it, no warning.
  const isSecret = (pulumi.runtime as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (isSecret && pulumi.runtime.getConfig(fullKey) !== undefined && !isSecret(fullKey)) {
    void pulumi.log.warn(
      `config ${fullKey} is referenced as a secret but stored in plaintext; set it with pulumi config set --secret ${fullKey}`,
    );
  }
  return new pulumi.Config(namespace).requireSecret(key);
}

/** The resource arguments of a document: its spec, secret references resolved. */
function argsOf(d: MigrationDocument): Record<string, unknown> {
  // A copy made in this realm: Pulumi tells lists from objects with instanceof.
  const args = clean(d.spec) as Record<string, unknown>;
  for (const s of d.secrets) {
    let holder = args as Record<string | number, unknown>;
    for (const seg of s.path.slice(0, -1)) holder = holder[seg] as Record<string | number, unknown>;
    holder[s.path[s.path.length - 1]] = resolveSecret(s.ref);
  }
  return args;
}

const CONSTRUCTORS: Record<
  string,
  (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => MigrationTaskResource
> = {
  "huaweicloud.sms.MigrationTask": (n, a, o) =>
    new SmsMigrationTask(n, a as unknown as ConstructorParameters<typeof SmsMigrationTask>[1], o),
  "huaweicloud.dcs.MigrationTask": (n, a, o) =>
    new DcsMigrationTask(n, a as unknown as ConstructorParameters<typeof DcsMigrationTask>[1], o),
  "alicloud.mse.MigrationTask": (n, a, o) =>
    new MseMigrationTask(n, a as unknown as ConstructorParameters<typeof MseMigrationTask>[1], o),
};

/**
 * Registers one migration task per YAML file under `dir` (searched recursively; relative to the
 * program's working directory, the Pulumi project's folder), named by each file's
 * `metadata.name`. Every file is validated first, with the same rules as
 * `pulumi-migration-tasks validate`; any problem throws a {@link MigrationFilesError} naming
 * every file, line and column, so nothing is registered from a half-valid set.
 *
 * Secret fields are written in the files as `{ config: <key> }` and resolve to
 * `new pulumi.Config().requireSecret(key)` (`ns:key` for another namespace).
 *
 * @returns the resources by name.
 */
export function loadMigrations(
  dir: string,
  opts: LoadMigrationsOptions = {},
): Record<string, MigrationTaskResource> {
  const result = validateSources(collectFiles([path.resolve(dir)]));
  if (result.problems.length > 0) throw new MigrationFilesError(result.problems);
  const resources: Record<string, MigrationTaskResource> = {};
  for (const d of result.documents) {
    resources[d.name] = CONSTRUCTORS[d.kind.kind](d.name, argsOf(d), opts.resourceOptions);
  }
  return resources;
}
