import fs from "fs";
import os from "os";
import path from "path";
import type { HuaweiSettingsInput } from "./credentials";
import { MissingCredentialsError, parseIni, resolveHuaweiSettings } from "./credentials";

let tmp: string;
/** A home directory with no profile file, so the developer's real ~/.huaweicloud is never read. */
let emptyHome: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hw-credentials-"));
  emptyHome = path.join(tmp, "empty-home");
  fs.mkdirSync(emptyHome);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
function profileFile(text: string): string {
  const file = path.join(tmp, `credentials-${n++}`);
  fs.writeFileSync(file, text);
  return file;
}

function configOf(values: Record<string, string>): (key: string) => string | undefined {
  return (key) => values[key];
}

function resolve(input: HuaweiSettingsInput) {
  return resolveHuaweiSettings({ env: {}, homeDir: emptyHome, ...input });
}

function errorOf(input: HuaweiSettingsInput): MissingCredentialsError {
  try {
    resolve(input);
  } catch (e) {
    if (e instanceof MissingCredentialsError) return e;
    throw e;
  }
  throw new Error("expected MissingCredentialsError");
}

type Setter = (input: HuaweiSettingsInput, env: Record<string, string>, cfg: Record<string, string>) => void;

/** Every place that can hold a key pair, highest priority first, each with distinct values. */
const PAIR_PLACES: { name: string; set: Setter; ak: string; akFrom: RegExp; skFrom: RegExp }[] = [
  {
    name: "args",
    set: (i) => (i.args = { ...i.args, accessKey: "ak-args", secretKey: "sk-args" }),
    ak: "ak-args",
    akFrom: /^resource argument accessKey$/,
    skFrom: /^resource argument secretKey$/,
  },
  {
    name: "stack config",
    set: (_i, _e, c) =>
      Object.assign(c, { "huaweicloud:accessKey": "ak-cfg", "huaweicloud:secretKey": "sk-cfg" }),
    ak: "ak-cfg",
    akFrom: /^stack config huaweicloud:accessKey$/,
    skFrom: /^stack config huaweicloud:secretKey$/,
  },
  {
    name: "HW_ environment",
    set: (_i, e) => Object.assign(e, { HW_ACCESS_KEY: "ak-hw", HW_SECRET_KEY: "sk-hw" }),
    ak: "ak-hw",
    akFrom: /^environment HW_ACCESS_KEY$/,
    skFrom: /^environment HW_SECRET_KEY$/,
  },
  {
    name: "OS_ environment",
    set: (_i, e) => Object.assign(e, { OS_ACCESS_KEY: "ak-os", OS_SECRET_KEY: "sk-os" }),
    ak: "ak-os",
    akFrom: /^environment OS_ACCESS_KEY$/,
    skFrom: /^environment OS_SECRET_KEY$/,
  },
  {
    name: "HUAWEICLOUD_SDK_ environment",
    set: (_i, e) => Object.assign(e, { HUAWEICLOUD_SDK_AK: "ak-sdk", HUAWEICLOUD_SDK_SK: "sk-sdk" }),
    ak: "ak-sdk",
    akFrom: /^environment HUAWEICLOUD_SDK_AK$/,
    skFrom: /^environment HUAWEICLOUD_SDK_SK$/,
  },
  {
    name: "profile file",
    set: (_i, e) =>
      (e.HUAWEICLOUD_SDK_CREDENTIALS_FILE = profileFile("[basic]\nak = ak-profile\nsk = sk-profile\n")),
    ak: "ak-profile",
    akFrom: /^profile file .*credentials-\d+ \[basic\] ak$/,
    skFrom: /^profile file .*credentials-\d+ \[basic\] sk$/,
  },
];

describe("resolveHuaweiSettings: the key pair", () => {
  test.each(PAIR_PLACES.map((p, i) => [p.name, i] as const))(
    "%s wins over every place below it",
    (_name, i) => {
      const input: HuaweiSettingsInput = {};
      const env: Record<string, string> = { HW_REGION_NAME: "cn-north-4" };
      const cfg: Record<string, string> = {};
      for (const p of PAIR_PLACES.slice(i)) p.set(input, env, cfg);
      const s = resolve({ ...input, env, config: configOf(cfg) });
      const want = PAIR_PLACES[i];
      expect(s.accessKey).toBe(want.ak);
      expect(s.secretKey).toBe(want.ak.replace("ak-", "sk-"));
      expect(s.sources.accessKey).toMatch(want.akFrom);
      expect(s.sources.secretKey).toMatch(want.skFrom);
      expect(s.authToken).toBeUndefined();
    },
  );

  test("never pairs an access key from one place with a secret key from another", () => {
    const e = errorOf({
      config: configOf({ "huaweicloud:accessKey": "AK-FROM-CONFIG", "huaweicloud:region": "cn-north-4" }),
      env: { HW_ACCESS_KEY: "AK-ENV", HW_SECRET_KEY: "SECRET-FROM-ENV" },
    });
    expect(e.message).toMatch(/^Huawei Cloud secret key missing: stack config huaweicloud:accessKey is set/);
    expect(e.message).not.toContain("SECRET-FROM-ENV");
    expect(e.message).not.toContain("AK-FROM-CONFIG");
  });

  test("half a pair in the environment names the variable that is missing", () => {
    const e = errorOf({ env: { HW_REGION_NAME: "cn-north-4", HW_SECRET_KEY: "TOP-SECRET" } });
    expect(e.message).toMatch(/^Huawei Cloud access key missing: environment HW_SECRET_KEY is set/);
    expect(e.message).toContain("environment HW_ACCESS_KEY + HW_SECRET_KEY");
    expect(e.message).not.toContain("TOP-SECRET");
  });

  test("does not mix HW_ and OS_ variables either", () => {
    const e = errorOf({ env: { HW_REGION_NAME: "cn-north-4", HW_ACCESS_KEY: "a", OS_SECRET_KEY: "HIDDEN" } });
    expect(e).toBeInstanceOf(MissingCredentialsError);
    expect(e.message).not.toContain("HIDDEN");
  });

  test("blank values are unset, and values are trimmed", () => {
    const s = resolve({
      args: { accessKey: " ", secretKey: "" },
      env: { HW_REGION_NAME: " cn-north-4\n", HW_ACCESS_KEY: "ak\n", HW_SECRET_KEY: " sk " },
    });
    expect([s.accessKey, s.secretKey, s.region]).toEqual(["ak", "sk", "cn-north-4"]);
  });
});

describe("resolveHuaweiSettings: the security token goes with its pair", () => {
  test.each<[string, HuaweiSettingsInput, string | undefined, string | undefined]>([
    [
      "args pair with args token",
      {
        args: { accessKey: "a", secretKey: "s", securityToken: "t-args", region: "r-1" },
        env: { HW_SECURITY_TOKEN: "t-env" },
      },
      "t-args",
      "resource argument securityToken",
    ],
    [
      "args pair ignores an environment token",
      { args: { accessKey: "a", secretKey: "s", region: "r-1" }, env: { HW_SECURITY_TOKEN: "t-env" } },
      undefined,
      undefined,
    ],
    [
      "config pair with config token",
      {
        config: configOf({
          "huaweicloud:accessKey": "a",
          "huaweicloud:secretKey": "s",
          "huaweicloud:securityToken": "t-cfg",
          "huaweicloud:region": "r-1",
        }),
      },
      "t-cfg",
      "stack config huaweicloud:securityToken",
    ],
    [
      "HW_ pair with HW_SECURITY_TOKEN",
      {
        env: {
          HW_ACCESS_KEY: "a",
          HW_SECRET_KEY: "s",
          HW_SECURITY_TOKEN: "t-hw",
          HUAWEICLOUD_SDK_SECURITY_TOKEN: "x",
          HW_REGION_NAME: "r-1",
        },
      },
      "t-hw",
      "environment HW_SECURITY_TOKEN",
    ],
    [
      "OS_ pair with HW_SECURITY_TOKEN (there is no OS_ token variable)",
      { env: { OS_ACCESS_KEY: "a", OS_SECRET_KEY: "s", HW_SECURITY_TOKEN: "t-hw", HW_REGION_NAME: "r-1" } },
      "t-hw",
      "environment HW_SECURITY_TOKEN",
    ],
    [
      "SDK pair with the SDK token only",
      {
        env: {
          HUAWEICLOUD_SDK_AK: "a",
          HUAWEICLOUD_SDK_SK: "s",
          HUAWEICLOUD_SDK_SECURITY_TOKEN: "t-sdk",
          HW_SECURITY_TOKEN: "t-hw",
          HW_REGION_NAME: "r-1",
        },
      },
      "t-sdk",
      "environment HUAWEICLOUD_SDK_SECURITY_TOKEN",
    ],
    [
      "SDK pair ignores HW_SECURITY_TOKEN",
      {
        env: {
          HUAWEICLOUD_SDK_AK: "a",
          HUAWEICLOUD_SDK_SK: "s",
          HW_SECURITY_TOKEN: "t-hw",
          HW_REGION_NAME: "r-1",
        },
      },
      undefined,
      undefined,
    ],
  ])("%s", (_name, input, token, from) => {
    const s = resolve(input);
    expect(s.securityToken).toBe(token);
    expect(s.sources.securityToken).toBe(from);
  });
});

describe("resolveHuaweiSettings: IAM token", () => {
  test.each<[string, HuaweiSettingsInput, string, string]>([
    ["args", { args: { authToken: "tok-args" } }, "tok-args", "resource argument authToken"],
    [
      "config huaweicloud:token",
      { config: configOf({ "huaweicloud:token": "tok-cfg" }) },
      "tok-cfg",
      "stack config huaweicloud:token",
    ],
    [
      "HW_AUTH_TOKEN",
      { env: { HW_AUTH_TOKEN: "tok-hw", OS_AUTH_TOKEN: "tok-os" } },
      "tok-hw",
      "environment HW_AUTH_TOKEN",
    ],
    ["OS_AUTH_TOKEN", { env: { OS_AUTH_TOKEN: "tok-os" } }, "tok-os", "environment OS_AUTH_TOKEN"],
  ])("from %s", (_name, input, token, from) => {
    const s = resolve({ ...input, env: { HW_REGION_NAME: "cn-north-4", ...input.env } });
    expect(s.authToken).toBe(token);
    expect(s.sources.authToken).toBe(from);
    expect(s.accessKey).toBeUndefined();
  });

  test("a key pair beats a token in the same place; a token beats a pair lower down", () => {
    const same = resolve({ args: { accessKey: "a", secretKey: "s", authToken: "t", region: "r-1" } });
    expect([same.accessKey, same.authToken]).toEqual(["a", undefined]);
    const higher = resolve({
      args: { authToken: "t", region: "r-1" },
      env: { HW_ACCESS_KEY: "a", HW_SECRET_KEY: "s" },
    });
    expect([higher.accessKey, higher.authToken]).toEqual([undefined, "t"]);
  });

  test("TF-style environment tokens come before the official SDK's key pair", () => {
    const s = resolve({
      env: { HW_REGION_NAME: "r-1", OS_AUTH_TOKEN: "t", HUAWEICLOUD_SDK_AK: "a", HUAWEICLOUD_SDK_SK: "s" },
    });
    expect(s.authToken).toBe("t");
    expect(s.accessKey).toBeUndefined();
  });
});

describe("resolveHuaweiSettings: region, project and domain", () => {
  const pair = { HW_ACCESS_KEY: "a", HW_SECRET_KEY: "s" };

  test("region: args, config, HW_REGION_NAME, OS_REGION_NAME in that order", () => {
    const env = { ...pair, HW_REGION_NAME: "r-hw", OS_REGION_NAME: "r-os" };
    const cfg = configOf({ "huaweicloud:region": "r-cfg" });
    expect(resolve({ args: { region: "r-args" }, config: cfg, env }).region).toBe("r-args");
    expect(resolve({ config: cfg, env }).sources.region).toBe("stack config huaweicloud:region");
    expect(resolve({ env }).region).toBe("r-hw");
    expect(resolve({ env: { ...pair, OS_REGION_NAME: "r-os" } }).sources.region).toBe(
      "environment OS_REGION_NAME",
    );
  });

  test("projectId: args, config, HW_PROJECT_ID, OS_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID, profile", () => {
    const file = profileFile("[basic]\nproject_id = p-profile\n");
    const full = {
      ...pair,
      HW_REGION_NAME: "r-1",
      HW_PROJECT_ID: "p-hw",
      OS_PROJECT_ID: "p-os",
      HUAWEICLOUD_SDK_PROJECT_ID: "p-sdk",
      HUAWEICLOUD_SDK_CREDENTIALS_FILE: file,
    };
    const cfg = configOf({ "huaweicloud:projectId": "p-cfg" });
    const seen: (string | undefined)[] = [];
    seen.push(resolve({ args: { projectId: "p-args" }, config: cfg, env: full }).projectId);
    seen.push(resolve({ config: cfg, env: full }).projectId);
    const env: Record<string, string> = { ...full };
    for (const k of [
      "HW_PROJECT_ID",
      "OS_PROJECT_ID",
      "HUAWEICLOUD_SDK_PROJECT_ID",
      "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
    ]) {
      seen.push(resolve({ env }).projectId);
      delete env[k];
    }
    seen.push(resolve({ env }).projectId);
    expect(seen).toEqual(["p-args", "p-cfg", "p-hw", "p-os", "p-sdk", "p-profile", undefined]);
  });

  test("domainId: args, config, HW_DOMAIN_ID, HUAWEICLOUD_SDK_DOMAIN_ID, profile [global]", () => {
    const file = profileFile("[global]\ndomain_id = d-profile\n");
    const full = {
      ...pair,
      HW_REGION_NAME: "r-1",
      HW_DOMAIN_ID: "d-hw",
      HUAWEICLOUD_SDK_DOMAIN_ID: "d-sdk",
      HUAWEICLOUD_SDK_CREDENTIALS_FILE: file,
    };
    const cfg = configOf({ "huaweicloud:domainId": "d-cfg" });
    expect(resolve({ args: { domainId: "d-args" }, config: cfg, env: full }).domainId).toBe("d-args");
    expect(resolve({ config: cfg, env: full }).domainId).toBe("d-cfg");
    expect(resolve({ env: full }).domainId).toBe("d-hw");
    const { HW_DOMAIN_ID: _hw, ...noHw } = full;
    expect(resolve({ env: noHw }).domainId).toBe("d-sdk");
    const { HUAWEICLOUD_SDK_DOMAIN_ID: _sdk, ...profileOnly } = noHw;
    const s = resolve({ env: profileOnly });
    expect(s.domainId).toBe("d-profile");
    expect(s.sources.domainId).toBe(`profile file ${file} [global] domain_id`);
  });

  test("project and domain are per setting: they may come from another place than the key pair", () => {
    const s = resolve({
      args: { projectId: "p" },
      env: { ...pair, HW_REGION_NAME: "r-1", HW_DOMAIN_ID: "d" },
    });
    expect(s.sources).toEqual({
      accessKey: "environment HW_ACCESS_KEY",
      secretKey: "environment HW_SECRET_KEY",
      region: "environment HW_REGION_NAME",
      projectId: "resource argument projectId",
      domainId: "environment HW_DOMAIN_ID",
    });
  });
});

describe("resolveHuaweiSettings: the official profile file", () => {
  test("HUAWEICLOUD_SDK_CREDENTIALS_FILE, [basic] section, comments, CRLF and spacing", () => {
    const file = profileFile(
      "# Huawei Cloud SDK profile\r\n[basic]\r\nak = AK1\r\nSK=sk#with;chars\r\n; a comment\r\nproject_id: p1\r\nsecurity_token = tok1\r\n\r\n[global]\r\nak = AK2\r\nsk = SK2\r\ndomain_id = d1\r\n",
    );
    const s = resolve({ env: { HW_REGION_NAME: "cn-north-4", HUAWEICLOUD_SDK_CREDENTIALS_FILE: file } });
    expect(s).toMatchObject({
      accessKey: "AK1",
      secretKey: "sk#with;chars",
      securityToken: "tok1",
      projectId: "p1",
      domainId: "d1",
    });
    expect(s.sources.accessKey).toBe(`profile file ${file} [basic] ak`);
    expect(s.sources.securityToken).toBe(`profile file ${file} [basic] security_token`);
  });

  test("[global] is used when [basic] has no pair, with its own token", () => {
    const file = profileFile("[basic]\nproject_id = p1\n[global]\nak = AK2\nsk = SK2\nsecurity_token = t2\n");
    const s = resolve({ env: { HW_REGION_NAME: "r-1", HUAWEICLOUD_SDK_CREDENTIALS_FILE: file } });
    expect([s.accessKey, s.secretKey, s.securityToken, s.projectId]).toEqual(["AK2", "SK2", "t2", "p1"]);
    expect(s.sources.secretKey).toBe(`profile file ${file} [global] sk`);
  });

  test("the default location is <home>/.huaweicloud/credentials", () => {
    const home = path.join(tmp, "home-with-profile");
    fs.mkdirSync(path.join(home, ".huaweicloud"), { recursive: true });
    fs.writeFileSync(path.join(home, ".huaweicloud", "credentials"), "[basic]\nak=AKH\nsk=SKH\n");
    const s = resolveHuaweiSettings({ env: { HW_REGION_NAME: "r-1" }, homeDir: home });
    expect([s.accessKey, s.secretKey]).toEqual(["AKH", "SKH"]);
    expect(s.sources.accessKey).toBe(
      `profile file ${path.join(home, ".huaweicloud", "credentials")} [basic] ak`,
    );
  });

  test("a missing explicit file is reported, not thrown", () => {
    const file = path.join(tmp, "does-not-exist");
    const e = errorOf({ env: { HW_REGION_NAME: "r-1", HUAWEICLOUD_SDK_CREDENTIALS_FILE: file } });
    expect(e.message).toContain(`profile file ${file} (not found) [basic] ak + sk`);
  });

  test("parseIni keeps a [__proto__] section or key off Object.prototype", () => {
    const parsed = parseIni("[__proto__]\nak = x\n[basic]\n__proto__ = y\nsk = z\n");
    expect(parsed).toEqual({ basic: { sk: "z" } });
    expect(({} as Record<string, unknown>).ak).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.basic)).toBe(Object.prototype);
  });

  test("parseIni", () => {
    expect(parseIni("top=ignored\n[a]\nK = v = w\n[ b ]\nx:1\n[a]\ny=2\nnot a pair\n")).toEqual({
      a: { k: "v = w", y: "2" },
      b: { x: "1" },
    });
  });
});

describe("resolveHuaweiSettings: endpoint overrides", () => {
  const base = { HW_ACCESS_KEY: "a", HW_SECRET_KEY: "s", HW_REGION_NAME: "cn-north-4" };

  test("args, config JSON, package variables, official per-region variables, official IAM variable", () => {
    const env = {
      ...base,
      MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT: "http://sms-pkg",
      HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4: "http://sms-sdk",
      MIGRATION_TASKS_HUAWEICLOUD_DCS_ENDPOINT: "http://dcs-pkg",
      HUAWEICLOUD_SDK_REGION_DCS_CN_NORTH_4: "http://dcs-sdk",
      HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4: "http://iam-sdk-region",
      HUAWEICLOUD_SDK_IAM_ENDPOINT: "http://iam-sdk",
    };
    const cfg = configOf({
      "huaweicloud:endpoints": JSON.stringify({ dcs: "http://dcs-cfg", sms: "http://sms-cfg" }),
    });
    const all = resolve({ args: { endpoints: { sms: "http://sms-args" } }, config: cfg, env });
    expect(all.endpoints).toEqual({
      sms: "http://sms-args",
      dcs: "http://dcs-cfg",
      iam: "http://iam-sdk-region",
    });
    expect(all.sources["endpoints.sms"]).toBe("resource argument endpoints.sms");
    expect(all.sources["endpoints.dcs"]).toBe("stack config huaweicloud:endpoints.dcs");

    const envOnly = resolve({ env });
    expect(envOnly.endpoints).toEqual({
      sms: "http://sms-pkg",
      dcs: "http://dcs-pkg",
      iam: "http://iam-sdk-region",
    });
    expect(envOnly.sources["endpoints.sms"]).toBe("environment MIGRATION_TASKS_HUAWEICLOUD_SMS_ENDPOINT");

    const sdkOnly = resolve({
      env: {
        ...base,
        HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4: "http://sms-sdk",
        HUAWEICLOUD_SDK_IAM_ENDPOINT: "http://iam-sdk",
      },
    });
    expect(sdkOnly.endpoints).toEqual({ sms: "http://sms-sdk", iam: "http://iam-sdk" });
    expect(sdkOnly.sources["endpoints.sms"]).toBe("environment HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4");
  });

  test("the per-region variable follows the resolved region", () => {
    const s = resolve({
      args: { region: "ap-southeast-3" },
      env: {
        ...base,
        HUAWEICLOUD_SDK_REGION_SMS_CN_NORTH_4: "http://wrong",
        HUAWEICLOUD_SDK_REGION_SMS_AP_SOUTHEAST_3: "http://right",
      },
    });
    expect(s.endpoints.sms).toBe("http://right");
  });

  test("no overrides: empty endpoints", () => {
    expect(resolve({ env: base }).endpoints).toEqual({});
  });

  test.each([
    ["not JSON", "{sms:", /huaweicloud:endpoints is not valid JSON/],
    ["not an object", '["http://x"]', /huaweicloud:endpoints must be a JSON object/],
    ["not a string", '{"sms": 1}', /huaweicloud:endpoints.sms must be a string/],
  ])("a bad huaweicloud:endpoints (%s) names the setting", (_what, raw, re) => {
    expect(() => resolve({ env: base, config: configOf({ "huaweicloud:endpoints": raw }) })).toThrow(re);
  });
});

describe("resolveHuaweiSettings: missing settings", () => {
  /** Secrets lying around in places that do not make a usable credential. */
  const noise = {
    HW_SECURITY_TOKEN: "ORPHAN-TOKEN-VALUE",
    HUAWEICLOUD_SDK_SECURITY_TOKEN: "ORPHAN-SDK-TOKEN",
    HW_PROJECT_ID: "p",
  };

  test("no credentials: names every place, in order, and no secret", () => {
    const file = path.join(emptyHome, ".huaweicloud", "credentials");
    const e = errorOf({ env: { ...noise, HW_REGION_NAME: "cn-north-4" } });
    expect(e).toBeInstanceOf(MissingCredentialsError);
    expect(e.name).toBe("MissingCredentialsError");
    const places = [
      "resource arguments accessKey + secretKey (+ securityToken), or authToken",
      "stack config huaweicloud:accessKey + huaweicloud:secretKey (+ huaweicloud:securityToken), or huaweicloud:token",
      "environment HW_ACCESS_KEY + HW_SECRET_KEY (+ HW_SECURITY_TOKEN)",
      "environment OS_ACCESS_KEY + OS_SECRET_KEY (+ HW_SECURITY_TOKEN)",
      "environment HW_AUTH_TOKEN",
      "environment OS_AUTH_TOKEN",
      "environment HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ HUAWEICLOUD_SDK_SECURITY_TOKEN)",
      `profile file ${file} (not found) [basic] ak + sk (+ security_token)`,
      `profile file ${file} (not found) [global] ak + sk (+ security_token)`,
    ];
    expect(e.message).toBe(
      "Huawei Cloud credentials not found: set an access key pair or an IAM token in one of these places " +
        "(first found wins):\n" +
        places.map((p, i) => `  ${i + 1}. ${p}`).join("\n"),
    );
    for (const v of Object.values(noise)) if (v !== "p") expect(e.message).not.toContain(v);
  });

  test("no region: names the setting and every place", () => {
    const e = errorOf({ env: { HW_ACCESS_KEY: "a", HW_SECRET_KEY: "SECRET-VALUE-123" } });
    expect(e.message).toBe(
      "Huawei Cloud region not found; places looked, in order:\n" +
        "  1. resource argument region\n  2. stack config huaweicloud:region\n" +
        "  3. environment HW_REGION_NAME\n  4. environment OS_REGION_NAME",
    );
    expect(e.message).not.toContain("SECRET-VALUE-123");
  });

  test("both missing: one error naming both", () => {
    const e = errorOf({ env: noise });
    expect(e.message).toMatch(/^Huawei Cloud credentials not found[\s\S]*\nHuawei Cloud region not found/);
  });

  test("reads process.env when no env is given", () => {
    const saved = { ...process.env };
    try {
      process.env.HW_ACCESS_KEY = "ak-process";
      process.env.HW_SECRET_KEY = "sk-process";
      process.env.HW_REGION_NAME = "cn-north-4";
      const s = resolveHuaweiSettings({ homeDir: emptyHome });
      expect(s.accessKey).toBe("ak-process");
    } finally {
      for (const k of ["HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_REGION_NAME"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
