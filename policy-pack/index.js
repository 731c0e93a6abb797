// Entry point the Pulumi CLI runs for `--policy-pack <this directory>`: it starts node's
// `@pulumi/pulumi/cmd/run-policy-pack` here, with this directory as the working directory, and
// reads the port the pack prints. The rules live in the package itself, reached by name: from
// node_modules/pulumi-migration-tasks/policy-pack the lookup walks up to the installed package
// (and, in this repository, to the node_modules/pulumi-migration-tasks link back to the root).
require("pulumi-migration-tasks/policy").migrationTasksPolicyPack();
