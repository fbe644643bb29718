import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseMultistatus } from '../../../src/webdav/parseMultistatus.ts';
import { MultistatusParseError } from '../../../src/webdav/MultistatusParseError.ts';

// Real PROPFIND Depth 1 answers on /actor-1/ holding v/ and "notes 1 é.json", captured from
// each server with the props the sync engine asks for.
const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}-depth1.xml`, import.meta.url), 'utf8');
const modified = 'Wed, 25 Nov 2026 08:58:08 GMT';
const file = '/actor-1/notes 1 é.json';

function parseError(xml: string): MultistatusParseError {
  try {
    parseMultistatus(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(MultistatusParseError);
    expect((error as Error).name).toBe('MultistatusParseError');
    return error as MultistatusParseError;
  }
  throw new Error('expected a MultistatusParseError');
}

describe('parseMultistatus', () => {
  it('reads lighttpd (D: prefix, strong ETags, directory sizes)', () => {
    expect(parseMultistatus(fixture('lighttpd'))).toEqual([
      {
        href: '/actor-1/',
        status: 200,
        isCollection: true,
        etag: '"3867617993"',
        lastModified: modified,
        contentLength: 4096,
      },
      {
        href: '/actor-1/v/',
        status: 200,
        isCollection: true,
        etag: '"418851550"',
        lastModified: modified,
        contentLength: 4096,
      },
      {
        href: file,
        status: 200,
        isCollection: false,
        etag: '"4266339016"',
        lastModified: modified,
        contentLength: 25,
      },
    ]);
  });

  it('reads Apache (lp1: and g0: prefixes, weak ETags, a 404 propstat)', () => {
    expect(parseMultistatus(fixture('apache'))).toEqual([
      {
        href: '/actor-1/',
        status: 200,
        isCollection: true,
        etag: 'W/"1000-661160698ad6a"',
        lastModified: modified,
      },
      {
        href: '/actor-1/v/',
        status: 200,
        isCollection: true,
        etag: 'W/"1000-6611606989dca"',
        lastModified: modified,
      },
      {
        href: file,
        status: 200,
        isCollection: false,
        etag: 'W/"19-661160698ad6a"',
        lastModified: modified,
        contentLength: 25,
      },
    ]);
  });

  it('reads nephele (default namespace, absolute hrefs, unquoted ETags)', () => {
    expect(parseMultistatus(fixture('embedded'))).toEqual([
      {
        href: '/actor-1/',
        status: 200,
        isCollection: true,
        etag: '"48318791"',
        lastModified: modified,
        contentLength: 0,
      },
      {
        href: file,
        status: 200,
        isCollection: false,
        etag: '"e17f96a0"',
        lastModified: modified,
        contentLength: 25,
      },
      {
        href: '/actor-1/v/',
        status: 200,
        isCollection: true,
        etag: '"-7fe5508b"',
        lastModified: modified,
        contentLength: 0,
      },
    ]);
  });

  it('matches the DAV: namespace, not a prefix', () => {
    const xml = `<?xml version="1.0"?>
      <x:multistatus xmlns:x="DAV:" xmlns:D="urn:not-dav">
        <x:response xmlns="DAV:">
          <D:href>/wrong/</D:href>
          <href>/a/</href>
          <propstat><prop><resourcetype><collection/></resourcetype></prop>
            <status>HTTP/1.1 200 OK</status></propstat>
        </x:response>
      </x:multistatus>`;
    expect(parseMultistatus(xml)).toEqual([{ href: '/a/', status: 200, isCollection: true }]);
    expect(parseError('<D:multistatus xmlns:D="urn:not-dav"/>').message).toMatch(/multistatus/);
  });

  it('decodes percent-encoded hrefs, relative or absolute, in either case', () => {
    const xml = `<multistatus xmlns="DAV:">
      <response><href>/a%20b/%c3%a9%2Bx.json</href></response>
      <response><href>https://dav.example/r/%E2%82%AC%20/</href></response>
    </multistatus>`;
    expect(parseMultistatus(xml).map((entry) => entry.href)).toEqual(['/a b/é+x.json', '/r/€ /']);
  });

  it('reports a response-level status, as in a losing MOVE', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
      <D:multistatus xmlns:D="DAV:"><D:response><D:href>/m2/</D:href>
      <D:status>HTTP/1.1 412 Precondition Failed</D:status></D:response></D:multistatus>`;
    expect(parseMultistatus(xml)).toEqual([{ href: '/m2/', status: 412, isCollection: false }]);
  });

  it('throws on broken XML, keeping the parser error as cause', () => {
    const error = parseError('<D:multistatus xmlns:D="DAV:"><D:response>');
    expect(error.message).toMatch(/well-formed/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('throws on a foreign root element', () => {
    expect(parseError('<html><body>502 Bad Gateway</body></html>').message).toMatch(
      /expected a DAV: multistatus/,
    );
  });

  it('throws on an undeclared prefix', () => {
    expect(parseError('<D:multistatus/>').message).toMatch(/missing namespace on <D:multistatus>/);
  });
});
