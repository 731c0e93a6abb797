/**
 * The environment variables that point the provider, the examples and the official tools at a
 * running emulator. One place for all clouds: DCS and MSE add their contributor here.
 */
import { alicloudDefaults } from "./alibaba/defaults";
import { emulatorDefaults } from "./defaults";

/** Adds the variables of one cloud or service for an emulator at `url`. */
export type EnvContributor = (url: string) => Record<string, string>;

/** Huawei Cloud: credentials in the Terraform/Pulumi provider's names plus our endpoint overrides. */
export const huaweiEnv: EnvContributor = (url) => ({
  HW_ACCESS_KEY: emulatorDefaults.accessKey,
  HW_SECRET_KEY: emulatorDefaults.secretKey,
  HW_REGION_NAME: emulatorDefaults.region,
  HW_PROJECT_ID: emulatorDefaults.projectId,
  MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT: url,
  MIGRATION_TASKS_HUAWEICLOUD_DCS_ENDPOINT: url,
  MIGRATION_TASKS_HUAWEICLOUD_IAM_ENDPOINT: url,
});

/** Alibaba Cloud: credentials in pulumi-alicloud's (Terraform's) names plus the MSE endpoint override. */
export const alicloudEnv: EnvContributor = (url) => ({
  ALICLOUD_ACCESS_KEY: alicloudDefaults.accessKeyId,
  ALICLOUD_SECRET_KEY: alicloudDefaults.accessKeySecret,
  ALICLOUD_REGION: alicloudDefaults.region,
  MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT: url,
});

/** Every contributor, in output order (the order of `--print-env`). */
export const envContributors: EnvContributor[] = [huaweiEnv, alicloudEnv];

/** `http://127.0.0.1:<port>`, the only address the emulator listens on. */
export function emulatorUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** The environment for an emulator at `url`. */
export function emulatorEnv(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of envContributors) Object.assign(out, c(url));
  return out;
}

/** `export NAME=value` lines, values single-quoted when the shell would otherwise split them. */
export function formatExports(env: Record<string, string>): string {
  return Object.entries(env)
    .map(
      ([k, v]) => `export ${k}=${/^[A-Za-z0-9_./:@%+=,-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`}`,
    )
    .join("\n");
}
