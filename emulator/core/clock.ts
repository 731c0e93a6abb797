/**
 * Emulator time: real elapsed time multiplied by a scale, plus manual advances. Lifecycles are
 * computed from it on each access, so a test that advances the clock sees the same states every
 * run.
 */
export class EmulatorClock {
  private anchorReal: number;
  private anchorEmu: number;

  /**
   * @param timeScale - emulator seconds per real second (1 = real time).
   * @param wall - the real clock, injectable for tests.
   */
  constructor(
    readonly timeScale: number = 1,
    private readonly wall: () => number = Date.now,
  ) {
    if (!(timeScale >= 0) || !Number.isFinite(timeScale))
      throw new Error(`timeScale must be >= 0, got ${timeScale}`);
    this.anchorReal = wall();
    this.anchorEmu = this.anchorReal;
  }

  /** Emulator time in epoch milliseconds. */
  now(): number {
    return Math.floor(this.anchorEmu + (this.wall() - this.anchorReal) * this.timeScale);
  }

  /** The real clock emulator time runs on, in epoch milliseconds. */
  wallNow(): number {
    return this.wall();
  }

  /** Emulator time as a Date. */
  date(): Date {
    return new Date(this.now());
  }

  /** Moves emulator time forward. */
  advance(seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds))
      throw new Error(`seconds must be a number >= 0, got ${seconds}`);
    this.anchorEmu += seconds * 1000;
  }

  /** How far emulator time is ahead of the wall clock, for persistence. */
  offsetMs(): number {
    return this.now() - this.wall();
  }

  /**
   * Continues from a saved offset. Real time spent while the emulator was down counts, as it
   * would for a cloud that kept running.
   */
  restoreOffset(offsetMs: number): void {
    this.anchorReal = this.wall();
    this.anchorEmu = this.anchorReal + offsetMs;
  }
}
