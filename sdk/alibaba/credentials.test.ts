import fs from "fs";
import os from "os";
import path from "path";
import fc from "fast-check";
import CLIProfileCredentialsProvider from "@alicloud/credentials/dist/src/providers/cli_profile";
import EnvironmentVariableCredentialsProvider from "@alicloud/credentials/dist/src/providers/env";
import ProfileCredentialsProvider from "@alicloud/credentials/dist/src/providers/profile";
import type { AlicloudSettingsInput } from "./credentials";
import { MissingCredentialsError, parseAlicloudIni, resolveAlicloudSettings } from "./credentials";

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "alicloud-cred-"));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

function writeCli(conf: unknown, dir = home): void {
  fs.mkdirSync(path.join(dir, ".aliyun"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, ".aliyun", "config.json"),
    typeof conf === "string" ? conf : JSON.stringify(conf),
  );
}

function writeIni(text: string, dir = home): string {
  fs.mkdirSync(path.join(dir, ".alibabacloud"), { recursive: true });
  const file = path.join(dir, ".alibabacloud", "credentials");
  fs.writeFileSync(file, text);
  return file;
}

function resolve(input: AlicloudSettingsInput) {
  return resolveAlicloudSettings({ env: {}, homeDir: home, ...input });
}

/** Every place holding a distinct pair (and token), so that the winner is visible. */
function allPlaces(): AlicloudSettingsInput & { config: (k: string) => string | undefined } {
  writeCli({
    current: "default",
    profiles: [
      {
        name: "default",
        mode: "StsToken",
        access_key_id: "AK-cli",
        access_key_secret: "SK-cli",
        sts_token: "T-cli",
        region_id: "cn-cli",
      },
    ],
  });
  writeIni("[default]\ntype = access_key\naccess_key_id = AK-ini\naccess_key_secret = SK-ini\n");
  const config: Record<string, string> = {
    "alicloud:accessKey": "AK-config",
    "alicloud:secretKey": "SK-config",
    "alicloud:securityToken": "T-config",
    "alicloud:region": "cn-config",
  };
  return {
    args: { accessKey: "AK-args", secretKey: "SK-args", securityToken: "T-args", region: "cn-args" },
    config: (k) => config[k],
    env: {
      ALICLOUD_ACCESS_KEY: "AK-alicloud",
      ALICLOUD_SECRET_KEY: "SK-alicloud",
      ALICLOUD_SECURITY_TOKEN: "T-alicloud",
      ALICLOUD_REGION: "cn-alicloud",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "AK-alibaba",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK-alibaba",
      ALIBABA_CLOUD_SECURITY_TOKEN: "T-alibaba",
      ALIBABA_CLOUD_REGION: "cn-alibaba",
      ALIBABACLOUD_ACCESS_KEY_ID: "AK-alibabacloud",
      ALIBABACLOUD_ACCESS_KEY_SECRET: "SK-alibabacloud",
      ALIBABACLOUD_SECURITY_TOKEN: "T-alibabacloud",
      ALIBABACLOUD_REGION: "cn-alibabacloud",
    },
  };
}

describe("order: first place found wins, the pair and token as a unit", () => {
  test.each([
    ["args", "AK-args", "SK-args", "T-args", "resource argument accessKey"],
    ["config", "AK-config", "SK-config", "T-config", "stack config alicloud:accessKey"],
    ["ALICLOUD_*", "AK-alicloud", "SK-alicloud", "T-alicloud", "environment ALICLOUD_ACCESS_KEY"],
    ["ALIBABA_CLOUD_*", "AK-alibaba", "SK-alibaba", "T-alibaba", "environment ALIBABA_CLOUD_ACCESS_KEY_ID"],
    [
      "ALIBABACLOUD_*",
      "AK-alibabacloud",
      "SK-alibabacloud",
      "T-alibabacloud",
      "environment ALIBABACLOUD_ACCESS_KEY_ID",
    ],
    [
      "CLI profile",
      "AK-cli",
      "SK-cli",
      "T-cli",
      `CLI profile file ${"<home>"}/.aliyun/config.json profile "default" access_key_id`,
    ],
    [
      "INI file",
      "AK-ini",
      "SK-ini",
      undefined,
      `credentials file ${"<home>"}/.alibabacloud/credentials [default] access_key_id`,
    ],
  ])("%s", (place, ak, sk, token, akSource) => {
    const input = allPlaces();
    const env = { ...input.env };
    const order = [
      "args",
      "config",
      "ALICLOUD_*",
      "ALIBABA_CLOUD_*",
      "ALIBABACLOUD_*",
      "CLI profile",
      "INI file",
    ];
    const drop = order.slice(0, order.indexOf(place));
    const args = drop.includes("args") ? {} : input.args;
    const config = drop.includes("config") ? () => undefined : input.config;
    for (const prefix of ["ALICLOUD", "ALIBABA_CLOUD", "ALIBABACLOUD"]) {
      if (!drop.includes(`${prefix}_*`)) continue;
      for (const k of Object.keys(env))
        if (k.startsWith(`${prefix}_`) && !k.endsWith("_REGION")) delete env[k];
    }
    if (drop.includes("CLI profile")) fs.rmSync(path.join(home, ".aliyun"), { recursive: true });
    const s = resolve({ args, config, env });
    expect([s.accessKeyId, s.accessKeySecret, s.securityToken]).toEqual([ak, sk, token]);
    expect(s.sources.accessKeyId).toBe(akSource.replace("<home>", home));
    expect(s.sources.securityToken === undefined).toBe(token === undefined);
  });

  test("region: args, config, ALICLOUD_REGION, ALIBABA_CLOUD_REGION, ALIBABACLOUD_REGION, CLI profile region_id", () => {
    const input = allPlaces();
    const env: Record<string, string | undefined> = { ...input.env };
    const expected = [
      ["cn-args", "resource argument region"],
      ["cn-config", "stack config alicloud:region"],
      ["cn-alicloud", "environment ALICLOUD_REGION"],
      ["cn-alibaba", "environment ALIBABA_CLOUD_REGION"],
      ["cn-alibabacloud", "environment ALIBABACLOUD_REGION"],
      ["cn-cli", `CLI profile file ${home}/.aliyun/config.json profile "default" region_id`],
    ];
    let args: AlicloudSettingsInput["args"] = input.args;
    let config = input.config;
    for (const [i, [region, from]] of expected.entries()) {
      const s = resolve({ args, config, env });
      expect([s.region, s.sources.region]).toEqual([region, from]);
      if (i === 0) args = { accessKey: "AK-args", secretKey: "SK-args" };
      if (i === 1) config = () => undefined;
      if (i === 2) delete env.ALICLOUD_REGION;
      if (i === 3) delete env.ALIBABA_CLOUD_REGION;
      if (i === 4) delete env.ALIBABACLOUD_REGION;
    }
  });

  test("a token is never taken from another place than its pair", () => {
    const s = resolve({
      config: (k) =>
        ({ "alicloud:accessKey": "AK-config", "alicloud:secretKey": "SK-config", "alicloud:region": "r" })[k],
      env: { ALICLOUD_SECURITY_TOKEN: "T-env", ALIBABA_CLOUD_SECURITY_TOKEN: "T-env2" },
    });
    expect(s.securityToken).toBeUndefined();
    expect(s.sources.securityToken).toBeUndefined();
  });

  test("blank values are unset", () => {
    const s = resolve({
      args: { accessKey: " ", secretKey: "" },
      env: {
        ALICLOUD_ACCESS_KEY: "",
        ALICLOUD_SECRET_KEY: " ",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "AK",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK",
        ALICLOUD_REGION: "cn-x",
      },
    });
    expect([s.accessKeyId, s.sources.accessKeyId]).toEqual(["AK", "environment ALIBABA_CLOUD_ACCESS_KEY_ID"]);
  });
});

describe("pairing: half a pair is an error, never completed from elsewhere", () => {
  test.each([
    [
      "ALICLOUD_ACCESS_KEY without ALICLOUD_SECRET_KEY",
      { ALICLOUD_ACCESS_KEY: "AK1" },
      /access key secret missing: environment ALICLOUD_ACCESS_KEY is set/,
    ],
    [
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET without its id",
      { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "SK1" },
      /access key id missing: environment ALIBABA_CLOUD_ACCESS_KEY_SECRET is set/,
    ],
  ])("%s, with a full pair further down", (_what, half, message) => {
    const env = {
      ...half,
      ALIBABACLOUD_ACCESS_KEY_ID: "AK2",
      ALIBABACLOUD_ACCESS_KEY_SECRET: "SK2",
      ALICLOUD_REGION: "r",
    };
    expect(() => resolve({ env })).toThrow(MissingCredentialsError);
    expect(() => resolve({ env })).toThrow(message);
  });

  test("args with only an access key", () => {
    expect(() =>
      resolve({ args: { accessKey: "AK", region: "r" }, env: { ALICLOUD_SECRET_KEY: "SK" } }),
    ).toThrow(/resource argument accessKey is set but its access key secret is not set in the same place/);
  });

  test("a CLI profile with an id and no secret", () => {
    writeCli({ current: "p", profiles: [{ name: "p", mode: "AK", access_key_id: "AK" }] });
    writeIni("[default]\ntype=access_key\naccess_key_id=AK2\naccess_key_secret=SK2\n");
    expect(() => resolve({ env: { ALICLOUD_REGION: "r" } })).toThrow(
      /config.json profile "p" access_key_id is set/,
    );
  });
});

describe("CLI profile file ~/.aliyun/config.json", () => {
  const conf = {
    current: "dev",
    profiles: [
      {
        name: "dev",
        mode: "AK",
        access_key_id: "AK-dev",
        access_key_secret: "SK-dev",
        region_id: "cn-hangzhou",
      },
      {
        name: "ops",
        mode: "StsToken",
        access_key_id: "STS.AK-ops",
        access_key_secret: "SK-ops",
        sts_token: "T-ops",
        region_id: "cn-shanghai",
      },
      {
        name: "role",
        mode: "RamRoleArn",
        access_key_id: "AK-role",
        access_key_secret: "SK-role",
        ram_role_arn: "acs:ram::1:role/x",
      },
    ],
  };

  test("the current profile, mode AK, with its region", () => {
    writeCli(conf);
    const s = resolve({});
    expect([s.accessKeyId, s.accessKeySecret, s.securityToken, s.region]).toEqual([
      "AK-dev",
      "SK-dev",
      undefined,
      "cn-hangzhou",
    ]);
  });

  test.each([
    ["ALIBABA_CLOUD_PROFILE", { env: { ALIBABA_CLOUD_PROFILE: "ops" } }],
    [
      "ALICLOUD_PROFILE over ALIBABA_CLOUD_PROFILE",
      { env: { ALICLOUD_PROFILE: "ops", ALIBABA_CLOUD_PROFILE: "dev" } },
    ],
    [
      "stack config alicloud:profile",
      { config: (k: string) => (k === "alicloud:profile" ? "ops" : undefined) },
    ],
    ["args.profile", { args: { profile: "ops" }, env: { ALICLOUD_PROFILE: "dev" } }],
  ])("profile chosen by %s; mode StsToken brings its token", (_by, input) => {
    writeCli(conf);
    const s = resolve(input);
    expect([s.accessKeyId, s.accessKeySecret, s.securityToken, s.region]).toEqual([
      "STS.AK-ops",
      "SK-ops",
      "T-ops",
      "cn-shanghai",
    ]);
    expect(s.sources.securityToken).toContain('profile "ops" sts_token');
  });

  test("an unsupported mode is named in the error, and the INI file is still tried", () => {
    writeCli({ ...conf, current: "role" });
    expect(() => resolve({ env: { ALICLOUD_REGION: "r" } })).toThrow(
      /profile "role" \(its current\) \(mode RamRoleArn is not supported; use AK or StsToken\)/,
    );
    writeIni("[default]\ntype = access_key\naccess_key_id = AK-ini\naccess_key_secret = SK-ini\n");
    expect(resolve({ env: { ALICLOUD_REGION: "r" } }).accessKeyId).toBe("AK-ini");
  });

  test.each([
    [
      "a missing profile",
      () => writeCli(conf),
      { ALIBABA_CLOUD_PROFILE: "nope" },
      /profile "nope" \(environment ALIBABA_CLOUD_PROFILE\) \(no such profile\)/,
    ],
    ["invalid JSON", () => writeCli("{not json"), {}, /config.json \(not valid JSON\)/],
    ["no file", () => undefined, {}, /config.json \(not found\)/],
    [
      "ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true",
      () => writeCli(conf),
      { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true" },
      /skipped: ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true/,
    ],
  ])("%s is reported", (_what, setup, env, message) => {
    setup();
    expect(() => resolve({ env: { ALICLOUD_REGION: "r", ...env } })).toThrow(message);
  });
});

describe("credentials file ~/.alibabacloud/credentials (INI)", () => {
  test("[default], type = access_key", () => {
    writeIni("# comment\n[default]\ntype = access_key\naccess_key_id = AK-ini\naccess_key_secret = SK-ini\n");
    const s = resolve({ env: { ALICLOUD_REGION: "r" } });
    expect([s.accessKeyId, s.accessKeySecret, s.securityToken]).toEqual(["AK-ini", "SK-ini", undefined]);
  });

  test("the profile's section; ALIBABA_CLOUD_CREDENTIALS_FILE elsewhere", () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "alicloud-ini-"));
    try {
      const file = writeIni(
        "[default]\ntype=access_key\naccess_key_id=AK-d\naccess_key_secret=SK-d\n[prod]\ntype=access_key\naccess_key_id=AK-p\naccess_key_secret=SK-p\n",
        other,
      );
      const s = resolve({
        env: { ALICLOUD_REGION: "r", ALIBABA_CLOUD_CREDENTIALS_FILE: file, ALIBABA_CLOUD_PROFILE: "prod" },
      });
      expect([s.accessKeyId, s.sources.accessKeySecret]).toEqual([
        "AK-p",
        `credentials file ${file} [prod] access_key_secret`,
      ]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test("another type is named in the error", () => {
    writeIni("[default]\ntype = ecs_ram_role\nrole_name = r\n");
    expect(() => resolve({ env: { ALICLOUD_REGION: "r" } })).toThrow(
      /\[default\] \(type ecs_ram_role is not supported; use type = access_key\)/,
    );
  });

  test("parseAlicloudIni reads quotes, inline comments and escapes like the ini package", () => {
    expect(
      parseAlicloudIni(
        "[a]\nk1 = \"x;y\"\nk2 = 'q#r'\nk3 = v ; comment\nk4 = a\\;b\n ; c\nflag\n[__proto__]\nx=1",
      ),
    ).toEqual({
      a: { k1: "x;y", k2: "q#r", k3: "v", k4: "a;b", flag: "true" },
    });
  });
});

describe("endpoint override", () => {
  const base = { args: { accessKey: "AK", secretKey: "SK", region: "cn-hangzhou" } };
  test.each([
    [
      "args",
      { args: { ...base.args, endpoints: { mse: "http://127.0.0.1:1" } } },
      "http://127.0.0.1:1",
      "resource argument endpoints.mse",
    ],
    [
      "config object",
      { config: (k: string) => (k === "alicloud:endpoints" ? '{"mse":"http://127.0.0.1:2"}' : undefined) },
      "http://127.0.0.1:2",
      "stack config alicloud:endpoints.mse",
    ],
    [
      "config list (pulumi-alicloud's shape)",
      {
        config: (k: string) =>
          k === "alicloud:endpoints" ? '[{"ecs":"x"},{"mse":"http://127.0.0.1:3"}]' : undefined,
      },
      "http://127.0.0.1:3",
      "stack config alicloud:endpoints.mse",
    ],
    ["env", {}, "http://127.0.0.1:4", "environment MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT"],
  ])("%s", (_what, input, url, from) => {
    const s = resolve({
      ...base,
      env: { MIGRATION_TASKS_ALICLOUD_MSE_ENDPOINT: "http://127.0.0.1:4" },
      ...input,
    });
    expect([s.endpoints.mse, s.sources["endpoints.mse"]]).toEqual([url, from]);
  });

  test("no override", () => {
    expect(resolve(base).endpoints).toEqual({});
  });

  test("bad alicloud:endpoints JSON is an error naming the key", () => {
    expect(() => resolve({ ...base, config: () => "{mse:" })).toThrow(/alicloud:endpoints is not valid JSON/);
    expect(() =>
      resolve({ ...base, config: (k) => (k === "alicloud:endpoints" ? '{"mse":1}' : undefined) }),
    ).toThrow(/must be a string URL/);
  });
});

describe("MissingCredentialsError", () => {
  test("names every place looked, in order, and no secret", () => {
    writeCli({
      current: "x",
      profiles: [{ name: "x", mode: "EcsRamRole", access_key_secret: "s3cr3t-in-file" }],
    });
    let err: unknown;
    try {
      resolve({
        env: { ALICLOUD_SECURITY_TOKEN: "s3cr3t-token" },
        config: (k) => (k === "alicloud:securityToken" ? "s3cr3t-token-2" : undefined),
      });
    } catch (e) {
      err = e;
    }
    expect(MissingCredentialsError.isInstance(err)).toBe(true);
    const msg = (err as Error).message;
    const places = [
      "resource arguments accessKey + secretKey",
      "stack config alicloud:accessKey + alicloud:secretKey",
      "environment ALICLOUD_ACCESS_KEY + ALICLOUD_SECRET_KEY (+ ALICLOUD_SECURITY_TOKEN)",
      "environment ALIBABA_CLOUD_ACCESS_KEY_ID + ALIBABA_CLOUD_ACCESS_KEY_SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN)",
      "environment ALIBABACLOUD_ACCESS_KEY_ID + ALIBABACLOUD_ACCESS_KEY_SECRET (+ ALIBABACLOUD_SECURITY_TOKEN)",
      `CLI profile file ${home}/.aliyun/config.json profile "x" (its current) (mode EcsRamRole is not supported`,
      `credentials file ${home}/.alibabacloud/credentials [default] (not found)`,
      "Alibaba Cloud region not found",
      "environment ALIBABACLOUD_REGION",
    ];
    let at = -1;
    for (const p of places) {
      const i = msg.indexOf(p);
      expect([p, i > at]).toEqual([p, true]);
      at = i;
    }
    expect(msg).not.toMatch(/s3cr3t/);
  });

  test("region alone missing", () => {
    expect(() => resolve({ args: { accessKey: "AK", secretKey: "SK" } })).toThrow(
      /^Alibaba Cloud region not found/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The vendor's own providers (@alicloud/credentials 2.4.7) read the same files the same way.
// ---------------------------------------------------------------------------------------------

/** The vendor providers read process.env; set it for one call only. */
async function withProcessEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

/** Access-key-like text: what real ids, secrets and tokens are made of. */
const keyText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9./+=-]{0,23}$/);
/**
 * For the INI file, text that starts with a letter and is not true/false/null: the `ini` package
 * the vendor uses turns `'0'` into the number 0 and `true` into a boolean, which it then rejects
 * as an empty key (this reader keeps them as text). Real key ids start with `LTAI` or `STS.`.
 */
const iniKeyText = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9./+=-]{0,23}$/)
  .filter((s) => !["true", "false", "null"].includes(s));
const profileName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);

describe("agreement with @alicloud/credentials 2.4.7", () => {
  test("the INI file: same pair from the same section, with quoting, spacing and comments", async () => {
    const style = fc.record({
      eq: fc.constantFrom("=", " = ", "= ", " =  "),
      quote: fc.constantFrom("", '"', "'"),
      comment: fc.constantFrom("", " ; note", " # note"),
      crlf: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        profileName,
        iniKeyText,
        iniKeyText,
        style,
        fc.boolean(),
        async (name, ak, sk, st, chosen) => {
          const line = (k: string, v: string) =>
            `${k}${st.eq}${st.quote}${v}${st.quote}${st.quote ? "" : st.comment}`;
          const section = chosen ? name : "default";
          const text = [
            "; leading comment",
            "[other]",
            "type = access_key",
            "access_key_id = WRONG",
            "access_key_secret = WRONG",
            `[${section}]`,
            line("type", "access_key"),
            line("access_key_id", ak),
            line("access_key_secret", sk),
          ].join(st.crlf ? "\r\n" : "\n");
          const file = writeIni(text);
          const env = {
            ALIBABA_CLOUD_CREDENTIALS_FILE: file,
            ALIBABA_CLOUD_PROFILE: chosen ? name : undefined,
          };
          const vendor = await withProcessEnv(env, () =>
            ProfileCredentialsProvider.builder().build().getCredentials(),
          );
          const ours = resolve({ env: { ...env, ALICLOUD_REGION: "r" } });
          expect([ours.accessKeyId, ours.accessKeySecret]).toEqual([
            vendor.accessKeyId,
            vendor.accessKeySecret,
          ]);
          expect([ours.accessKeyId, ours.accessKeySecret]).toEqual([ak, sk]);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("the CLI profile file: same pair and token for the chosen or current profile, modes AK and StsToken", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(profileName, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(keyText, keyText, keyText, fc.constantFrom("AK", "StsToken")), {
          minLength: 4,
          maxLength: 4,
        }),
        fc.nat(),
        fc.boolean(),
        async (names, keys, pick, byEnv) => {
          const profiles = names.map((n, i) => ({
            name: n,
            mode: keys[i][3],
            access_key_id: keys[i][0],
            access_key_secret: keys[i][1],
            sts_token: keys[i][2],
            region_id: "cn-hangzhou",
          }));
          const target = names[pick % names.length];
          writeCli({ current: byEnv ? names[0] : target, profiles });
          const env = { ALIBABA_CLOUD_PROFILE: byEnv ? target : undefined };
          const vendor = await withProcessEnv(env, async () => {
            const p = CLIProfileCredentialsProvider.builder().build();
            // The provider keeps the home directory in a field "used for mock" (its own comment).
            (p as unknown as { homedir: string }).homedir = home;
            return p.getCredentials();
          });
          const ours = resolve({ env });
          expect([ours.accessKeyId, ours.accessKeySecret, ours.securityToken]).toEqual([
            vendor.accessKeyId,
            vendor.accessKeySecret,
            vendor.securityToken,
          ]);
        },
      ),
      { numRuns: 100 },
    );
  });

  test("the ALIBABA_CLOUD_* environment: same pair and token", async () => {
    await fc.assert(
      fc.asyncProperty(keyText, keyText, fc.option(keyText, { nil: undefined }), async (ak, sk, token) => {
        const env = {
          ALIBABA_CLOUD_ACCESS_KEY_ID: ak,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: sk,
          ALIBABA_CLOUD_SECURITY_TOKEN: token,
        };
        const vendor = await withProcessEnv(env, () =>
          EnvironmentVariableCredentialsProvider.builder().build().getCredentials(),
        );
        const ours = resolve({ env: { ...env, ALIBABA_CLOUD_REGION: "r" } });
        expect([ours.accessKeyId, ours.accessKeySecret, ours.securityToken]).toEqual([
          vendor.accessKeyId,
          vendor.accessKeySecret,
          vendor.securityToken,
        ]);
      }),
      { numRuns: 50 },
    );
  });
});
