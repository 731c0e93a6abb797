/**
 * State on disk: one JSON file written after each mutation and read at start, so an emulator
 * restarted on the same directory continues where it stopped (tasks, sources, tokens, clock).
 */
import * as fs from "fs";
import * as path from "path";

/** Bumped when the file layout changes incompatibly; other versions are ignored at load. */
export const STATE_FILE_VERSION = 1;

/** The file's content. */
export interface PersistedState {
  version: number;
  /** Emulator time minus wall time when saved. */
  clockOffsetMs: number;
  /** Each module's snapshot, by module name. */
  modules: Record<string, unknown>;
}

/** Reads and writes `<dataDir>/emulator-state.json`. */
export class StateFile {
  readonly file: string;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, "emulator-state.json");
  }

  /** The saved state, or undefined when there is none (or it is from another layout version). */
  load(): PersistedState | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return undefined;
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const s = parsed as Partial<PersistedState>;
    if (s.version !== STATE_FILE_VERSION || typeof s.modules !== "object" || s.modules === null)
      return undefined;
    return { version: s.version, clockOffsetMs: Number(s.clockOffsetMs) || 0, modules: s.modules };
  }

  /** Writes atomically (temp file + rename), so a crash never leaves half a file. */
  save(state: PersistedState): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state, null, 1));
    fs.renameSync(tmp, this.file);
  }
}
