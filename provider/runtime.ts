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

/** `huaweicloud.sms.MigrationTask`. */
export const huaweicloudSms: ResourceImpl = {
  check: sms.check,
  diff: sms.diff,
  create: sms.create,
  read: sms.read,
  update: sms.update,
  delete: sms.deleteTask,
};

/** `huaweicloud.dcs.MigrationTask`. */
export const huaweicloudDcs: ResourceImpl = {
  check: dcs.check,
  diff: dcs.diff,
  create: dcs.create,
  read: dcs.read,
  update: dcs.update,
  delete: dcs.deleteTask,
};

/** `alicloud.mse.MigrationTask`. */
export const alicloudMse: ResourceImpl = {
  check: mse.check,
  diff: mse.diff,
  create: mse.create,
  read: mse.read,
  update: mse.update,
  delete: mse.deleteTask,
};
