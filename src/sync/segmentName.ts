/** What a log segment's file name says: whose messages, which seq range, which content. */
export interface SegmentName {
  name: string;
  deviceId: string;
  first: number;
  last: number;
  hash8: string;
}

const pattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,15})-(\d{1,15})\.([0-9a-f]{8})\.json$/;

/** `{deviceId}.{firstSeq}-{lastSeq}.{hash8}.json`, or undefined for a name that is not a segment. */
export function parseSegmentName(name: string): SegmentName | undefined {
  const match = pattern.exec(name);
  if (match === null) return undefined;
  const [, deviceId = '', first = '', last = '', hash8 = ''] = match;
  const range = { first: Number(first), last: Number(last) };
  if (range.first < 1 || range.last < range.first) return undefined;
  return { name, deviceId, ...range, hash8 };
}

export function segmentName(deviceId: string, first: number, last: number, hash8: string): string {
  return `${deviceId}.${first}-${last}.${hash8}.json`;
}
