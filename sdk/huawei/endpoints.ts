/**
 * Service endpoints per region, from the official SDK region tables (docs/huawei-sms.md),
 * with the user's overrides first.
 */
import type { HuaweiSettings } from "./credentials";

/** The Huawei Cloud services this package calls. */
export type HuaweiService = "sms" | "dcs" | "iam";

/** Regions whose SMS endpoint does not follow the `sms.{region}` pattern [SDK `sms_region.py`]. */
const SMS_SPECIAL = new Map<string, string>([
  ["ru-moscow-1", "https://sms-api.ru-moscow-1.myhuaweicloud.com"],
]);

/** Region ids are DNS labels; checking keeps a typo or stray input from naming some other host. */
const REGION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The EU sovereign site (eu-west-101, ...) lives under its own domain, as pulumi-huaweicloud's `HW_CLOUD` default. */
function isEuSite(region: string): boolean {
  return region.startsWith("eu-west-1");
}

/**
 * Strips trailing slashes and insists on an absolute http(s) URL, naming where the bad value
 * came from so the user knows which setting to fix.
 */
function checkOverride(service: HuaweiService, value: string, from: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    throw new Error(
      `the ${service} endpoint override from ${from} is not an http(s) URL: ${JSON.stringify(value)} ` +
        `(expected e.g. "https://${service}.cn-north-4.myhuaweicloud.com" or "http://127.0.0.1:8080")`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new Error(
      `the ${service} endpoint override from ${from} must not have a query or fragment: ${value}`,
    );
  }
  return value.replace(/\/+$/, "");
}

/**
 * The base URL (no trailing slash) for a service in a region. An override in `settings.endpoints`
 * wins; otherwise the official region table: SMS `https://sms.{region}.myhuaweicloud.com` except
 * `ru-moscow-1` (`sms-api.`) and the EU site (`https://sms.myhuaweicloud.eu`, SMS being a global
 * service there), DCS `https://dcs.{region}.myhuaweicloud.com`, IAM
 * `https://iam.{region}.myhuaweicloud.com`; EU-site regions (`eu-west-101`) use `myhuaweicloud.eu`.
 *
 * @param settings - `sources` is optional and only improves the error message.
 * @throws Error when an override is not an http(s) URL or the region id is not a region name.
 */
export function huaweiEndpoint(
  service: HuaweiService,
  region: string,
  settings: Pick<HuaweiSettings, "endpoints"> & Partial<Pick<HuaweiSettings, "sources">>,
): string {
  const override = settings.endpoints[service];
  if (override !== undefined) {
    const from = settings.sources?.[`endpoints.${service}`] ?? `endpoints.${service}`;
    return checkOverride(service, override.trim(), from);
  }
  if (!REGION_ID.test(region)) {
    throw new Error(
      `${JSON.stringify(region)} is not a Huawei Cloud region id (expected e.g. "cn-north-4"); ` +
        `set the region, or an endpoint override for ${service}`,
    );
  }
  if (service === "sms") {
    const special = SMS_SPECIAL.get(region);
    if (special) return special;
    if (isEuSite(region)) return "https://sms.myhuaweicloud.eu";
  }
  const domain = isEuSite(region) ? "myhuaweicloud.eu" : "myhuaweicloud.com";
  return `https://${service}.${region}.${domain}`;
}
