/** The bytes of a PROPFIND Depth 1 answer for `url`, asked as the worker asks (one property). */
export async function listingBytes(url: string): Promise<{ bytes: number; entries: number }> {
  const response = await fetch(url, {
    method: 'PROPFIND',
    headers: { depth: '1', 'content-type': 'application/xml' },
    body: '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>',
  });
  const text = await response.text();
  if (response.status !== 207) throw new Error(`PROPFIND ${url}: ${response.status}`);
  return {
    bytes: Buffer.byteLength(text),
    entries: text.match(/<(?:\w+:)?response[\s>]/g)?.length ?? 0,
  };
}
