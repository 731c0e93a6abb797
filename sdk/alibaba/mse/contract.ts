/**
 * Alibaba Cloud MSE migration-task contracts, API version 2019-05-31 (docs/alibaba-mse.md;
 * the UpdateMigrationTask document), shared by the client and the emulator.
 *
 * Requests: every parameter is optional per the docs (必填=否) and a string on the wire, except
 * `PageNum`/`PageSize`; the emulator reports what is missing for the operation to make sense.
 * Responses: field types are exact (the pitfalls of 1.4 are checked: `Id` is a string in the Add
 * and Update answers but a number in list items; `HttpCode` is a string and absent from Add);
 * descriptive fields are nullish because the service drops empty ones, and enum-like fields are
 * plain strings because the service answers values outside the documented sets (the doc's own
 * example answers `"SyncType": ""`).
 */
import { z } from "zod";
import { defineRpcOperation } from "../contract";

/** The API version of every MSE operation. */
export const MSE_API_VERSION = "2019-05-31";

/**
 * Registry types the documents list for the source and target clusters. The resource validates
 * its input against them; the wire parameter is a free string, as in the SDK (a newer registry
 * type must reach the service rather than be refused by the client or the emulator).
 */
export const ClusterType = z.enum(["Nacos-Ans", "ZooKeeper", "Eureka"]);
export type ClusterType = z.infer<typeof ClusterType>;

/** What is synchronised, as documented: everything, configurations only, or services only. */
export const SyncType = z.enum(["All", "Config", "Service"]);
export type SyncType = z.infer<typeof SyncType>;

/** Languages the documents list for the answer's messages (the parameter is a free string). */
export const AcceptLanguage = z.enum(["zh", "en"]);

/** `OriginInstanceNamespace` carries a list of namespace ids joined with commas. */
export function joinNamespaces(ids: readonly string[]): string {
  return ids.join(",");
}

/** The namespace ids of an `OriginInstanceNamespace` value; blank entries dropped. */
export function splitNamespaces(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The writable fields of a task, shared by Add and Update. */
const TaskParams = {
  /** A registry type, e.g. one of {@link ClusterType}; a free string on the wire, as in the SDK. */
  ClusterType: z.string().optional(),
  /** Source node address, e.g. `192.168.1.1:8848`. */
  OriginInstanceAddress: z.string().optional(),
  OriginInstanceName: z.string().optional(),
  /** Comma-separated namespace ids ({@link joinNamespaces}); used when the source is Nacos. */
  OriginInstanceNamespace: z.string().optional(),
  /** e.g. `mse-cn-ud82*****`. */
  TargetInstanceId: z.string().optional(),
  TargetClusterName: z.string().optional(),
  /** e.g. `mse-66*****-nacos-ans.mse.aliyuncs.com:8848`. */
  TargetClusterUrl: z.string().optional(),
  ProjectDesc: z.string().optional(),
  /** e.g. one of {@link SyncType}; a free string on the wire, as in the SDK. */
  SyncType: z.string().optional(),
};

/** Parameters every MSE operation takes. */
const CommonParams = {
  /** Extension parameters as a JSON string, e.g. `{}`. */
  RequestPars: z.string().optional(),
  /** e.g. one of {@link AcceptLanguage}; a free string on the wire, as in the SDK. */
  AcceptLanguage: z.string().optional(),
};

/** Parameters of AddMigrationTask. */
export const AddMigrationTaskRequest = z.object({ ...TaskParams, ...CommonParams });
export type AddMigrationTaskRequest = z.infer<typeof AddMigrationTaskRequest>;

/** Parameters of UpdateMigrationTask: `Id` plus the fields to replace. */
export const UpdateMigrationTaskRequest = z.object({
  /** The task to update. */
  Id: z.string().optional(),
  ...TaskParams,
  ...CommonParams,
});
export type UpdateMigrationTaskRequest = z.infer<typeof UpdateMigrationTaskRequest>;

/** Parameters of DeleteMigrationTask. */
export const DeleteMigrationTaskRequest = z.object({ Id: z.string().optional(), ...CommonParams });
export type DeleteMigrationTaskRequest = z.infer<typeof DeleteMigrationTaskRequest>;

/** Numbers on the client side, decimal strings on the wire: the emulator's parse coerces them. */
const PageNumber = z.coerce.number<number>().int().min(1);

/** Parameters of ListMigrationTask: 1-based paging and a source-name filter. */
export const ListMigrationTaskRequest = z.object({
  /** 1-based page number. */
  PageNum: PageNumber.optional(),
  PageSize: PageNumber.optional(),
  /** Filter by source instance name. */
  OriginInstanceName: z.string().optional(),
  ...CommonParams,
});
export type ListMigrationTaskRequest = z.input<typeof ListMigrationTaskRequest>;

/** Envelope fields of a successful MSE answer (1.4); `HttpCode` is added where the SDK models have it. */
const Envelope = {
  RequestId: z.string(),
  Success: z.boolean(),
  ErrorCode: z.string().nullish(),
  Message: z.string().nullish(),
  Code: z.number().int().nullish(),
  HttpStatusCode: z.number().int().nullish(),
  DynamicMessage: z.string().nullish(),
};

/** HTTP status as the service reports it in the body: a decimal string such as `"200"`. */
const HttpCode = z.string().regex(/^\d{3}$/, 'must be a 3-digit string such as "200"');

/** Read-model fields of a task other than `Id` and the timestamps. */
const TaskFields = {
  UserId: z.string().nullish(),
  ClusterType: z.string().nullish(),
  OriginInstanceAddress: z.string().nullish(),
  OriginInstanceName: z.string().nullish(),
  OriginInstanceNamespace: z.string().nullish(),
  ProjectDesc: z.string().nullish(),
  SyncType: z.string().nullish(),
  TargetClusterName: z.string().nullish(),
  TargetClusterUrl: z.string().nullish(),
  TargetInstanceId: z.string().nullish(),
};

/** Times such as `2022-01-07T10:07:57.000+0000`. */
const Times = {
  GmtCreate: z.string().nullish(),
  GmtModified: z.string().nullish(),
};

/** `Data` of AddMigrationTask: the task, `Id` a decimal string. */
export const AddMigrationTaskData = z.object({ Id: z.string().min(1), ...TaskFields });
export type AddMigrationTaskData = z.infer<typeof AddMigrationTaskData>;

/** `Data` of UpdateMigrationTask: the task with its times, `Id` a decimal string. */
export const MigrationTask = z.object({ Id: z.string().min(1), ...TaskFields, ...Times });
export type MigrationTask = z.infer<typeof MigrationTask>;

/**
 * An item of ListMigrationTask, `Id` a number (int64 in the SDK; JSON.parse keeps it exact up to
 * 2^53, far beyond the ids the service hands out).
 */
export const MigrationTaskListItem = z.object({ Id: z.number().int(), ...TaskFields, ...Times });
export type MigrationTaskListItem = z.infer<typeof MigrationTaskListItem>;

/** Answer of AddMigrationTask; the SDK model has no `HttpCode` here. */
export const AddMigrationTaskResponse = z.object({ ...Envelope, Data: AddMigrationTaskData });
/** Answer of UpdateMigrationTask. */
export const UpdateMigrationTaskResponse = z.object({
  ...Envelope,
  HttpCode: HttpCode.optional(),
  Data: MigrationTask,
});
/** Answer of DeleteMigrationTask: `Data` is `true`. */
export const DeleteMigrationTaskResponse = z.object({
  ...Envelope,
  HttpCode: HttpCode.optional(),
  Data: z.boolean(),
});
/** Answer of ListMigrationTask: one page and the total. */
export const ListMigrationTaskResponse = z.object({
  ...Envelope,
  HttpCode: HttpCode.optional(),
  PageNumber: z.number().int().optional(),
  PageSize: z.number().int().optional(),
  TotalCount: z.number().int().optional(),
  /** Absent or null when there is no task. */
  Data: z.array(MigrationTaskListItem).nullish(),
});

/**
 * An MSE business error body (1.5): `Success: false` with the service's code and message, sent
 * with HTTP 4xx/5xx or with HTTP 200. Loose, since the fields vary between MSE APIs.
 */
export const MseErrorBody = z
  .object({
    RequestId: z.string(),
    Success: z.literal(false),
    ErrorCode: z.string(),
    Message: z.string(),
    HttpCode: HttpCode.optional(),
    Code: z.union([z.number().int(), z.string()]).optional(),
    HttpStatusCode: z.number().int().optional(),
    DynamicMessage: z.string().optional(),
  })
  .loose();
export type MseErrorBody = z.infer<typeof MseErrorBody>;

/** Every MSE migration-task operation; there is no Get/Describe, reading is listing. */
export const mse = {
  addMigrationTask: defineRpcOperation({
    name: "AddMigrationTask",
    version: MSE_API_VERSION,
    params: AddMigrationTaskRequest,
    response: AddMigrationTaskResponse,
  }),
  updateMigrationTask: defineRpcOperation({
    name: "UpdateMigrationTask",
    version: MSE_API_VERSION,
    params: UpdateMigrationTaskRequest,
    response: UpdateMigrationTaskResponse,
  }),
  deleteMigrationTask: defineRpcOperation({
    name: "DeleteMigrationTask",
    version: MSE_API_VERSION,
    params: DeleteMigrationTaskRequest,
    response: DeleteMigrationTaskResponse,
  }),
  listMigrationTask: defineRpcOperation({
    name: "ListMigrationTask",
    version: MSE_API_VERSION,
    params: ListMigrationTaskRequest,
    response: ListMigrationTaskResponse,
  }),
} as const;
