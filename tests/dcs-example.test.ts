/**
 * examples/dcs-redis-online is a real Pulumi program, applied end to end against the emulator
 * through the engine harness, which runs the real dynamic-provider process in the example's
 * directory (so the closure loads the package as the example installs it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../emulator";
import { dcsDemoIds } from "../emulator";
import { containsPlaintext, isSecret, MiniEngine } from "../harness";
import { HuaweiClient } from "../sdk/huawei/client";
import { resolveHuaweiSettings } from "../sdk/huawei/credentials";
import { DcsClient } from "../sdk/huawei/dcs/client";
import { emulatorForTests, exampleProgram, repoRoot, requireBuild, writes } from "./helpers";

const example = path.join(repoRoot, "examples", "dcs-redis-online");
let emulator: Emulator;

beforeAll(async () => {
  requireBuild();
  emulator = await emulatorForTests();
});
afterAll(async () => emulator?.close());

describe("examples/dcs-redis-online", () => {
  it("is a complete Pulumi project depending on this package and the locked SDK", () => {
    for (const f of ["Pulumi.yaml", "index.ts", "package.json"])
      expect(fs.existsSync(path.join(example, f))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(example, "package.json"), "utf8"));
    // The example pins the SDK the project develops against, whichever version that is.
    const rootPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    const pinned: string = rootPkg.devDependencies["@pulumi/pulumi"];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies).toEqual({ "@pulumi/pulumi": pinned, "pulumi-migration-tasks": "file:../.." });
    expect(fs.readFileSync(path.join(example, "Pulumi.yaml"), "utf8")).toMatch(/^name: dcs-redis-online$/m);
    const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8"));
    expect(lock.packages["examples/dcs-redis-online"]).toBeDefined();
  });

  it("applies, converges, stays unchanged, refreshes and destroys, with the passwords only as secrets", async () => {
    const client = new DcsClient(new HuaweiClient("dcs", resolveHuaweiSettings({ env: emulator.env() })));
    const engine = new MiniEngine({
      projectDir: example,
      project: "dcs-redis-online",
      stack: "test",
      config: {
        sourceRedisPassword: { secret: dcsDemoIds.passwords.selfBuilt },
        targetRedisPassword: { secret: dcsDemoIds.passwords.target },
      },
    });
    const program = exampleProgram(example);
    try {
      const up = await engine.up(program);
      expect(up.steps.map((s) => s.op)).toEqual(["create"]);
      expect(up.outputs.status).toBe("INCRMIGEATING");
      expect(up.outputs.progress).toBe(100);
      expect(up.outputs.migrationEcsAddress).toMatch(/^192\.168\.0\.\d+$/);
      const id = up.outputs.taskId as string;
      expect((await client.showTask(id)).status).toBe("INCRMIGEATING");

      emulator.clearRequests();
      const again = await engine.up(program);
      expect(again.steps.map((s) => s.op)).toEqual(["same"]);
      expect(writes(emulator)).toEqual([]);

      const refresh = await engine.refresh();
      expect(refresh.steps.map((s) => [s.op, s.changed])).toEqual([["refresh", false]]);

      const state = engine.find("sessions");
      expect(isSecret(state?.outputs.sourcePassword)).toBe(true);
      for (const p of Object.values(dcsDemoIds.passwords)) {
        expect(containsPlaintext(engine.snapshot(), p)).toBe(false);
        expect(engine.providerLogs().join("\n")).not.toContain(p);
      }

      const down = await engine.destroy();
      expect(down.steps.map((s) => s.op)).toEqual(["delete"]);
      expect(await client.isListed(id)).toBe(false);
    } finally {
      await engine.close();
    }
  });
});
