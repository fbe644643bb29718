import { MultistatusParseError } from './MultistatusParseError.ts';
import { parseXmlTree } from './parseXmlTree.ts';
import type { XmlElement } from './parseXmlTree.ts';

/** One `<D:response>` of a multistatus answer. */
export interface MultistatusEntry {
  /** The decoded path, e.g. `/actors/a b/v/`; absolute-URL hrefs (nephele) are reduced to it. */
  readonly href: string;
  /** The response's own status, else that of the propstat carrying its properties. */
  readonly status?: number;
  readonly isCollection: boolean;
  /** Exactly as the server sent it (`"x"` or `W/"x"`); quoted here when a server left it bare. */
  readonly etag?: string;
  readonly lastModified?: string;
  readonly contentLength?: number;
}

const DAV = 'DAV:';

/**
 * Parses a PROPFIND (or MOVE/COPY/DELETE) 207 Multi-Status body, matching elements by
 * namespace and local name, never by prefix. Properties come only from 2xx propstats: Apache
 * lists the ones it lacks, empty, under a 404 propstat.
 *
 * @throws {MultistatusParseError} on malformed XML or a root other than `DAV:multistatus`.
 */
export function parseMultistatus(xml: string): MultistatusEntry[] {
  let multistatus: XmlElement;
  try {
    multistatus = parseXmlTree(xml, [DAV]);
  } catch (cause) {
    throw new MultistatusParseError(
      `the multistatus body is not well-formed XML: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (!isDav(multistatus, 'multistatus')) {
    throw new MultistatusParseError(`expected a DAV: multistatus, got ${multistatus.name}`);
  }
  return davChildren(multistatus, 'response').map(toEntry);
}

function toEntry(response: XmlElement): MultistatusEntry {
  const href = davChild(response, 'href')?.text.trim();
  if (!href) throw new MultistatusParseError('a multistatus response has no href');
  const found = davChildren(response, 'propstat')
    .map((propstat) => ({ status: parseStatus(propstat), prop: davChild(propstat, 'prop') }))
    .filter(({ status }) => status === undefined || (status >= 200 && status < 300));
  const prop = (name: string) =>
    found.map((p) => p.prop && davChild(p.prop, name)).find((e) => e !== undefined);
  const text = (name: string) => prop(name)?.text.trim();

  const status = parseStatus(response) ?? found[0]?.status;
  const resourcetype = prop('resourcetype');
  const etag = text('getetag');
  const lastModified = text('getlastmodified');
  const contentLength = text('getcontentlength');
  return {
    href: hrefPath(href),
    ...(status === undefined ? {} : { status }),
    isCollection: resourcetype !== undefined && davChild(resourcetype, 'collection') !== undefined,
    ...(etag ? { etag: /^(W\/)?"/.test(etag) ? etag : `"${etag}"` } : {}),
    ...(lastModified ? { lastModified } : {}),
    ...(contentLength && /^\d+$/.test(contentLength)
      ? { contentLength: Number(contentLength) }
      : {}),
  };
}

function hrefPath(href: string): string {
  try {
    // The base only anchors relative hrefs; the origin is dropped either way.
    return decodeURIComponent(new URL(href, 'http://href.invalid/').pathname);
  } catch (error) {
    throw new MultistatusParseError(`a multistatus href is not a valid URL path: ${href}`, {
      cause: error,
    });
  }
}

/** The code in an element's `<D:status>` line, e.g. 412 from `HTTP/1.1 412 Precondition Failed`. */
function parseStatus(element: XmlElement): number | undefined {
  const code = /^\s*HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(davChild(element, 'status')?.text ?? '')?.[1];
  return code === undefined ? undefined : Number(code);
}

function isDav(element: XmlElement, localName: string): boolean {
  return element.name === `{${DAV}}${localName}`;
}

function davChildren(element: XmlElement, localName: string): XmlElement[] {
  return element.children.filter((child) => isDav(child, localName));
}

function davChild(element: XmlElement, localName: string): XmlElement | undefined {
  return element.children.find((child) => isDav(child, localName));
}
