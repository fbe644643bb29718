import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The wrapper that starts Debian's Chromium under libfaketime with an offset read from a file. */
export const movableClockChromiumPath = fileURLToPath(
  new URL('./movableClockChromium', import.meta.url),
);

/**
 * The wall clock of a device that is wrong by `offsetMs` (DESIGN.md §6b: a device whose clock
 * is off by months), and that the runner can move forward while the browser runs: libfaketime
 * reads the offset from a file again every second. Moving it forward is how the run lets the
 * device's own time pass (a failed remote verdict is re-checked 10 minutes later by the
 * device's clock) without waiting for it.
 */
export class MovableClock {
  readonly file: string;
  #offsetMs: number;

  constructor(file: string, offsetMs: number) {
    this.file = file;
    this.#offsetMs = offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Writes the offset; call once before the browser starts. */
  async write(): Promise<void> {
    const seconds = Math.round(this.#offsetMs / 1000);
    await writeFile(this.file, `${seconds >= 0 ? '+' : ''}${seconds}\n`);
  }

  /** Moves the device's clock forward by `ms`; every process of the browser sees it within ~1 s. */
  async advance(ms: number): Promise<void> {
    this.#offsetMs += ms;
    await this.write();
  }

  /** What Playwright's launch needs to start Chromium on this clock. */
  launchOptions(): { executablePath: string; env: Record<string, string> } {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return {
      executablePath: movableClockChromiumPath,
      env: { ...env, CHAOS_CLOCK_FILE: this.file },
    };
  }
}
