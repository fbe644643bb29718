import { createHash } from 'node:crypto';
import { parseXml, XmlElement } from '@rgrove/parse-xml';
import { versionName } from '../../../src/sync/remotePaths.ts';
import { applyDelta, decodeStored } from '../../../src/sync/storedVersion.ts';
import type { VersionFile } from '../../../src/sync/versionFile.ts';

/**
 * Reads a WebDAV remote from the test runner (Node), independently of the library: its own
 * PROPFIND parsing, by local name, so that a bug in the worker's parser cannot hide here. Only a
 * version's content is decoded with the library's format code (a delta needs its chain).
 */
export interface RemoteReader {
  /** The collection URL, ending in `/`. */
  readonly url: string;
  /** Sent with every request, e.g. `authorization` for a server with auth. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One child of a collection. */
export interface RemoteEntry {
  readonly name: string;
  readonly collection: boolean;
}

const propfindBody =
  '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>';

/** `Authorization: Basic` for these credentials. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** PROPFIND Depth 1: the children of `path` (relative to the remote), or undefined when it does not exist. */
export async function listRemote(
  remote: RemoteReader,
  path: string,
): Promise<RemoteEntry[] | undefined> {
  const url = new URL(path, remote.url);
  const response = await fetch(url, {
    method: 'PROPFIND',
    headers: { ...remote.headers, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
    body: propfindBody,
  });
  if (response.status === 404) return undefined;
  const text = await response.text();
  if (response.status !== 207) throw new Error(`PROPFIND ${url.href}: ${response.status} ${text}`);
  const own = trimSlash(decodeURIComponent(url.pathname));
  const entries: RemoteEntry[] = [];
  for (const entry of descendants(parseXml(text).root, 'response')) {
    const href = descendants(entry, 'href')[0]?.text.trim() ?? '';
    const path = trimSlash(decodeURIComponent(new URL(href, url).pathname));
    if (path === own) continue;
    if (!path.startsWith(`${own}/`)) throw new Error(`PROPFIND ${url.href} listed ${href}`);
    entries.push({
      name: path.slice(own.length + 1),
      collection: descendants(entry, 'collection').length > 0,
    });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** GET: the body text, or undefined for 404. */
export async function readRemote(remote: RemoteReader, path: string): Promise<string | undefined> {
  const url = new URL(path, remote.url);
  const response = await fetch(url, { headers: { ...remote.headers }, cache: 'no-store' });
  if (response.status === 404) return undefined;
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url.href}: ${response.status} ${text}`);
  return text;
}

/** `{deviceId}.{first}-{last}.{hash8}.json` (DESIGN.md §5). */
export const segmentPattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d+)-(\d+)\.([0-9a-f]{8})\.json$/;

/** A log segment on the remote, as its name and content say. */
export interface RemoteSegment {
  readonly name: string;
  readonly deviceId: string;
  readonly first: number;
  readonly last: number;
  readonly hash8: string;
  readonly body: string;
}

/** Everything the remote holds for one actor, read file by file. */
export interface ActorFiles {
  /** Names directly under `{actor}/`. */
  readonly top: RemoteEntry[];
  /** Every name under `log/`, whether or not it is a segment. */
  readonly logNames: string[];
  readonly segments: RemoteSegment[];
  /** Every name under `v/`, with what each folder holds. */
  readonly versionFolders: { name: string; collection: boolean; children: RemoteEntry[] }[];
  /** The claimed versions in order, parsed from `v/{n}/state.json`. */
  readonly versions: VersionFile[];
  /** Names under `staging/`, or undefined when there is no such collection. */
  readonly staging: string[] | undefined;
}

/** Reads an actor's whole collection: one PROPFIND per folder, then every file in it. */
export async function readActorFiles(remote: RemoteReader, actor: string): Promise<ActorFiles> {
  const base = `${encodeURIComponent(actor)}/`;
  const top = (await listRemote(remote, base)) ?? [];
  const logNames = ((await listRemote(remote, `${base}log/`)) ?? []).map((entry) => entry.name);
  const segments: RemoteSegment[] = [];
  for (const name of logNames) {
    const match = segmentPattern.exec(name);
    if (match === null) continue;
    const body = (await readRemote(remote, `${base}log/${encodeURIComponent(name)}`)) ?? '';
    segments.push({
      name,
      deviceId: match[1] ?? '',
      first: Number(match[2]),
      last: Number(match[3]),
      hash8: match[4] ?? '',
      body,
    });
  }
  const versionFolders = [];
  const versions: VersionFile[] = [];
  for (const entry of (await listRemote(remote, `${base}v/`)) ?? []) {
    const children = entry.collection
      ? ((await listRemote(remote, `${base}v/${entry.name}/`)) ?? [])
      : [];
    versionFolders.push({ ...entry, children });
    const body = entry.collection
      ? await readRemote(remote, `${base}v/${entry.name}/state.json`)
      : undefined;
    if (body === undefined) continue;
    versions.push(materialise(Number(entry.name), body, versions.at(-1)));
  }
  versions.sort((a, b) => a.version - b.version);
  const staging = (await listRemote(remote, `${base}staging/`))?.map((entry) => entry.name);
  return { top, logNames, segments, versionFolders, versions, staging };
}

/**
 * The head version (highest `n` under `v/`, by PROPFIND) as its content: a checkpoint, or the
 * checkpoint its chain starts from with the deltas applied; undefined when none is claimed.
 */
export async function readHead(
  remote: RemoteReader,
  actor: string,
): Promise<VersionFile | undefined> {
  const base = `${encodeURIComponent(actor)}/v/`;
  const numbers = ((await listRemote(remote, base)) ?? [])
    .filter((entry) => /^\d{12}$/.test(entry.name))
    .map((entry) => Number(entry.name))
    .sort((a, b) => a - b);
  const head = numbers.at(-1);
  if (head === undefined) return undefined;
  const read = async (n: number) => {
    const body = await readRemote(remote, `${base}${versionName(n)}/state.json`);
    if (body === undefined) throw new Error(`${base}${versionName(n)}/ has no state.json`);
    return body;
  };
  const headBody = await read(head);
  const stored = decodeStored(head, headBody);
  if (stored.kind === 'checkpoint') return stored.version;
  let version: VersionFile | undefined;
  for (let n = stored.file.base; n < head; n++) version = materialise(n, await read(n), version);
  return materialise(head, headBody, version);
}

/** Version `n`'s content from its file and, for a delta, its parent's content. */
export function materialise(n: number, body: string, parent: VersionFile | undefined): VersionFile {
  const stored = decodeStored(n, body);
  if (stored.kind === 'checkpoint') return stored.version;
  if (parent === undefined) throw new Error(`version ${n} is a delta without its parent`);
  return applyDelta(parent, stored.file, stored.bytes);
}

/** The first 8 hex digits of the SHA-256 of a text (a segment's `hash8`). */
export function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function descendants(element: XmlElement | null, localName: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (const child of node.children) {
      if (!(child instanceof XmlElement)) continue;
      if (child.name === localName || child.name.endsWith(`:${localName}`)) found.push(child);
      walk(child);
    }
  };
  if (element !== null) walk(element);
  return found;
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
