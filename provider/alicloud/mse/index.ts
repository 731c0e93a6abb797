export { MigrationTask } from "./resource";
export type { MigrationTaskArgs } from "./resource";
