/**
 * Shared list snapshots. MSE has no call that reads one task, so a read is a list scan; a
 * refresh of N tasks that scanned once per task would cost N scans (N x N/page calls with one
 * source name). Here every read of one endpoint, region and credentials shares one scan: one
 * scan in flight at a time, pages of the largest size the service allows. SMS reads through
 * them too, since its list items carry every field its read needs.
 *
 * Offset paging is not atomic: a task deleted while a scan pages shifts later tasks one place
 * forward, and one of them may be skipped. So a task is declared gone only when it is missing
 * from two scans, the second begun after the first ended: at most one fresh scan settles any
 * number of missing tasks.
 *
 * A snapshot serves one burst of reads (a refresh): it is dropped once no read has used it for
 * `idleMs`, once it is `maxAgeMs` old, and whenever this process changes a task of its key.
 */
import type { Clock } from "./clock";

/** Every item of a full, unfiltered listing, fetched page by page. */
export type FullScan<T> = () => AsyncIterable<T>;

interface Scan<T> {
  /** Order of the scan among this key's scans. */
  n: number;
  startedAt: number;
  endedAt?: number;
  /** When a read last used it: a snapshot serves one burst of reads, not reads long after. */
  usedAt: number;
  items: Promise<Map<string, T>>;
}

interface KeyState<T> {
  inflight?: Scan<T>;
  /** Completed scans, newest first (two are kept). */
  done: { scan: Scan<T>; items: Map<string, T> }[];
  count: number;
}

/** Counters of the snapshots, for logs and measurements. */
export interface SnapshotStats {
  scans: number;
}

/** The snapshots of one process, by endpoint, region and credentials. */
export class ListSnapshots<T> {
  private states = new Map<string, KeyState<T>>();
  private scans = 0;

  /**
   * @param idOf - an item's id.
   * @param clock - the time snapshots age by.
   * @param maxAgeMs - a snapshot older than this is not used.
   * @param idleMs - a snapshot no read used for this long is not used.
   */
  constructor(
    private readonly idOf: (item: T) => string,
    private readonly clock: Clock,
    private readonly maxAgeMs = 60_000,
    private readonly idleMs = 1_000,
  ) {}

  stats(): SnapshotStats {
    return { scans: this.scans };
  }

  /** The item as the newest usable snapshot has it (one scan at most); undefined when it lacks it. */
  async peek(key: string, scan: FullScan<T>, id: string): Promise<T | undefined> {
    return (await this.usable(this.state(key), scan)).get(id);
  }

  /** The item as the newest usable snapshot has it, or undefined once two scans lack it. */
  async find(key: string, scan: FullScan<T>, id: string): Promise<T | undefined> {
    const s = this.state(key);
    const hit = (await this.usable(s, scan)).get(id);
    if (hit) return hit;
    // Missing: gone if a fresh scan begun after an earlier one ended lacks it too.
    const [latest, previous] = s.done;
    if (
      latest &&
      previous &&
      this.clock.now() - previous.scan.startedAt <= this.maxAgeMs &&
      !latest.items.has(id) &&
      !previous.items.has(id) &&
      latest.scan.startedAt >= (previous.scan.endedAt ?? Infinity)
    ) {
      return undefined;
    }
    const endedBefore = latest?.scan.endedAt ?? -Infinity;
    const confirm = s.inflight && s.inflight.startedAt >= endedBefore ? s.inflight : this.start(s, scan);
    return (await confirm.items).get(id);
  }

  private async usable(s: KeyState<T>, scan: FullScan<T>): Promise<Map<string, T>> {
    const ready = s.done.find((d) => this.fresh(d.scan));
    if (ready) {
      ready.scan.usedAt = this.clock.now();
      return ready.items;
    }
    return (s.inflight ?? this.start(s, scan)).items;
  }

  /** Drops the key's snapshots: this process changed one of its items. */
  invalidate(key: string): void {
    const s = this.states.get(key);
    if (s) s.done = [];
  }

  /** Forgets everything. */
  clear(): void {
    this.states.clear();
    this.scans = 0;
  }

  private fresh(scan: Scan<T>): boolean {
    const now = this.clock.now();
    return now - scan.startedAt <= this.maxAgeMs && now - scan.usedAt <= this.idleMs;
  }

  private state(key: string): KeyState<T> {
    let s = this.states.get(key);
    if (!s) {
      s = { done: [], count: 0 };
      this.states.set(key, s);
    }
    return s;
  }

  private start(s: KeyState<T>, full: FullScan<T>): Scan<T> {
    this.scans++;
    const now = this.clock.now();
    const scan: Scan<T> = { n: ++s.count, startedAt: now, usedAt: now, items: Promise.resolve(new Map()) };
    scan.items = (async () => {
      try {
        const items = new Map<string, T>();
        for await (const t of full()) items.set(this.idOf(t), t);
        scan.endedAt = this.clock.now();
        scan.usedAt = scan.endedAt;
        s.done = [{ scan, items }, ...s.done].slice(0, 2);
        return items;
      } finally {
        if (s.inflight === scan) s.inflight = undefined;
      }
    })();
    s.inflight = scan;
    return scan;
  }
}
