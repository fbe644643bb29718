/** How the remote's task logs compare with the serial oracle (every unique key exactly once). */
export interface OracleCheck {
  /** Keys sent (and accepted) that no head holds: `actor/key`. */
  readonly lost: string[];
  /** Keys a head holds more than once: `actor/key ×n`. */
  readonly doubled: string[];
  /** Keys a head holds that nobody sent to that actor. */
  readonly unknown: string[];
}

/** Compares each actor's head task keys (in log order) with the keys sent to it. */
export function checkOracle(
  oracle: ReadonlyMap<string, ReadonlySet<string>>,
  heads: ReadonlyMap<string, readonly string[]>,
): OracleCheck {
  const lost: string[] = [];
  const doubled: string[] = [];
  const unknown: string[] = [];
  for (const [actor, keys] of oracle) {
    const counts = new Map<string, number>();
    for (const key of heads.get(actor) ?? []) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const key of keys) if (!counts.has(key)) lost.push(`${actor}/${key}`);
    for (const [key, count] of counts) {
      if (count > 1) doubled.push(`${actor}/${key} ×${count}`);
      if (!keys.has(key)) unknown.push(`${actor}/${key}`);
    }
  }
  return { lost, doubled, unknown };
}
