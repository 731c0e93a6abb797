/**
 * The IAM module: password tokens, project and domain discovery, temporary access keys. Minimal
 * but real: tokens it issues are what the gateway then accepts as `X-Auth-Token`.
 */
import { emulatorDefaults } from "../../defaults";
import type { RestResult } from "../../core/rest";
import { restResolver, restRoute } from "../../core/rest";
import type { ModuleContext, ServiceModule } from "../../core/types";
import type { HuaweiDialect } from "../dialect";
import { header } from "../dialect";
import type { HuaweiIdentity, TokenEntry } from "../identity";
import { EMULATOR_USER, PROJECTS } from "../identity";
import { iam } from "./contract";
import { iamErrors } from "./errors";

/** Services listed in a token's catalog; all served by this emulator. */
const CATALOG_SERVICES = ["iam", "sms", "dcs"];

function baseUrl(hostHeader: string | undefined): string {
  return `http://${hostHeader ?? "127.0.0.1"}`;
}

function domainRef() {
  return { id: EMULATOR_USER.domainId, name: EMULATOR_USER.domainName };
}

function tokenBody(t: TokenEntry, url: string, withCatalog: boolean) {
  return {
    expires_at: new Date(t.expiresAt).toISOString(),
    issued_at: new Date(t.issuedAt).toISOString(),
    methods: t.methods,
    ...(t.project ? { project: { ...t.project, domain: domainRef() } } : { domain: domainRef() }),
    ...(withCatalog
      ? {
          catalog: CATALOG_SERVICES.map((s) => ({
            id: `${s}-catalog`,
            type: s,
            name: s,
            endpoints: [{ id: `${s}-endpoint`, interface: "public", region: "*", region_id: "*", url }],
          })),
        }
      : {}),
    roles: [{ id: "0", name: "te_admin" }],
    user: { id: t.userId, name: t.userName, domain: domainRef(), password_expires_at: "" },
  };
}

/** Creates the IAM module over the shared identity store. */
export function createIamModule(
  _ctx: ModuleContext,
  identity: HuaweiIdentity,
  dialect: HuaweiDialect,
): ServiceModule {
  const routes = [
    restRoute(
      iam.createUserToken,
      ({ body, query, call }) => {
        const { identity: id, scope } = body.auth;
        if (!id.methods.includes("password") || !id.password) throw iamErrors.unsupportedMethod(id.methods);
        const u = id.password.user;
        const userMatches = u.id !== undefined ? u.id === EMULATOR_USER.id : u.name === EMULATOR_USER.name;
        const domainMatches =
          u.id !== undefined ||
          (u.domain !== undefined &&
            (u.domain.id !== undefined
              ? u.domain.id === EMULATOR_USER.domainId
              : u.domain.name === EMULATOR_USER.domainName));
        if (!userMatches || !domainMatches || u.password !== EMULATOR_USER.password)
          throw iamErrors.wrongPassword();
        let project: { id: string; name: string } | undefined;
        if (scope?.project) {
          const p = scope.project;
          const found = PROJECTS.find((x) => (p.id !== undefined ? x.id === p.id : x.name === p.name));
          if (!found) throw iamErrors.projectNotFound(p.id ?? p.name ?? "");
          project = { id: found.id, name: found.name };
        } else if (scope?.domain) {
          const d = scope.domain;
          const ok =
            d.id !== undefined ? d.id === EMULATOR_USER.domainId : d.name === EMULATOR_USER.domainName;
          if (!ok) throw iamErrors.domainNotFound(d.id ?? d.name ?? "");
        }
        const t = identity.issueToken(
          {
            userId: EMULATOR_USER.id,
            userName: EMULATOR_USER.name,
            domainId: EMULATOR_USER.domainId,
            domainName: EMULATOR_USER.domainName,
            project,
            methods: ["password"],
          },
          call.now.getTime(),
        );
        const withCatalog = query.nocatalog === undefined || query.nocatalog === "";
        return {
          status: 201,
          headers: { "X-Subject-Token": t.token },
          body: { token: tokenBody(t, baseUrl(header(call.req, "host")), withCatalog) },
        };
      },
      { anonymous: true },
    ),
    restRoute(iam.listProjects, ({ query, call }) => {
      const url = baseUrl(header(call.req, "host"));
      const projects = PROJECTS.filter(
        (p) =>
          (query.name === undefined || p.name === query.name) &&
          (query.domain_id === undefined || p.domainId === query.domain_id) &&
          query.enabled !== "false",
      ).map((p) => ({
        id: p.id,
        name: p.name,
        domain_id: p.domainId,
        enabled: true,
        is_domain: false,
        parent_id: p.domainId,
        description: "",
        links: { self: `${url}/v3/projects/${p.id}` },
      }));
      return { body: { projects, links: { self: `${url}/v3/projects`, previous: null, next: null } } };
    }),
    restRoute(iam.listAuthDomains, ({ call }) => {
      const url = baseUrl(header(call.req, "host"));
      return {
        body: {
          domains: [
            {
              id: EMULATOR_USER.domainId,
              name: EMULATOR_USER.domainName,
              enabled: true,
              description: "",
              links: { self: `${url}/v3/domains/${EMULATOR_USER.domainId}` },
            },
          ],
          links: { self: `${url}/v3/auth/domains`, previous: null, next: null },
        },
      };
    }),
    restRoute(iam.createTemporaryAccessKeyByToken, ({ body, call }) => {
      // The token method names the token in the body or, usually, in X-Auth-Token, which the
      // gateway already verified.
      const tokenId = body.auth.identity.token?.id ?? header(call.req, "x-auth-token");
      if (tokenId === undefined) throw iamErrors.tokenRequired();
      const now = call.now.getTime();
      const t = identity.findToken(tokenId);
      if (!t || t.expiresAt <= now) throw iamErrors.invalidToken();
      const duration = body.auth.identity.token?.duration_seconds ?? 900;
      const k = identity.issueTemporaryKey(t, duration, now);
      const result: RestResult<{
        credential: { access: string; secret: string; securitytoken: string; expires_at: string };
      }> = {
        status: 201,
        body: {
          credential: {
            access: k.accessKey,
            secret: k.secretKey,
            securitytoken: k.securityToken ?? "",
            expires_at: new Date(k.expiresAt ?? now).toISOString(),
          },
        },
      };
      return result;
    }),
  ];
  const resolve = restResolver(
    {
      service: "iam",
      dialect,
      validationError: (m) => iamErrors.validation(m),
      internalError: (m) => iamErrors.internal(m),
    },
    routes,
  );
  return {
    name: "iam",
    resolve,
    reset: () => identity.reset(),
    dump: (now) => ({
      user: { id: EMULATOR_USER.id, name: EMULATOR_USER.name, domain: EMULATOR_USER.domainName },
      projects: PROJECTS,
      region: emulatorDefaults.region,
      ...(identity.dump(now.getTime()) as Record<string, unknown>),
    }),
    snapshot: () => identity.snapshot(),
    restore: (data) => identity.restore(data),
  };
}
