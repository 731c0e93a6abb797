/**
 * The plugin's provider configuration. Each variable stands where the dynamic resources read a
 * stack config key (`huaweicloud:accessKey`, ...), so the credential chains are the same: a
 * resource's `credentials` input, then this configuration, then the environment variables, then
 * the vendors' profile files.
 */

/** One provider configuration variable. */
export interface ConfigVariable {
  description: string;
  secret?: boolean;
  /** The stack config key of the dynamic resources this variable stands for. */
  stackKey: string;
  /** For endpoint overrides: the service key inside the JSON `*:endpoints` value. */
  endpoint?: string;
}

/** Every provider configuration variable, by name (`migration-tasks:<name>`). */
export const CONFIG_VARIABLES: Readonly<Record<string, ConfigVariable>> = {
  huaweicloudAccessKey: {
    stackKey: "huaweicloud:accessKey",
    secret: true,
    description:
      "Huawei Cloud access key (AK). Taken with `huaweicloudSecretKey` as one pair; otherwise HW_ACCESS_KEY, OS_ACCESS_KEY, HUAWEICLOUD_SDK_AK or ~/.huaweicloud/credentials.",
  },
  huaweicloudSecretKey: {
    stackKey: "huaweicloud:secretKey",
    secret: true,
    description: "Huawei Cloud secret key (SK) of `huaweicloudAccessKey`.",
  },
  huaweicloudSecurityToken: {
    stackKey: "huaweicloud:securityToken",
    secret: true,
    description: "Huawei Cloud security token of a temporary access key.",
  },
  huaweicloudToken: {
    stackKey: "huaweicloud:token",
    secret: true,
    description: "Huawei Cloud IAM token, used as X-Auth-Token when no key pair is set.",
  },
  huaweicloudRegion: {
    stackKey: "huaweicloud:region",
    description:
      "Huawei Cloud region of the API endpoints, e.g. `cn-north-4`; otherwise HW_REGION_NAME or OS_REGION_NAME.",
  },
  huaweicloudProjectId: {
    stackKey: "huaweicloud:projectId",
    description:
      "Huawei Cloud project id used to sign requests; otherwise HW_PROJECT_ID, OS_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID or the profile file.",
  },
  huaweicloudDomainId: {
    stackKey: "huaweicloud:domainId",
    description:
      "Huawei Cloud account (domain) id; otherwise HW_DOMAIN_ID, HUAWEICLOUD_SDK_DOMAIN_ID or the profile file.",
  },
  huaweicloudSmsEndpoint: {
    stackKey: "huaweicloud:endpoints",
    endpoint: "sms",
    description: "SMS endpoint override (a URL); otherwise MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT.",
  },
  huaweicloudDcsEndpoint: {
    stackKey: "huaweicloud:endpoints",
    endpoint: "dcs",
    description: "DCS endpoint override (a URL); otherwise MIGRATION_TASKS_HUAWEICLOUD_DCS_ENDPOINT.",
  },
  huaweicloudIamEndpoint: {
    stackKey: "huaweicloud:endpoints",
    endpoint: "iam",
    description: "IAM endpoint override (a URL); otherwise MIGRATION_TASKS_HUAWEICLOUD_IAM_ENDPOINT.",
  },
  alicloudAccessKey: {
    stackKey: "alicloud:accessKey",
    secret: true,
    description:
      "Alibaba Cloud AccessKey id. Taken with `alicloudSecretKey` as one pair; otherwise ALICLOUD_ACCESS_KEY, ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABACLOUD_ACCESS_KEY_ID, ~/.aliyun/config.json or ~/.alibabacloud/credentials.",
  },
  alicloudSecretKey: {
    stackKey: "alicloud:secretKey",
    secret: true,
    description: "Alibaba Cloud AccessKey secret of `alicloudAccessKey`.",
  },
  alicloudSecurityToken: {
    stackKey: "alicloud:securityToken",
    secret: true,
    description: "Alibaba Cloud STS token of a temporary AccessKey.",
  },
  alicloudRegion: {
    stackKey: "alicloud:region",
    description:
      "Alibaba Cloud region, e.g. `cn-hangzhou`; otherwise ALICLOUD_REGION, ALIBABA_CLOUD_REGION, ALIBABACLOUD_REGION or the CLI profile.",
  },
  alicloudProfile: {
    stackKey: "alicloud:profile",
    description: "Profile name in ~/.aliyun/config.json and ~/.alibabacloud/credentials.",
  },
  alicloudMseEndpoint: {
    stackKey: "alicloud:endpoints",
    endpoint: "mse",
    description: "MSE endpoint override (a URL or host); otherwise MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT.",
  },
};

/** Keys the engine adds to every provider's inputs; they are not configuration. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

/** A CheckConfig failure. */
export interface ConfigFailure {
  property: string;
  reason: string;
}

/** Validates plaintext provider config: known names, string values. */
export function checkConfig(values: Record<string, unknown>): ConfigFailure[] {
  const failures: ConfigFailure[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (ENGINE_KEYS.has(k)) continue;
    if (!Object.hasOwn(CONFIG_VARIABLES, k)) {
      failures.push({
        property: k,
        reason: `unknown configuration key migration-tasks:${k}; known keys: ${Object.keys(CONFIG_VARIABLES).join(", ")}`,
      });
    } else if (typeof v !== "string" && v !== null && v !== undefined) {
      failures.push({ property: k, reason: `migration-tasks:${k} must be a string` });
    }
  }
  return failures;
}

/**
 * The stack-config view the runtime reads (`huaweicloud:accessKey`, `huaweicloud:endpoints`
 * as JSON, ...) of plaintext provider config.
 */
export function stackConfigOf(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const endpoints: Record<string, Record<string, string>> = {};
  for (const [name, spec] of Object.entries(CONFIG_VARIABLES)) {
    const v = values[name];
    if (typeof v !== "string" || v === "") continue;
    if (spec.endpoint) (endpoints[spec.stackKey] ??= {})[spec.endpoint] = v;
    else out[spec.stackKey] = v;
  }
  for (const [key, e] of Object.entries(endpoints)) out[key] = JSON.stringify(e);
  return out;
}
