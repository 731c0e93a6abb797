/** Valid inputs used by the tests of this resource. */
export const validInputs = {
  name: "web-01-to-ecs",
  type: "MIGRATE_BLOCK",
  osType: "LINUX",
  sourceServerId: "b0a7c1e2-0000-4000-8000-000000000001",
  target: { vmId: "e1c2d3f4-0000-4000-8000-0000000000a1" },
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  speedLimitMbps: 100,
  state: "running",
};
