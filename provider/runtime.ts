/**
 * The module the serialized providers load by package name (`pulumi-migration-tasks/runtime`)
 * inside the dynamic-provider process. Keeping every implementation behind this one stable
 * entry point keeps the closures small and independent of the package's file layout.
 */
import type { dynamic } from "@pulumi/pulumi";
import * as sms from "./huaweicloud/sms/impl";
import * as mse from "./alicloud/mse/impl";
import * as dcs from "./huaweicloud/dcs/impl";
import type { PropertyMap } from "./common/values";

export { configure } from "./config";

/** The CRUD functions of one resource type. */
export interface ResourceImpl {
  check(olds: PropertyMap, news: PropertyMap): Promise<dynamic.CheckResult>;
  diff(id: string, olds: PropertyMap, news: PropertyMap): Promise<dynamic.DiffResult>;
  create(inputs: PropertyMap): Promise<dynamic.CreateResult>;
  read(id: string, props: PropertyMap): Promise<dynamic.ReadResult>;
  update(id: string, olds: PropertyMap, news: PropertyMap): Promise<dynamic.UpdateResult>;
  delete(id: string, props: PropertyMap): Promise<void>;
}

/**
 * An error as the user is to see it. The dynamic-provider server prints a failed check, diff,
 * read or delete to standard error as `${error}: ${error.stack}`, which the CLI shows beside the
 * error it reports; with a plain Error that is `Error: X: Error: X` followed by stack frames of
 * source files the package does not ship. This one prints as `X: <resource> <operation> failed`.
 * An init failure's `id`, `properties` and `reasons` are kept, so the engine still records the task.
 */
class UserFacingError extends Error {
  constructor(cause: unknown, context: string) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "UserFacingError";
    Object.defineProperty(this, "stack", { value: context, enumerable: false, writable: true });
    if (typeof cause === "object" && cause !== null) {
      const c = cause as Record<string, unknown>;
      for (const k of ["id", "properties", "reasons"])
        if (c[k] !== undefined) (this as unknown as Record<string, unknown>)[k] = c[k];
    }
  }

  override toString(): string {
    return this.message;
  }
}

/** The implementation with every failure rethrown as a {@link UserFacingError}. */
function userFacing(type: string, impl: ResourceImpl): ResourceImpl {
  const wrap =
    <A extends unknown[], R>(op: string, f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await f(...args);
      } catch (e) {
        throw new UserFacingError(e, `${type} ${op} failed`);
      }
    };
  return {
    check: wrap("check", impl.check),
    diff: wrap("diff", impl.diff),
    create: wrap("create", impl.create),
    read: wrap("read", impl.read),
    update: wrap("update", impl.update),
    delete: wrap("delete", impl.delete),
  };
}

/** `huaweicloud.sms.MigrationTask`. */
export const huaweicloudSms: ResourceImpl = userFacing("huaweicloud.sms.MigrationTask", {
  check: sms.check,
  diff: sms.diff,
  create: sms.create,
  read: sms.read,
  update: sms.update,
  delete: sms.deleteTask,
});

/** `huaweicloud.dcs.MigrationTask`. */
export const huaweicloudDcs: ResourceImpl = userFacing("huaweicloud.dcs.MigrationTask", {
  check: dcs.check,
  diff: dcs.diff,
  create: dcs.create,
  read: dcs.read,
  update: dcs.update,
  delete: dcs.deleteTask,
});

/** `alicloud.mse.MigrationTask`. */
export const alicloudMse: ResourceImpl = userFacing("alicloud.mse.MigrationTask", {
  check: mse.check,
  diff: mse.diff,
  create: mse.create,
  read: mse.read,
  update: mse.update,
  delete: mse.deleteTask,
});
