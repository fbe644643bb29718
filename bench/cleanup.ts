/** Things to stop if the run is interrupted (browsers, servers), newest first. */
const pending = new Set<() => Promise<void>>();

/** Registers `stop` until the returned function is called (after a normal stop). */
export function stopOnInterrupt(stop: () => Promise<void>): () => void {
  pending.add(stop);
  return () => pending.delete(stop);
}

/** On SIGINT or SIGTERM, stops everything registered, then exits. */
export function stopAllOnInterrupt(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping browsers and servers`);
      void Promise.allSettled([...pending].reverse().map((stop) => stop())).then(() =>
        process.exit(130),
      );
    });
  }
}
