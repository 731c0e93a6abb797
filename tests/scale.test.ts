/**
 * Large stacks: the figures `npm run bench` prints, asserted as counts on a virtual clock shared
 * by the emulator and the provider (no test here waits for real time). Each fails when its
 * figure regresses past the goal.
 */
import {
  dcsDelete,
  dcsTransition,
  mseRefresh,
  smsRefresh,
  smsTransition,
  terraformPolls,
  throttledCreates,
} from "../scripts/bench-scale";

describe("MSE refresh of 500 tasks: at most 2 full list scans, pages of 100", () => {
  const pagesPerScan = 5;

  test.each([
    ["unique source names", "unique" as const, 0, 1],
    ["one shared source name", "shared" as const, 0, 1],
    ["50 deleted outside Pulumi", "shared" as const, 50, 2],
  ])("%s", async (_label, names, deleted, scans) => {
    const r = await mseRefresh(500, names, deleted);
    expect(r.gone).toBe(deleted);
    expect(r.pageSize).toBe(100);
    expect(r.calls).toBe(scans * pagesPerScan);
  });
});

describe("SMS refresh: at most one call per task", () => {
  test("100 tasks are read from one list page of 200, the passphrase kept from state", async () => {
    expect(await smsRefresh(100)).toBeLessThanOrEqual(1);
  });
});

describe("waits: fewer polls than Terraform's 5 s + 10 s policy and a lower lag, with one call per poll", () => {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  test("SMS replication timed by remain_seconds", async () => {
    const figures = [];
    for (const t of [5, 60, 600]) figures.push({ t, ...(await smsTransition(t)) });
    for (const f of figures) {
      expect(f.lagS).toBeLessThan(1);
      // One GET per poll, plus the cutover the noticing poll sends.
      expect(f.calls).toBe(f.polls + 1);
    }
    expect(sum(figures.map((f) => f.polls))).toBeLessThan(sum(figures.map((f) => terraformPolls(f.t).polls)));
    expect(figures.find((f) => f.t === 600)?.polls).toBeLessThanOrEqual(8);
  });

  test("DCS full migration timed by its progress, one call per poll (stats only while progress is reported)", async () => {
    const figures = [];
    for (const t of [5, 60, 600]) figures.push({ t, ...(await dcsTransition(t)) });
    for (const f of figures) expect(f.calls).toBe(f.polls);
    expect(sum(figures.map((f) => f.polls))).toBeLessThan(sum(figures.map((f) => terraformPolls(f.t).polls)));
    const lag = sum(figures.map((f) => f.lagS)) / figures.length;
    const tfLag = sum(figures.map((f) => terraformPolls(f.t).lagS)) / figures.length;
    expect(lag).toBeLessThan(tfLag);
  });
});

test("DCS delete: one read per poll (the detail until the delete is sent, the list after)", async () => {
  const r = await dcsDelete();
  expect(r.polls).toBeGreaterThanOrEqual(3);
  expect(r.reads).toBe(r.polls);
});

describe("throttling: 200 creates at 20 requests/s per service", () => {
  test("no create fails; successes at 80% or more of the rate, attempts at most 1.5x it", async () => {
    const r = await throttledCreates(180, 20, 20);
    expect(r.failures).toBe(0);
    expect(r.successRatio).toBeGreaterThanOrEqual(0.8);
    expect(r.attemptRatio).toBeLessThanOrEqual(1.5);
    // The limiter found the limit: some throttling, but no storm of it.
    expect(r.throttled).toBeLessThan(30);
  });
});
