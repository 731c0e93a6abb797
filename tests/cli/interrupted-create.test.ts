/**
 * `pulumi up` killed while a create is in flight, under the real CLI: the engine keeps a pending
 * CREATE and the stack's lock. After `pulumi cancel` (what a user runs for the lock), the next
 * `up` warns about the pending operation and creates again, and the provider must take over the
 * task the killed create made: one task in the cloud, that task in state, and destroy removing it.
 * The engine keeps the pending CREATE until `pulumi refresh --clear-pending-creates`.
 */
import * as fs from "node:fs";
import { requireBuild } from "../helpers";
import { cliEmulator, type CliEmulator, redisPasswords } from "./harness";
import { copyExample, killTree, PulumiCli } from "./pulumi";

jest.setTimeout(600_000);

let emu: CliEmulator;
const dirs: string[] = [];

beforeAll(async () => {
  requireBuild();
  emu = await cliEmulator({ durations: { replication: 30 * 86_400 } });
});

afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await emu?.close();
});

type Service = "sms" | "dcs" | "mse";
const live = (service: Service): Record<string, unknown>[] =>
  emu
    .tasks(service)
    .filter((t) => t.deleted !== true && (service !== "mse" || t.OriginInstanceName === "orders-nacos"));
const idOf = (service: Service, t: Record<string, unknown>) =>
  String(service === "sms" ? t.id : service === "dcs" ? t.task_id : t.Id);

interface Case {
  example: string;
  service: Service;
  config?: Record<string, { secret: string }>;
  /** Holds the create in flight; resolves once the cloud has the task, so the kill lands mid-create. */
  hold(run: { waitFor(re: RegExp): Promise<void> }): Promise<void>;
  release(): void;
}

/** The clock stops, so the create waits for a state the task never reaches until it resumes. */
const heldByClock = (waiting: RegExp): Pick<Case, "hold" | "release"> => ({
  async hold(run) {
    await run.waitFor(waiting);
  },
  release: () => emu.resume(),
});

const cases: Case[] = [
  {
    example: "sms-block-migration",
    service: "sms",
    ...heldByClock(/waiting for task [0-9a-f-]+ to be running/),
  },
  {
    example: "dcs-redis-online",
    service: "dcs",
    config: redisPasswords,
    ...heldByClock(/waiting for the migration ECS of task [0-9a-f-]+/),
  },
  {
    example: "mse-nacos-registry",
    service: "mse",
    // MSE answers a create at once: the answer is held instead, after the task exists.
    async hold(run) {
      emu.emulator.injectFault({
        kind: "latency",
        service: "mse",
        operation: "AddMigrationTask",
        latencyMs: 20_000,
      });
      await run.waitFor(/MigrationTask orders-registry creating/);
      for (let i = 0; i < 600 && live("mse").length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    },
    release: () => emu.emulator.clearFaults(),
  },
];

describe.each(cases)("examples/$example: pulumi up killed while the create is in flight", (c) => {
  it("is taken over by the next up: no duplicate, nothing untracked, destroy removes it", async () => {
    const dir = copyExample(c.example);
    dirs.push(dir);
    const cli = new PulumiCli(dir, "interrupted", emu.env);
    try {
      await cli.init(c.config);
      emu.pause();
      const run = cli.start(["up", "--yes", "--skip-preview", "--stack", "interrupted"]);
      await c.hold(run);
      killTree(run.child);
      await run.done;
      const before = live(c.service);
      expect(before).toHaveLength(1);
      c.release();
      emu.resume();

      // The killed CLI leaves the stack locked; the lock error names `pulumi cancel`.
      const locked = await cli.up([], { expectCode: 1 });
      expect(locked.output).toMatch(/the stack is currently locked[\s\S]*pulumi cancel/);
      await cli.run(["cancel", "--yes", "--stack", "interrupted"]);

      const up = await cli.up();
      expect(up.output).toMatch(/1 pending operations? from previous deployment/);
      expect(up.output).toMatch(/interrupted while creating/);
      expect(up.output).toMatch(/taking it over instead of creating another/);
      // The engine keeps the pending CREATE even after the up that took the task over; refresh
      // --clear-pending-creates drops it and keeps the resource.
      const pending = async () => JSON.parse(await cli.exportState()).deployment.pending_operations ?? [];
      expect(await pending()).toHaveLength(1);
      await cli.refresh(["--clear-pending-creates"]);
      expect(await pending()).toEqual([]);
      const after = live(c.service);
      expect(after.map((t) => idOf(c.service, t))).toEqual(before.map((t) => idOf(c.service, t)));
      expect((await cli.outputs()).taskId).toBe(idOf(c.service, before[0]));

      emu.emulator.clearRequests();
      await cli.preview(["--expect-no-changes"]);
      await cli.destroy();
      expect(live(c.service)).toEqual([]);
    } finally {
      c.release();
      emu.resume();
      cli.close();
    }
  });
});
