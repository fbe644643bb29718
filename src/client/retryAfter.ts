/**
 * The wait a `Retry-After` header asks for, in ms (RFC 9110 §10.2.3: delay
 * seconds or an HTTP date); undefined when absent or unreadable.
 */
export function retryAfterMs(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
