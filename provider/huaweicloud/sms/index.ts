export { MigrationTask } from "./resource";
export type { MigrationTaskArgs, SubTaskOutput } from "./resource";
