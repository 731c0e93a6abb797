/**
 * SMS operations the emulator serves that the package's client does not use, so they are not in
 * sdk/huawei/sms/contract.ts (docs/huawei-sms.md).
 */
import { z } from "zod";
import { defineOperation } from "../../../sdk/core/contract";

/** `POST /v3/tasks/delete` (SDK `delete_tasks`): batch delete. */
export const deleteTasks = defineOperation({
  name: "DeleteTasks",
  method: "POST",
  path: "/v3/tasks/delete",
  query: undefined,
  body: z.object({ ids: z.array(z.string().min(1).max(36)).min(1).max(100) }),
  response: z.union([z.object({}).loose(), z.string()]).optional(),
});
