/**
 * Where the Huawei Cloud settings come from. The places and names follow the tools users already
 * configure: resource/provider arguments, the pulumi-huaweicloud stack config and environment
 * (docs/signing.md), then the official SDK's environment and profile file.
 */
import fs from "fs";
import os from "os";
import path from "path";
import type { Found } from "../core/found";
import { firstOf, found, present } from "../core/found";

/** Credentials as a resource or provider argument may carry them. */
export interface HuaweiCredentials {
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  /** IAM token used as X-Auth-Token instead of AK/SK */
  authToken?: string;
  projectId?: string;
  domainId?: string;
}

/** Everything a Huawei client needs, resolved. Either the key pair or `authToken` is set. */
export interface HuaweiSettings {
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  authToken?: string;
  region: string;
  projectId?: string;
  domainId?: string;
  /** where each value came from, for error messages, e.g. { accessKey: "environment HW_ACCESS_KEY" } */
  sources: Record<string, string>;
  endpoints: { sms?: string; dcs?: string; iam?: string };
}

/** The inputs of {@link resolveHuaweiSettings}; every part is optional so tests can isolate one place. */
export interface HuaweiSettingsInput {
  /** Resource or provider arguments; they win over every other place. */
  args?: {
    accessKey?: string;
    secretKey?: string;
    securityToken?: string;
    authToken?: string;
    region?: string;
    projectId?: string;
    domainId?: string;
    endpoints?: { sms?: string; dcs?: string; iam?: string };
  };
  /** Stack config lookup by full key (`huaweicloud:region`), e.g. `k => new pulumi.Config().get(...)`. */
  config?: (key: string) => string | undefined;
  /** Environment; `process.env` when absent. */
  env?: Record<string, string | undefined>;
  /** Home directory holding `.huaweicloud/credentials`; `os.homedir()` when absent. */
  homeDir?: string;
}

/**
 * A required setting is absent, or an access key came without its secret. The message names the
 * setting and every place looked, in order; it never contains a credential value.
 */
export class MissingCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingCredentialsError";
  }
}

const SERVICES = ["sms", "dcs", "iam"] as const;
type Service = (typeof SERVICES)[number];

/** A place that may hold an access key pair, its security token, or an IAM token. */
interface CredentialPlace {
  /** How the place is named in the error message. */
  describe: string;
  ak?: Found;
  sk?: Found;
  token?: Found;
  authToken?: Found;
}

/**
 * A small INI reader for the official profile file: `[section]`, `key = value` (or `key: value`),
 * full-line `#`/`;` comments. Keys are lower-cased like Python's configparser; values are not
 * split on inline `#` or `;` because a secret may contain them.
 */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      // A `[__proto__]` section would otherwise write its keys onto Object.prototype.
      if (name === "__proto__") {
        section = {};
        continue;
      }
      section = Object.hasOwn(out, name) ? out[name] : (out[name] = {});
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (m && section && m[1].toLowerCase() !== "__proto__") section[m[1].toLowerCase()] = m[2];
  }
  return out;
}

interface Profile {
  file: string;
  /** Why nothing was read, for the error message. */
  problem?: string;
  sections: Record<string, Record<string, string>>;
}

function readProfile(env: Record<string, string | undefined>, homeDir: string): Profile {
  const explicit = present(env.HUAWEICLOUD_SDK_CREDENTIALS_FILE);
  const file = explicit ?? path.join(homeDir, ".huaweicloud", "credentials");
  try {
    return { file, sections: parseIni(fs.readFileSync(file, "utf8")) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      file,
      sections: {},
      problem: code === "ENOENT" ? "not found" : `unreadable: ${code ?? String(e)}`,
    };
  }
}

const PROFILE_SECTIONS = ["basic", "global"] as const;

function fromProfile(p: Profile, key: string): Found | undefined {
  for (const s of PROFILE_SECTIONS) {
    const f = found(p.sections[s]?.[key], `profile file ${p.file} [${s}] ${key}`);
    if (f) return f;
  }
  return undefined;
}

/** Reads `huaweicloud:endpoints`, a JSON object like `{"sms":"http://127.0.0.1:1234"}`. */
function configEndpoints(config: (key: string) => string | undefined): Partial<Record<Service, Found>> {
  const raw = present(config("huaweicloud:endpoints"));
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(
      `stack config huaweicloud:endpoints is not valid JSON; expected e.g. {"sms":"https://..."}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`stack config huaweicloud:endpoints must be a JSON object such as {"sms":"https://..."}`);
  }
  const out: Partial<Record<Service, Found>> = {};
  for (const s of SERVICES) {
    const v = (parsed as Record<string, unknown>)[s];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string")
      throw new Error(`stack config huaweicloud:endpoints.${s} must be a string URL`);
    const f = found(v, `stack config huaweicloud:endpoints.${s}`);
    if (f) out[s] = f;
  }
  return out;
}

/**
 * Resolves credentials, region, project/domain ids and endpoint overrides. For each setting the
 * first place that has it wins: (1) `args`, (2) stack config `huaweicloud:*`, (3) environment
 * (pulumi-huaweicloud's `HW_*`/`OS_*`, then the official SDK's `HUAWEICLOUD_SDK_*`), (4) the
 * official profile file. The access key, secret key and security token are one setting: they are
 * taken together from a single place, never an access key from one place and a secret from another.
 *
 * @throws MissingCredentialsError when no key pair or IAM token is found, when a place holds only
 *   half of a key pair, or when no region is found.
 */
export function resolveHuaweiSettings(input: HuaweiSettingsInput): HuaweiSettings {
  const args = input.args ?? {};
  const config = input.config ?? (() => undefined);
  const env = input.env ?? process.env;
  const profile = readProfile(env, input.homeDir ?? os.homedir());
  const cfg = (key: string) => found(config(`huaweicloud:${key}`), `stack config huaweicloud:${key}`);
  const ev = (name: string) => found(env[name], `environment ${name}`);
  const arg = (key: keyof HuaweiCredentials | "region") => found(args[key], `resource argument ${key}`);
  const profileWhere = `profile file ${profile.file}${profile.problem ? ` (${profile.problem})` : ""}`;

  // In priority order; at each place a key pair beats an IAM token, as it does in the client.
  const places: CredentialPlace[] = [
    {
      describe: "resource arguments accessKey + secretKey (+ securityToken), or authToken",
      ak: arg("accessKey"),
      sk: arg("secretKey"),
      token: arg("securityToken"),
      authToken: arg("authToken"),
    },
    {
      describe:
        "stack config huaweicloud:accessKey + huaweicloud:secretKey (+ huaweicloud:securityToken), or huaweicloud:token",
      ak: cfg("accessKey"),
      sk: cfg("secretKey"),
      token: cfg("securityToken"),
      authToken: cfg("token"),
    },
    {
      describe: "environment HW_ACCESS_KEY + HW_SECRET_KEY (+ HW_SECURITY_TOKEN)",
      ak: ev("HW_ACCESS_KEY"),
      sk: ev("HW_SECRET_KEY"),
      token: ev("HW_SECURITY_TOKEN"),
    },
    {
      describe: "environment OS_ACCESS_KEY + OS_SECRET_KEY (+ HW_SECURITY_TOKEN)",
      ak: ev("OS_ACCESS_KEY"),
      sk: ev("OS_SECRET_KEY"),
      token: ev("HW_SECURITY_TOKEN"),
    },
    { describe: "environment HW_AUTH_TOKEN", authToken: ev("HW_AUTH_TOKEN") },
    { describe: "environment OS_AUTH_TOKEN", authToken: ev("OS_AUTH_TOKEN") },
    {
      describe: "environment HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN)",
      ak: ev("HUAWEICLOUD_SDK_AK"),
      sk: ev("HUAWEICLOUD_SDK_SK"),
      token: ev("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    },
    ...PROFILE_SECTIONS.map((s): CredentialPlace => {
      const at = (key: string) =>
        found(profile.sections[s]?.[key], `profile file ${profile.file} [${s}] ${key}`);
      return {
        describe: `${profileWhere} [${s}] ak + sk (+ security_token)`,
        ak: at("ak"),
        sk: at("sk"),
        token: at("security_token"),
      };
    }),
  ];
  const placesList = places.map((p, i) => `  ${i + 1}. ${p.describe}`).join("\n");

  const sources: Record<string, string> = {};
  const out: Partial<HuaweiSettings> = {};
  let credentialsFound = false;
  for (const p of places) {
    if (p.ak || p.sk) {
      if (!p.ak || !p.sk) {
        const has = (p.ak ?? p.sk) as Found;
        const lacks = p.ak ? "secret key" : "access key";
        throw new MissingCredentialsError(
          `Huawei Cloud ${lacks} missing: ${has.from} is set but its ${lacks} is not set in the same place ` +
            `(${p.describe}). The key pair must come from one place; places looked, in order:\n${placesList}`,
        );
      }
      out.accessKey = p.ak.value;
      out.secretKey = p.sk.value;
      sources.accessKey = p.ak.from;
      sources.secretKey = p.sk.from;
      if (p.token) {
        out.securityToken = p.token.value;
        sources.securityToken = p.token.from;
      }
      credentialsFound = true;
      break;
    }
    if (p.authToken) {
      out.authToken = p.authToken.value;
      sources.authToken = p.authToken.from;
      credentialsFound = true;
      break;
    }
  }

  const region = firstOf(arg("region"), cfg("region"), ev("HW_REGION_NAME"), ev("OS_REGION_NAME"));
  const missing: string[] = [];
  if (!credentialsFound) {
    missing.push(
      `Huawei Cloud credentials not found: set an access key pair or an IAM token in one of these places ` +
        `(first found wins):\n${placesList}`,
    );
  }
  if (!region) {
    missing.push(
      "Huawei Cloud region not found; places looked, in order:\n" +
        "  1. resource argument region\n  2. stack config huaweicloud:region\n" +
        "  3. environment HW_REGION_NAME\n  4. environment OS_REGION_NAME",
    );
  }
  if (!region || missing.length > 0) throw new MissingCredentialsError(missing.join("\n"));
  sources.region = region.from;

  const projectId = firstOf(
    arg("projectId"),
    cfg("projectId"),
    ev("HW_PROJECT_ID"),
    ev("OS_PROJECT_ID"),
    ev("HUAWEICLOUD_SDK_PROJECT_ID"),
    fromProfile(profile, "project_id"),
  );
  const domainId = firstOf(
    arg("domainId"),
    cfg("domainId"),
    ev("HW_DOMAIN_ID"),
    ev("HUAWEICLOUD_SDK_DOMAIN_ID"),
    fromProfile(profile, "domain_id"),
  );
  if (projectId) sources.projectId = projectId.from;
  if (domainId) sources.domainId = domainId.from;

  const fromConfig = configEndpoints(config);
  const regionKey = region.value.toUpperCase().replace(/-/g, "_");
  const endpoints: HuaweiSettings["endpoints"] = {};
  for (const s of SERVICES) {
    const e = firstOf(
      found(args.endpoints?.[s], `resource argument endpoints.${s}`),
      fromConfig[s],
      ev(`MIGRATION_TASKS_HUAWEICLOUD_${s.toUpperCase()}_ENDPOINT`),
      ev(`HUAWEICLOUD_SDK_REGION_${s.toUpperCase()}_${regionKey}`),
      s === "iam" ? ev("HUAWEICLOUD_SDK_IAM_ENDPOINT") : undefined,
      s === "iam" ? fromProfile(profile, "iam_endpoint") : undefined,
    );
    if (e) {
      endpoints[s] = e.value;
      sources[`endpoints.${s}`] = e.from;
    }
  }

  return {
    accessKey: out.accessKey,
    secretKey: out.secretKey,
    securityToken: out.securityToken,
    authToken: out.authToken,
    region: region.value,
    projectId: projectId?.value,
    domainId: domainId?.value,
    sources,
    endpoints,
  };
}
