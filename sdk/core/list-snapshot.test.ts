import { ListSnapshots } from "./list-snapshot";
import { VirtualClock } from "./virtual-clock";

interface Item {
  id: string;
}

/** A listing whose scans are counted; `hide` drops ids from the next scan only. */
function listing(ids: string[]) {
  const state = { scans: 0, ids: [...ids], hideOnce: new Set<string>() };
  const scan = async function* (): AsyncGenerator<Item> {
    state.scans++;
    const hidden = state.hideOnce;
    state.hideOnce = new Set();
    await Promise.resolve();
    for (const id of state.ids) if (!hidden.has(id)) yield { id };
  };
  return { state, scan };
}

const snapshots = (clock: VirtualClock) => new ListSnapshots<Item>((i) => i.id, clock, 60_000, 1_000);

test("concurrent reads share one scan", async () => {
  const clock = new VirtualClock();
  const s = snapshots(clock);
  const l = listing(["1", "2", "3"]);
  const found = await Promise.all(["1", "2", "3", "2"].map((id) => s.find("k", l.scan, id)));
  expect(found.map((f) => f?.id)).toEqual(["1", "2", "3", "2"]);
  expect(l.state.scans).toBe(1);
});

test("a task missing from one scan is looked for in one fresh scan; any number missing cost one", async () => {
  const clock = new VirtualClock();
  const s = snapshots(clock);
  const l = listing(["1", "2", "3", "4"]);
  // A scan that skipped task 2 (a deletion shifted the pages) must not declare it gone.
  l.state.hideOnce = new Set(["2"]);
  expect((await s.find("k", l.scan, "1"))?.id).toBe("1");
  expect((await s.find("k", l.scan, "2"))?.id).toBe("2");
  expect(l.state.scans).toBe(2);
  l.state.ids = ["1", "2"];
  await clock.sleep(5_000);
  // Stale by now: a new burst of reads scans again, and two missing tasks cost one more scan.
  const gone = await Promise.all(["3", "4", "1"].map((id) => s.find("k", l.scan, id)));
  expect(gone.map((g) => g?.id)).toEqual([undefined, undefined, "1"]);
  expect(l.state.scans).toBe(4);
  // Missing from the last two scans: gone without another scan.
  expect(await s.find("k", l.scan, "9")).toBeUndefined();
  expect(l.state.scans).toBe(4);
});

test("keys are separate, and a write of this process drops the key's snapshot", async () => {
  const clock = new VirtualClock();
  const s = snapshots(clock);
  const a = listing(["1"]);
  const b = listing(["1"]);
  await s.peek("a", a.scan, "1");
  await s.peek("b", b.scan, "1");
  await s.peek("a", a.scan, "1");
  expect([a.state.scans, b.state.scans]).toEqual([1, 1]);
  s.invalidate("a");
  await s.peek("a", a.scan, "1");
  expect(a.state.scans).toBe(2);
});
