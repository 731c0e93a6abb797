/**
 * Where the Alibaba Cloud settings come from: resource/provider arguments, the pulumi-alicloud
 * stack config and environment (docs/signing.md), then the official SDK's environment and
 * profile files.
 *
 * Why not the vendor's credentials library (`@alicloud/credentials` 2.4.7): it was evaluated and
 * is not used at run time, because
 * - it reads `process.env` and `os.homedir()` directly, so it cannot see Pulumi stack config or
 *   resource arguments, and cannot be given an isolated environment (tests, one provider per stack);
 * - it knows none of the `ALICLOUD_*` or `ALIBABACLOUD_*` names that pulumi-alicloud and Terraform
 *   users have set, only `ALIBABA_CLOUD_*`;
 * - its default chain ends in network calls: when nothing local is found it queries the ECS
 *   metadata service (100.100.100.200, with timeouts) and an optional credentials URI, and its
 *   CLI-profile provider may write `~/.aliyun/config.json` back (OAuth and External modes); a
 *   Pulumi preview on a laptop should neither wait on nor write those;
 * - its errors do not list the places looked, which is what a user with a missing key needs;
 * - it would be the package's third run-time dependency, bringing about 4.5 MB: `@alicloud/tea-typescript`
 *   (which even lists `@types/node@12` as a run-time dependency), `httpx`, `kitx` and `ini`, where
 *   this file is a few hundred lines.
 * What it does that matters here (env names, the CLI profile's AK and StsToken modes, the
 * `access_key` type of the INI file) is reproduced below, and the tests check this reader against
 * the library's own providers on the same files. Role assumption, OIDC and ECS RAM roles are not
 * supported; a profile in such a mode is reported in the error, not silently skipped.
 */
import fs from "fs";
import os from "os";
import path from "path";
import type { Found } from "../core/found";
import { firstOf, found, present } from "../core/found";

/** Everything an Alibaba Cloud client needs, resolved. */
export interface AlicloudSettings {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  region: string;
  /** Where each value came from, e.g. `{ accessKeyId: "environment ALICLOUD_ACCESS_KEY" }`; never a value. */
  sources: Record<string, string>;
  /** Endpoint overrides (full URL or bare host), e.g. the emulator's. */
  endpoints: { mse?: string };
}

/** The inputs of {@link resolveAlicloudSettings}; every part is optional so tests can isolate one place. */
export interface AlicloudSettingsInput {
  /** Resource or provider arguments; they win over every other place. */
  args?: {
    accessKey?: string;
    secretKey?: string;
    securityToken?: string;
    region?: string;
    /** Profile name in the profile files. */
    profile?: string;
    endpoints?: { mse?: string };
  };
  /** Stack config lookup by full key (`alicloud:region`), e.g. `k => new pulumi.Config().get(...)`. */
  config?: (key: string) => string | undefined;
  /** Environment; `process.env` when absent. */
  env?: Record<string, string | undefined>;
  /** Home directory holding `.aliyun/config.json` and `.alibabacloud/credentials`; `os.homedir()` when absent. */
  homeDir?: string;
}

const BRAND = Symbol.for("pulumi-migration-tasks.AlicloudMissingCredentialsError");

/**
 * A required setting is absent, or a place holds only half of a key pair. The message names the
 * setting and every place looked, in order; it never contains a credential value.
 */
export class MissingCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MissingCredentialsError";
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for this error from whichever copy of this module made it (see CloudError.isInstance). */
  static isInstance(e: unknown): e is MissingCredentialsError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** A place that may hold an access key pair and its STS token. */
interface CredentialPlace {
  describe: string;
  ak?: Found;
  sk?: Found;
  token?: Found;
}

function unquoteIni(raw: string): string {
  const val = raw.trim();
  const quoted = (val.startsWith('"') && val.endsWith('"')) || (val.startsWith("'") && val.endsWith("'"));
  if (quoted && val.length >= 2) {
    const inner = val.startsWith("'") ? val.slice(1, -1) : val;
    try {
      const parsed: unknown = JSON.parse(inner);
      return typeof parsed === "string" ? parsed : inner;
    } catch {
      return inner;
    }
  }
  // As the vendor's `ini` 1.x: an unescaped `;` or `#` starts a comment; `\;`, `\#`, `\\` are literal.
  let out = "";
  for (let i = 0; i < val.length; i++) {
    const c = val[i];
    if (c === "\\" && i + 1 < val.length) {
      const n = val[i + 1];
      out += "\\;#".includes(n) ? n : c + n;
      i++;
    } else if (c === ";" || c === "#") break;
    else out += c;
  }
  return out.trim();
}

/**
 * Reads the shared credentials file the way the vendor's library does (the `ini` 1.x package):
 * `[section]`, `key = value`, full-line `;`/`#` comments, quoted values, inline comments in
 * unquoted values. Keys keep their case.
 */
export function parseAlicloudIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const line of text.split(/[\r\n]+/)) {
    if (line === "" || /^\s*[;#]/.test(line)) continue;
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      const name = unquoteIni(header[1]);
      if (name === "__proto__") {
        section = {};
        continue;
      }
      section = Object.prototype.hasOwnProperty.call(out, name) ? out[name] : (out[name] = {});
      continue;
    }
    const m = /^([^=]+)(=(.*))?$/.exec(line);
    if (!m || !section) continue;
    const key = unquoteIni(m[1]);
    if (key === "__proto__") continue;
    section[key] = m[2] === undefined ? "true" : unquoteIni(m[3]);
  }
  return out;
}

/** The profile name the files are read with, and where it came from. */
interface ProfileChoice {
  name?: string;
  from?: string;
}

/** A credential place built from a profile file, with the profile's region when it has one. */
interface ProfilePlace extends CredentialPlace {
  region?: Found;
}

function readText(file: string): { text?: string; problem?: string } {
  try {
    return { text: fs.readFileSync(file, "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? "not found" : `unreadable: ${code ?? String(e)}` };
  }
}

/** `~/.aliyun/config.json`, the Alibaba Cloud CLI's file (modes AK and StsToken). */
function cliProfilePlace(
  env: Record<string, string | undefined>,
  homeDir: string,
  choice: ProfileChoice,
): ProfilePlace {
  const file = path.join(homeDir, ".aliyun", "config.json");
  const what = `CLI profile file ${file}`;
  if ((env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED ?? "").toLowerCase() === "true") {
    return { describe: `${what} (skipped: ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)` };
  }
  const { text, problem } = readText(file);
  if (text === undefined) return { describe: `${what} (${problem})` };
  let conf: unknown;
  try {
    conf = JSON.parse(text);
  } catch {
    return { describe: `${what} (not valid JSON)` };
  }
  const c = (typeof conf === "object" && conf !== null ? conf : {}) as {
    current?: unknown;
    profiles?: unknown;
  };
  const name = choice.name ?? present(c.current) ?? "default";
  const nameFrom = choice.name ? choice.from : present(c.current) ? "its current" : "default";
  const profiles = Array.isArray(c.profiles) ? (c.profiles as unknown[]) : [];
  const p = profiles.find(
    (x): x is Record<string, unknown> =>
      typeof x === "object" && x !== null && (x as { name?: unknown }).name === name,
  );
  const where = `${what} profile ${JSON.stringify(name)} (${nameFrom})`;
  if (!p) return { describe: `${where} (no such profile)` };
  const at = (key: string) => found(p[key], `${what} profile ${JSON.stringify(name)} ${key}`);
  const region = at("region_id");
  const mode = present(p.mode) ?? "AK";
  if (mode !== "AK" && mode !== "StsToken") {
    return { describe: `${where} (mode ${mode} is not supported; use AK or StsToken)`, region };
  }
  return {
    describe: `${where} access_key_id + access_key_secret${mode === "StsToken" ? " + sts_token" : ""}`,
    ak: at("access_key_id"),
    sk: at("access_key_secret"),
    token: mode === "StsToken" ? at("sts_token") : undefined,
    region,
  };
}

/** `~/.alibabacloud/credentials` or `ALIBABA_CLOUD_CREDENTIALS_FILE`, the SDKs' INI file (type access_key). */
function iniProfilePlace(
  env: Record<string, string | undefined>,
  homeDir: string,
  choice: ProfileChoice,
): ProfilePlace {
  const file =
    present(env.ALIBABA_CLOUD_CREDENTIALS_FILE) ?? path.join(homeDir, ".alibabacloud", "credentials");
  const name = choice.name ?? "default";
  const where = `credentials file ${file} [${name}]`;
  const { text, problem } = readText(file);
  if (text === undefined) return { describe: `${where} (${problem})` };
  const section = parseAlicloudIni(text)[name];
  if (!section) return { describe: `${where} (no such section)` };
  const type = present(section.type);
  if (type !== "access_key") {
    return { describe: `${where} (type ${type ?? "(missing)"} is not supported; use type = access_key)` };
  }
  const at = (key: string) => found(section[key], `${where} ${key}`);
  return {
    describe: `${where} type = access_key, access_key_id + access_key_secret`,
    ak: at("access_key_id"),
    sk: at("access_key_secret"),
  };
}

/**
 * Reads `alicloud:endpoints`: pulumi-alicloud stores its `endpoints` block as a list of objects,
 * so both `{"mse":"..."}` and `[{"mse":"..."}]` are taken.
 */
function configEndpoint(config: (key: string) => string | undefined): Found | undefined {
  const raw = present(config("alicloud:endpoints"));
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`stack config alicloud:endpoints is not valid JSON; expected e.g. {"mse":"https://..."}`);
  }
  const objects = Array.isArray(parsed) ? parsed : [parsed];
  for (const o of objects) {
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      throw new Error(`stack config alicloud:endpoints must be a JSON object such as {"mse":"https://..."}`);
    }
    const v = (o as Record<string, unknown>).mse;
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") throw new Error("stack config alicloud:endpoints.mse must be a string URL");
    const f = found(v, "stack config alicloud:endpoints.mse");
    if (f) return f;
  }
  return undefined;
}

/**
 * Resolves the access key pair, STS token, region and endpoint override. For each setting the
 * first place that has it wins: (1) `args`, (2) stack config `alicloud:*`, (3) environment
 * `ALICLOUD_*`, then `ALIBABA_CLOUD_*`, then `ALIBABACLOUD_*`, (4) the CLI profile file
 * `~/.aliyun/config.json`, (5) the SDKs' credentials file `~/.alibabacloud/credentials`. The
 * access key, secret and STS token are one setting: they are taken together from a single place,
 * never a key from one place and its secret from another. The profile of both files is
 * `args.profile`, `alicloud:profile`, `ALICLOUD_PROFILE` or `ALIBABA_CLOUD_PROFILE`, else the CLI
 * file's `current` (resp. `default`).
 *
 * @throws MissingCredentialsError when no key pair is found, when a place holds only half of one,
 *   or when no region is found.
 * @throws Error when `alicloud:endpoints` is not JSON of the documented shape.
 */
export function resolveAlicloudSettings(input: AlicloudSettingsInput = {}): AlicloudSettings {
  const args = input.args ?? {};
  const config = input.config ?? (() => undefined);
  const env = input.env ?? process.env;
  const homeDir = input.homeDir ?? os.homedir();
  const cfg = (key: string) => found(config(`alicloud:${key}`), `stack config alicloud:${key}`);
  const ev = (name: string) => found(env[name], `environment ${name}`);
  const arg = (key: "accessKey" | "secretKey" | "securityToken" | "region" | "profile") =>
    found(args[key], `resource argument ${key}`);

  const profileFound = firstOf(
    arg("profile"),
    cfg("profile"),
    ev("ALICLOUD_PROFILE"),
    ev("ALIBABA_CLOUD_PROFILE"),
  );
  const choice: ProfileChoice = { name: profileFound?.value, from: profileFound?.from };
  const cli = cliProfilePlace(env, homeDir, choice);
  const ini = iniProfilePlace(env, homeDir, choice);

  const envPlace = (ak: string, sk: string, token: string): CredentialPlace => ({
    describe: `environment ${ak} + ${sk} (+ ${token})`,
    ak: ev(ak),
    sk: ev(sk),
    token: ev(token),
  });
  const places: CredentialPlace[] = [
    {
      describe: "resource arguments accessKey + secretKey (+ securityToken)",
      ak: arg("accessKey"),
      sk: arg("secretKey"),
      token: arg("securityToken"),
    },
    {
      describe: "stack config alicloud:accessKey + alicloud:secretKey (+ alicloud:securityToken)",
      ak: cfg("accessKey"),
      sk: cfg("secretKey"),
      token: cfg("securityToken"),
    },
    envPlace("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
    envPlace(
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "ALIBABA_CLOUD_SECURITY_TOKEN",
    ),
    envPlace("ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_SECURITY_TOKEN"),
    cli,
    ini,
  ];
  const placesList = places.map((p, i) => `  ${i + 1}. ${p.describe}`).join("\n");

  const sources: Record<string, string> = {};
  let pair: { ak: Found; sk: Found; token?: Found } | undefined;
  for (const p of places) {
    if (!p.ak && !p.sk) continue;
    if (!p.ak || !p.sk) {
      const has = (p.ak ?? p.sk) as Found;
      const lacks = p.ak ? "access key secret" : "access key id";
      throw new MissingCredentialsError(
        `Alibaba Cloud ${lacks} missing: ${has.from} is set but its ${lacks} is not set in the same place ` +
          `(${p.describe}). The key pair must come from one place; places looked, in order:\n${placesList}`,
      );
    }
    pair = { ak: p.ak, sk: p.sk, token: p.token };
    break;
  }

  const region = firstOf(
    arg("region"),
    cfg("region"),
    ev("ALICLOUD_REGION"),
    ev("ALIBABA_CLOUD_REGION"),
    ev("ALIBABACLOUD_REGION"),
    cli.region,
  );
  const missing: string[] = [];
  if (!pair) {
    missing.push(
      `Alibaba Cloud credentials not found: set an access key pair in one of these places (first found wins):\n${placesList}`,
    );
  }
  if (!region) {
    missing.push(
      "Alibaba Cloud region not found; places looked, in order:\n" +
        "  1. resource argument region\n  2. stack config alicloud:region\n" +
        "  3. environment ALICLOUD_REGION\n  4. environment ALIBABA_CLOUD_REGION\n" +
        "  5. environment ALIBABACLOUD_REGION\n  6. region_id of the CLI profile in ~/.aliyun/config.json",
    );
  }
  if (!pair || !region) throw new MissingCredentialsError(missing.join("\n"));

  sources.accessKeyId = pair.ak.from;
  sources.accessKeySecret = pair.sk.from;
  if (pair.token) sources.securityToken = pair.token.from;
  sources.region = region.from;

  const endpoint = firstOf(
    found(args.endpoints?.mse, "resource argument endpoints.mse"),
    configEndpoint(config),
    ev("MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT"),
  );
  const endpoints: AlicloudSettings["endpoints"] = {};
  if (endpoint) {
    endpoints.mse = endpoint.value;
    sources["endpoints.mse"] = endpoint.from;
  }
  if (profileFound) sources.profile = profileFound.from;

  return {
    accessKeyId: pair.ak.value,
    accessKeySecret: pair.sk.value,
    securityToken: pair.token?.value,
    region: region.value,
    sources,
    endpoints,
  };
}
