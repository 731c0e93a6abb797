/**
 * Alibaba Cloud credentials and identifiers the emulator knows from the start, fixed so that
 * `--print-env`, the examples and the tests agree without coordination.
 */

/** The emulator's Alibaba Cloud account and access keys. */
export const alicloudDefaults = {
  /** `ALICLOUD_REGION` of `--print-env`; MSE is regional, the emulator serves every region. */
  region: "cn-hangzhou",
  /** The account's UID, reported as `UserId` on every task. */
  userId: "1838762170000001",
  accessKeyId: "LTAIEMULATOR0000000001",
  accessKeySecret: "emulatorAlicloudSecret000000000001",
  /** A second pair that only works with {@link alicloudDefaults.securityToken} (an STS credential). */
  stsAccessKeyId: "STS.EMULATOR0000000001",
  stsAccessKeySecret: "emulatorAlicloudStsSecret000000001",
  securityToken: "EMULATOR-STS-TOKEN-0000000001",
} as const;
