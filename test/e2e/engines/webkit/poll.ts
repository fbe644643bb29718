/** How often conditions are re-checked from Node: each check is a WebDriver round trip (~5 ms). */
export const pollIntervalMs = 100;

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until it returns a value other than undefined, or throws
 * after `timeoutMs` (0 waits forever, as in Playwright). Polling from Node
 * rather than inside the page keeps each WebDriver command short, so other
 * pages of the same session are not starved while one waits.
 */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`Timeout ${timeoutMs}ms exceeded: ${what}`);
    await sleep(pollIntervalMs);
  }
}
