/**
 * The IAM operations the emulator serves (docs/signing.md: the SDKs' project/domain discovery
 * and the token flow). The package's client does not call IAM itself yet, so these contracts live with
 * the emulator; they use the official IAM SDK's operation names.
 */
import { z } from "zod";
import { defineOperation } from "../../../sdk/core/contract";

const NameOrId = z
  .object({ name: z.string().min(1).optional(), id: z.string().min(1).optional() })
  .refine((v) => v.name !== undefined || v.id !== undefined, "name or id is required");

const Domain = z.object({ id: z.string(), name: z.string() });

/** `token` of the `POST /v3/auth/tokens` response. */
export const TokenBody = z.object({
  expires_at: z.string(),
  issued_at: z.string(),
  methods: z.array(z.string()),
  project: z.object({ id: z.string(), name: z.string(), domain: Domain }).optional(),
  domain: Domain.optional(),
  catalog: z
    .array(
      z.object({
        id: z.string(),
        type: z.string(),
        name: z.string(),
        endpoints: z.array(
          z.object({
            id: z.string(),
            interface: z.string(),
            region: z.string(),
            region_id: z.string(),
            url: z.string(),
          }),
        ),
      }),
    )
    .optional(),
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
  user: z.object({ id: z.string(), name: z.string(), domain: Domain, password_expires_at: z.string() }),
});

const Links = z.object({ self: z.string(), previous: z.string().nullable(), next: z.string().nullable() });

/** IAM operations. */
export const iam = {
  createUserToken: defineOperation({
    name: "KeystoneCreateUserTokenByPassword",
    method: "POST",
    path: "/v3/auth/tokens",
    query: z.object({ nocatalog: z.string().optional() }),
    body: z.object({
      auth: z.object({
        identity: z.object({
          methods: z.array(z.string()).min(1),
          password: z
            .object({
              user: z.object({
                name: z.string().min(1).optional(),
                id: z.string().min(1).optional(),
                password: z.string(),
                domain: NameOrId.optional(),
              }),
            })
            .optional(),
        }),
        scope: z.object({ project: NameOrId.optional(), domain: NameOrId.optional() }).optional(),
      }),
    }),
    response: z.object({ token: TokenBody }),
    successStatus: 201,
  }),
  listProjects: defineOperation({
    name: "KeystoneListProjects",
    method: "GET",
    path: "/v3/projects",
    query: z.object({
      name: z.string().optional(),
      domain_id: z.string().optional(),
      enabled: z.enum(["true", "false"]).optional(),
    }),
    body: undefined,
    response: z.object({
      projects: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          domain_id: z.string(),
          enabled: z.boolean(),
          is_domain: z.boolean(),
          parent_id: z.string(),
          description: z.string(),
          links: z.object({ self: z.string() }),
        }),
      ),
      links: Links,
    }),
  }),
  listAuthDomains: defineOperation({
    name: "KeystoneListAuthDomains",
    method: "GET",
    path: "/v3/auth/domains",
    query: undefined,
    body: undefined,
    response: z.object({
      domains: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          enabled: z.boolean(),
          description: z.string(),
          links: z.object({ self: z.string() }),
        }),
      ),
      links: Links,
    }),
  }),
  createTemporaryAccessKeyByToken: defineOperation({
    name: "CreateTemporaryAccessKeyByToken",
    method: "POST",
    path: "/v3.0/OS-CREDENTIAL/securitytokens",
    query: undefined,
    body: z.object({
      auth: z.object({
        identity: z.object({
          methods: z.array(z.literal("token")).min(1),
          token: z
            .object({
              id: z.string().min(1).optional(),
              duration_seconds: z.number().int().min(900).max(86400).optional(),
            })
            .optional(),
        }),
      }),
    }),
    response: z.object({
      credential: z.object({
        access: z.string(),
        secret: z.string(),
        securitytoken: z.string(),
        expires_at: z.string(),
      }),
    }),
    successStatus: 201,
  }),
} as const;
