import { gitops } from "pulumi-migration-tasks";
gitops.loadMigrations("./migrations");
