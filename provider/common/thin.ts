import type * as pulumi from "@pulumi/pulumi";
import type * as Runtime from "../runtime";

/** The resource implementations the runtime exports. */
export type RuntimeKey = "huaweicloudSms" | "huaweicloudDcs" | "alicloudMse";

/**
 * The provider that Pulumi serializes into state, one instance per resource type. Each method
 * only `require`s the runtime by package name and calls the implementation under `key`, so the
 * closure stays a few KB, captures nothing but that string (no credentials, passwords, clients
 * or schemas) and always runs the implementation installed in the project.
 */
export class ThinProvider implements pulumi.dynamic.ResourceProvider {
  constructor(private readonly key: RuntimeKey) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    (require("pulumi-migration-tasks/runtime") as typeof Runtime).configure(req);
  }
  async check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.CheckResult> {
    return (require("pulumi-migration-tasks/runtime") as typeof Runtime)[this.key].check(olds, news);
  }
  async diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult> {
    return (require("pulumi-migration-tasks/runtime") as typeof Runtime)[this.key].diff(id, olds, news);
  }
  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    return (require("pulumi-migration-tasks/runtime") as typeof Runtime)[this.key].create(inputs);
  }
  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    return (require("pulumi-migration-tasks/runtime") as typeof Runtime)[this.key].read(id, props);
  }
  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    return (require("pulumi-migration-tasks/runtime") as typeof Runtime)[this.key].update(id, olds, news);
  }
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    return (require("pulumi-migration-tasks/runtime") as typeof Runtime)[this.key].delete(id, props);
  }
}
