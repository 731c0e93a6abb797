import { z } from "zod";

/**
 * Resource-level Huawei Cloud credentials, shared by every Huawei resource; the resource
 * classes force them secret.
 */
export const HuaweiCredentialsInput = z
  .object({
    accessKey: z.string().min(1),
    secretKey: z.string().min(1),
    securityToken: z.string().min(1).optional(),
  })
  .strict();
