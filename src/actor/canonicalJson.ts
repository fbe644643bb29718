/**
 * JSON with object keys sorted at every level, so equal states have equal
 * text on every device (their ETag is a hash of it). Throws a TypeError on
 * values JSON cannot carry faithfully (cycles, BigInt, functions at the top).
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = sortedJson(value);
  } catch (cause) {
    // The sorting replacer hands back fresh objects, which hides a cycle from JSON.stringify until the stack runs out.
    if (cause instanceof RangeError)
      throw new TypeError('The value is cyclic or nested too deeply', { cause });
    throw cause;
  }
  if (text === undefined) throw new TypeError('The value has no JSON form');
  return text;
}

function sortedJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
