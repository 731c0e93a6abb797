/**
 * Huawei identities the emulator knows: the permanent access keys, the IAM user, its account and
 * project, and what IAM issued (tokens, temporary access keys). The API gateway dialect checks
 * callers against it; the IAM module issues into it.
 */
import { randomBytes } from "crypto";
import { emulatorDefaults, vectorCredentials } from "../defaults";

/** An access key pair the gateway accepts. */
export interface AccessKeyEntry {
  accessKey: string;
  secretKey: string;
  userId: string;
  domainId: string;
  /** Temporary keys (from `securitytokens`) need their token and expire. */
  temporary: boolean;
  /** The security token a temporary key must come with. */
  securityToken?: string;
  /** Security tokens a permanent key may also carry (the test vectors' example token). */
  acceptedSecurityTokens?: string[];
  /** Emulator epoch ms. */
  expiresAt?: number;
}

/** An IAM token (`X-Subject-Token`). */
export interface TokenEntry {
  token: string;
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  /** Project scope, absent for a domain-scoped token. */
  project?: { id: string; name: string };
  methods: string[];
  /** Emulator epoch ms. */
  issuedAt: number;
  expiresAt: number;
}

/** A project of the emulator's account. */
export interface ProjectEntry {
  id: string;
  name: string;
  domainId: string;
}

/** Validity of IAM tokens (docs/signing.md, IAM tokens). */
export const TOKEN_VALIDITY_MS = 24 * 3600 * 1000;

interface IdentitySnapshot {
  tokens: TokenEntry[];
  temporaryKeys: AccessKeyEntry[];
}

const PERMANENT_KEYS: readonly AccessKeyEntry[] = [
  {
    accessKey: emulatorDefaults.accessKey,
    secretKey: emulatorDefaults.secretKey,
    userId: emulatorDefaults.userId,
    domainId: emulatorDefaults.domainId,
    temporary: false,
  },
  {
    accessKey: vectorCredentials.accessKey,
    secretKey: vectorCredentials.secretKey,
    userId: emulatorDefaults.userId,
    domainId: emulatorDefaults.domainId,
    temporary: false,
    acceptedSecurityTokens: [vectorCredentials.securityToken],
  },
];

/** The account's only user. */
export const EMULATOR_USER = {
  id: emulatorDefaults.userId,
  name: emulatorDefaults.userName,
  password: emulatorDefaults.password,
  domainId: emulatorDefaults.domainId,
  domainName: emulatorDefaults.domainName,
} as const;

/**
 * The account's projects: the default region's, and a second one (the id of the DCS API
 * reference's examples) so that project scoping can be exercised within the account.
 */
export const PROJECTS: readonly ProjectEntry[] = [
  { id: emulatorDefaults.projectId, name: emulatorDefaults.region, domainId: emulatorDefaults.domainId },
  { id: "666486c2d9b948c1bbea57e714d744fa", name: "cn-east-3", domainId: emulatorDefaults.domainId },
];

/** Identity store shared by the gateway dialect and the IAM module. */
export class HuaweiIdentity {
  private tokens = new Map<string, TokenEntry>();
  private temporaryKeys = new Map<string, AccessKeyEntry>();

  /** A permanent or temporary key by its AK, whether expired or not. */
  findAccessKey(accessKey: string): AccessKeyEntry | undefined {
    return PERMANENT_KEYS.find((k) => k.accessKey === accessKey) ?? this.temporaryKeys.get(accessKey);
  }

  findToken(token: string): TokenEntry | undefined {
    return this.tokens.get(token);
  }

  /** Issues a token; real tokens are long opaque base64 strings starting `MII`. */
  issueToken(entry: Omit<TokenEntry, "token" | "issuedAt" | "expiresAt">, now: number): TokenEntry {
    const token = "MIIemu" + randomBytes(96).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
    const t: TokenEntry = { ...entry, token, issuedAt: now, expiresAt: now + TOKEN_VALIDITY_MS };
    this.tokens.set(token, t);
    this.prune(now);
    return t;
  }

  /** Issues a temporary AK/SK and security token for the token's user. */
  issueTemporaryKey(token: TokenEntry, durationSeconds: number, now: number): AccessKeyEntry {
    const accessKey = "HSTAEMU" + randomBytes(7).toString("hex").toUpperCase();
    const entry: AccessKeyEntry = {
      accessKey,
      secretKey: randomBytes(20).toString("base64").replace(/[+/=]/g, "x"),
      userId: token.userId,
      domainId: token.domainId,
      temporary: true,
      securityToken: "gQpjbi1ub3J0aC00" + randomBytes(96).toString("base64"),
      expiresAt: now + durationSeconds * 1000,
    };
    this.temporaryKeys.set(accessKey, entry);
    this.prune(now);
    return entry;
  }

  /** Forgets everything issued. */
  reset(): void {
    this.tokens.clear();
    this.temporaryKeys.clear();
  }

  snapshot(): IdentitySnapshot {
    return { tokens: [...this.tokens.values()], temporaryKeys: [...this.temporaryKeys.values()] };
  }

  restore(data: unknown): void {
    this.reset();
    const s = (data ?? {}) as Partial<IdentitySnapshot>;
    for (const t of s.tokens ?? []) this.tokens.set(t.token, t);
    for (const k of s.temporaryKeys ?? []) this.temporaryKeys.set(k.accessKey, k);
  }

  /** Counts for the state dump; secrets are not shown. */
  dump(now: number): unknown {
    return {
      accessKeys: PERMANENT_KEYS.map((k) => k.accessKey),
      tokens: [...this.tokens.values()].map((t) => ({
        user: t.userName,
        project: t.project?.name,
        expiresAt: new Date(t.expiresAt).toISOString(),
        expired: t.expiresAt <= now,
      })),
      temporaryKeys: [...this.temporaryKeys.values()].map((k) => ({
        accessKey: k.accessKey,
        expiresAt: k.expiresAt === undefined ? undefined : new Date(k.expiresAt).toISOString(),
      })),
    };
  }

  /** Drops entries expired for over a day, so a long-running emulator does not grow forever. */
  private prune(now: number): void {
    const horizon = now - 24 * 3600 * 1000;
    for (const [k, t] of this.tokens) if (t.expiresAt < horizon) this.tokens.delete(k);
    for (const [k, e] of this.temporaryKeys)
      if ((e.expiresAt ?? Infinity) < horizon) this.temporaryKeys.delete(k);
  }
}
