export { MigrationTask } from "./resource";
export type { EndpointArgs, MigrationTaskArgs } from "./resource";
