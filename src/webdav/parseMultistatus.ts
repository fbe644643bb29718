import { parseXml } from '@rgrove/parse-xml';
import type { XmlElement } from '@rgrove/parse-xml';
import { MultistatusParseError } from './MultistatusParseError.ts';
import { resolveXmlNames } from './resolveXmlNames.ts';
import type { NamedElement } from './resolveXmlNames.ts';

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
  const multistatus = resolveXmlNames(parseRoot(xml));
  if (!isDav(multistatus, 'multistatus')) {
    throw new MultistatusParseError(
      `expected a DAV: multistatus, got {${multistatus.namespace}}${multistatus.localName}`,
    );
  }
  return davChildren(multistatus, 'response').map(toEntry);
}

function parseRoot(xml: string): XmlElement {
  let root: XmlElement | null;
  try {
    root = parseXml(xml).root;
  } catch (error) {
    throw new MultistatusParseError('the multistatus body is not well-formed XML', {
      cause: error,
    });
  }
  if (root === null) throw new MultistatusParseError('the multistatus body has no root element');
  return root;
}

function toEntry(response: NamedElement): MultistatusEntry {
  const hrefText = davChild(response, 'href')?.text.trim();
  if (!hrefText) throw new MultistatusParseError('a multistatus response has no href');
  const propstats = davChildren(response, 'propstat').map((propstat) => ({
    status: parseStatus(davChild(propstat, 'status')?.text),
    prop: davChild(propstat, 'prop'),
  }));
  const found = propstats.filter((p) => p.status === undefined || isSuccess(p.status));
  const prop = (name: string) =>
    found.map((p) => (p.prop ? davChild(p.prop, name) : undefined)).find((e) => e !== undefined);

  const status = parseStatus(davChild(response, 'status')?.text) ?? found[0]?.status;
  const resourcetype = prop('resourcetype');
  const etag = prop('getetag')?.text.trim();
  const lastModified = prop('getlastmodified')?.text.trim();
  const contentLength = prop('getcontentlength')?.text.trim();
  return {
    href: hrefPath(hrefText),
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

function parseStatus(line: string | undefined): number | undefined {
  const code = /^\s*HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(line ?? '')?.[1];
  return code === undefined ? undefined : Number(code);
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function isDav(element: NamedElement, localName: string): boolean {
  return element.namespace === DAV && element.localName === localName;
}

function davChildren(element: NamedElement, localName: string): NamedElement[] {
  return element.children.filter((child) => isDav(child, localName));
}

function davChild(element: NamedElement, localName: string): NamedElement | undefined {
  return element.children.find((child) => isDav(child, localName));
}
