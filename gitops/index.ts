/**
 * GitOps for migration files: one YAML file per task, validated and reviewed in pull requests
 * with `pulumi-migration-tasks validate|schema|review`, and declared in a stack with
 * {@link loadMigrations}.
 */
export { loadMigrations, MigrationFilesError } from "./load";
export type { LoadMigrationsOptions, MigrationTaskResource } from "./load";
export { collectFiles, formatProblem, validateSources } from "./documents";
export type { MigrationDocument, Problem, SourceFile, ValidationResult } from "./documents";
export { API_VERSION, KIND_NAMES } from "./kinds";
export { migrationFileSchema } from "./schema";
export { renderReview, reviewChanges } from "./review";
export type { FieldChange, ReviewAction, ReviewContext, ReviewEntry } from "./review";
