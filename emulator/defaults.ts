/**
 * Credentials and identifiers the emulator knows from the start. They are fixed so that
 * examples, tests and `--print-env` agree without coordination.
 */

/** The emulator's account, user, project and access keys. */
export const emulatorDefaults = {
  region: "cn-north-4",
  /** Id of the project named after the region (IAM `GET /v3/projects?name=cn-north-4`). */
  projectId: "0123456789abcdef0123456789abcdef",
  domainId: "fedcba9876543210fedcba9876543210",
  /** Account (domain) name for IAM password tokens. */
  domainName: "emulator-account",
  userId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  userName: "emulator-user",
  password: "emulator-password",
  accessKey: "HPUAEMULATOR00000001",
  secretKey: "emulatorSecretKey000000000000000000000001",
  /** Default port of the `pulumi-migration-tasks-emulator` command. */
  port: 18080,
} as const;

/**
 * The key pair of the signing test vectors in docs/signing.md, registered so
 * that requests signed with them verify. The vectors' `X-Security-Token` value is accepted with
 * this key.
 */
export const vectorCredentials = {
  accessKey: "HPUAEXAMPLEAK0000001",
  secretKey: "ExampleSecretKey0000000000000000000000001",
  securityToken: "EXAMPLE-SECURITY-TOKEN",
} as const;
