import type { StatusCounts } from '../app/benchApi.ts';

/** Throws unless every answer had the expected status: a benchmark of errors measures nothing. */
export function checkStatuses(what: string, seen: StatusCounts, expected: StatusCounts): void {
  const names = new Set([...Object.keys(seen), ...Object.keys(expected)]);
  for (const name of names) {
    if ((seen[name] ?? 0) !== (expected[name] ?? 0)) {
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(seen)}`);
    }
  }
}

/** Runs `a` and `b` one after the other, `b` first on odd turns, so drift hurts neither side. */
export async function alternate<A, B>(
  turn: number,
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<[A, B]> {
  if (turn % 2 === 0) {
    const first = await a();
    return [first, await b()];
  }
  const second = await b();
  return [await a(), second];
}
