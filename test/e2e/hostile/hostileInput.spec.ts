import { expect, test } from '../support/fixtures.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { dumpDatabase } from '../support/database.ts';
import { SyncDevice } from '../support/syncDevice.ts';
import { diskFiles } from './diskFiles.ts';
import { sendRaw, utf8, type RawRequest } from './sendRaw.ts';

// Hostile requests against a worker that syncs to a real WebDAV server (embedded): each gets its
// documented problem+json answer (src/errors/problemCodes.ts, DESIGN.md §2), nothing changes in
// IndexedDB, and no file appears on the server's disk (DESIGN.md §7).

const name = 'hostile-input';
const p = `/${name}/actors/`;
const key = (value: string) => ({ 'idempotency-key': JSON.stringify(value) });
const json = { 'content-type': 'application/json' };
const task = (path: string, headers: Record<string, string> = key('k-1')): RawRequest => ({
  method: 'PUT',
  path,
  headers: { ...json, ...headers },
  text: '{"n":1}',
});
const body = (resource: 'tasks' | 'execute', text: string): RawRequest => ({
  method: resource === 'tasks' ? 'PUT' : 'POST',
  path: `${p}victim/${resource}`,
  headers: { ...json, ...key('k-body') },
  text,
});
const bytes = (raw: number[], contentType = 'application/json'): RawRequest => ({
  method: 'PUT',
  path: `${p}victim/tasks`,
  headers: { 'content-type': contentType, ...key('k-bytes') },
  bytes: raw,
});
const method = (verb: string, path: string): RawRequest => ({
  method: verb,
  path,
  headers: { ...json, ...key('k-method') },
  // Fetch refuses a body on GET and HEAD.
  ...(verb === 'GET' || verb === 'HEAD' ? {} : { text: '{}' }),
});

interface HostileCase {
  readonly why: string;
  readonly request: RawRequest;
  readonly status: number;
  readonly code: string;
  /** The `Allow` header of a 405. */
  readonly allow?: string;
}

const cases: HostileCase[] = [
  // Actor ids: only [A-Za-z0-9._~-]{1,128} starting with a letter or digit, checked before decoding.
  ...[
    ['percent-encoded slash', 'a%2Fb'],
    ['encoded traversal', 'a%2F..%2F..%2Fetc'],
    ['encoded dots and slash', '%2E%2E%2Fx'],
    ['double-encoded slash', 'a%252Fb'],
    ['leading dot', '.hidden'],
    ['leading dash', '-x'],
    ['leading tilde', '~x'],
    ['NUL', 'a%00b'],
    ['non-ASCII (UTF-8 é)', '%C3%A9t%C3%A9'],
    ['space', 'a%20b'],
    ['encoded backslash', 'a%5Cb'],
    ['129 characters', 'a'.repeat(129)],
    ['empty', ''],
  ].map(([why = '', id = '']): HostileCase => ({
    why: `actor id: ${why}`,
    request: task(`${p}${id}/tasks`),
    status: 400,
    code: 'invalid-actor-id',
  })),
  {
    why: 'actor id: encoded dot-dot on a read',
    request: { method: 'GET', path: `${p}%2e%2e%2f%2e%2e/state` },
    status: 400,
    code: 'invalid-actor-id',
  },
  // Keys: 1-255 visible ASCII, an RFC 8941 string or a bare token, header and query agreeing.
  { why: 'key: missing', request: task(`${p}victim/tasks`, {}), status: 400, code: 'key-missing' },
  ...[
    ['empty string', '""'],
    ['256 characters', `"${'k'.repeat(256)}"`],
    ['space inside', '"a b"'],
    ['Latin-1 é', '"caf\u00e9"'],
    ['unterminated', '"abc'],
    ['bad escape', '"a\\qb"'],
    ['parameters after it', '"abc";p=1'],
    ['a list', 'a,b'],
    ['the key "."', '"."'],
    ['the key ".."', '".."'],
  ].map(([why = '', value = '']): HostileCase => ({
    why: `key header: ${why}`,
    request: task(`${p}victim/tasks`, { 'idempotency-key': value }),
    status: 400,
    code: 'key-malformed',
  })),
  {
    why: 'key query: NUL',
    request: task(`${p}victim/tasks?Idempotency-Key=%00`, {}),
    status: 400,
    code: 'key-malformed',
  },
  {
    why: 'key query: non-ASCII €',
    request: task(`${p}victim/tasks?Idempotency-Key=%E2%82%AC`, {}),
    status: 400,
    code: 'key-malformed',
  },
  {
    why: 'key query: given twice, different',
    request: task(`${p}victim/tasks?Idempotency-Key=a&Idempotency-Key=b`, {}),
    status: 400,
    code: 'key-conflict',
  },
  {
    why: 'key: header and query differ',
    request: task(`${p}victim/tasks?Idempotency-Key=b`, key('a')),
    status: 400,
    code: 'key-conflict',
  },
  ...[
    ['invalid UTF-8 escape', '%FF'],
    ['broken escape', '%ZZ'],
    ['NUL', '%00'],
    ['256 characters', 'k'.repeat(256)],
  ].map(([why = '', raw = '']): HostileCase => ({
    why: `receipt key in the path: ${why}`,
    request: { method: 'GET', path: `${p}victim/tasks/${raw}` },
    status: 400,
    code: 'key-malformed',
  })),
  // Headers.
  ...[
    ['text/plain', 'text/plain'],
    ['text/html', 'text/html'],
    ['a Latin-1 charset', 'application/json; charset=iso-8859-1'],
    ['a look-alike type', 'application/jsonx'],
    ['a list of types', 'application/json, text/html'],
  ].map(([why = '', type = '']): HostileCase => ({
    why: `Content-Type: ${why}`,
    request: task(`${p}victim/tasks`, { ...key('k-type'), 'content-type': type }),
    status: 415,
    code: 'unsupported-media-type',
  })),
  {
    why: 'Content-Type: none (a byte body)',
    request: { method: 'PUT', path: `${p}victim/tasks`, headers: key('k-none'), bytes: utf8('{}') },
    status: 415,
    code: 'unsupported-media-type',
  },
  {
    why: 'If-Match: an ETag that never was',
    request: {
      method: 'PUT',
      path: `${p}victim/state`,
      headers: { ...json, ...key('k-if'), 'if-match': '"0000"' },
      text: '{"owned":true}',
    },
    status: 412,
    code: 'precondition-failed',
  },
  // Bodies.
  {
    why: 'body: truncated JSON',
    request: body('tasks', '{"a":'),
    status: 400,
    code: 'invalid-json',
  },
  { why: 'body: empty', request: body('tasks', ''), status: 400, code: 'invalid-json' },
  {
    why: 'body: trailing garbage',
    request: body('tasks', '{} x'),
    status: 400,
    code: 'invalid-json',
  },
  { why: 'body: NaN', request: body('tasks', '{"a":NaN}'), status: 400, code: 'invalid-json' },
  ...['[]', 'null', '"text"', '42', 'true'].map((text): HostileCase => ({
    why: `body: not an object (${text})`,
    request: body('tasks', text),
    status: 400,
    code: 'body-not-object',
  })),
  {
    why: 'body: 100 levels deep',
    request: { ...body('tasks', ''), nest: 100 },
    status: 400,
    code: 'body-too-deep',
  },
  {
    why: 'body: 100 000 levels deep',
    request: { ...body('tasks', ''), nest: 100_000 },
    status: 400,
    code: 'body-too-deep',
  },
  {
    why: 'body: 1 MiB + 1 byte',
    request: { ...body('tasks', ''), padTo: 1024 * 1024 + 1 },
    status: 413,
    code: 'body-too-large',
  },
  {
    why: 'body: invalid UTF-8 byte 0xFF',
    request: bytes([...utf8('{"a":"'), 0xff, ...utf8('"}')]),
    status: 400,
    code: 'invalid-json',
  },
  {
    why: 'body: overlong UTF-8 for "/"',
    request: bytes([...utf8('{"a":"'), 0xc0, 0xaf, ...utf8('"}')]),
    status: 400,
    code: 'invalid-json',
  },
  {
    why: 'body: UTF-8-encoded surrogate',
    request: bytes([...utf8('{"a":"'), 0xed, 0xa0, 0x80, ...utf8('"}')]),
    status: 400,
    code: 'invalid-json',
  },
  {
    why: 'body: UTF-16LE with its BOM',
    request: bytes([0xff, 0xfe, ...[...'{}'].flatMap((char) => [char.charCodeAt(0), 0])]),
    status: 400,
    code: 'invalid-json',
  },
  {
    why: 'body: two UTF-8 BOMs',
    request: bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...utf8('{}')]),
    status: 400,
    code: 'invalid-json',
  },
  // Commands: only own, registered names; never a prototype member or a built-in message type.
  {
    why: 'execute: no type',
    request: body('execute', '{}'),
    status: 400,
    code: 'command-type-missing',
  },
  {
    why: 'execute: a number type',
    request: body('execute', '{"type":7}'),
    status: 400,
    code: 'command-type-missing',
  },
  ...['__proto__', 'constructor', 'toString', 'hasOwnProperty', '@task', '@state'].map(
    (type): HostileCase => ({
      why: `execute: type ${type}`,
      request: body('execute', JSON.stringify({ type })),
      status: 404,
      code: 'unknown-command',
    }),
  ),
  // Methods.
  ...[
    ['DELETE', `${p}victim/state`, 'GET, HEAD, PUT'],
    ['POST', `${p}victim/state`, 'GET, HEAD, PUT'],
    ['PATCH', `${p}victim/tasks`, 'PUT'],
    ['patch', `${p}victim/tasks`, 'PUT'],
    ['POST', `${p}victim/tasks`, 'PUT'],
    ['GET', `${p}victim/execute`, 'POST'],
    ['PUT', `${p}victim/status`, 'GET, HEAD'],
    ['PROPFIND', `${p}victim/state`, 'GET, HEAD, PUT'],
    ['MOVE', `${p}victim/tasks`, 'PUT'],
    ['OPTIONS', `${p}victim/tasks`, 'PUT'],
    ['PUT', `${p}victim/tasks/k-1`, 'GET, HEAD'],
    ['DELETE', `${p}victim/tasks/k-1`, 'GET, HEAD'],
  ].map(([verb = '', path = '', allow = '']): HostileCase => ({
    why: `method: ${verb} ${path.slice(p.length)}`,
    request: method(verb, path),
    status: 405,
    code: 'method-not-allowed',
    allow,
  })),
  // Paths.
  ...[
    ['an unknown resource', 'victim/secrets'],
    ['a trailing slash', 'victim/state/'],
    ['no resource', 'victim'],
    ['a key with a sub-path', 'victim/tasks/a/b'],
    ['a backslash (URL parsing makes it a slash)', 'victim\\secrets'],
  ].map(([why = '', rest = '']): HostileCase => ({
    why: `path: ${why}`,
    request: { method: 'GET', path: `${p}${rest}` },
    status: 404,
    code: 'invalid-path',
  })),
  {
    why: 'path: a receipt key that climbs out (..%2F..%2Fv) is only a key',
    request: { method: 'GET', path: `${p}victim/tasks/..%2F..%2Fv%2F000000000001` },
    status: 404,
    code: 'receipt-not-found',
  },
];

test.describe.configure({ mode: 'serial' });

let server: WebdavServer;
let device: SyncDevice;

test.beforeAll(async ({ browser }) => {
  server = await startWebdavServer('embedded');
  device = await SyncDevice.open(browser, { name, remote: server.url, confirm: 3000 });
  // One real message first, so every store has rows and the actor has files on the remote.
  const first = await device.putTask('victim', 'k-first');
  expect([201, 202], first.text).toContain(first.status);
  await device.waitUntilSynced('victim');
  expect((await device.status('victim')).remote?.probe).toBe('passed');
});

test.afterAll(async () => {
  await device.close();
  await server.stop();
});

test(`${cases.length} hostile requests: each its problem+json, nothing stored, nothing on disk`, async () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  const dumpBefore = await dumpDatabase(device.page);
  const filesBefore = await diskFiles(server.dataDir);
  expect(filesBefore).toContain('victim/v/000000000001/state.json');

  for (const hostile of cases) {
    const answer = await sendRaw(device.page, hostile.request);
    expect.soft(answer.status, `${hostile.why}: ${answer.text}`).toBe(hostile.status);
    expect.soft(answer.headers['content-type'], hostile.why).toBe('application/problem+json');
    expect.soft(answer.json, hostile.why).toMatchObject({
      status: hostile.status,
      code: hostile.code,
      type: `urn:actordav:problem:${hostile.code}`,
    });
    if (hostile.allow !== undefined) {
      expect.soft(answer.headers['allow'], hostile.why).toBe(hostile.allow);
    }
  }

  // A rejected request never reaches the mailbox: it stores nothing and syncs nothing.
  const status = await device.status('victim');
  expect(status).toMatchObject({ pending: 0, lastError: null, seq: 1 });
  expect(await dumpDatabase(device.page)).toEqual(dumpBefore);
  expect(await diskFiles(server.dataDir)).toEqual(filesBefore);
});

test('odd but valid actor ids keep their files inside their own collection on disk', async () => {
  const ids = ['a..', 'A~._-z', '0', 'x'.repeat(128), 'con.json', 'v'];
  const filesBefore = await diskFiles(server.dataDir);
  for (const id of ids) {
    const answer = await device.putTask(id, 'k-odd');
    expect([201, 202], `${id}: ${answer.text}`).toContain(answer.status);
  }
  for (const id of ids) await device.waitUntilSynced(id);
  const added = (await diskFiles(server.dataDir)).filter((file) => !filesBefore.includes(file));
  for (const id of ids) {
    expect(added, id).toContain(`${id}/v/000000000001/state.json`);
  }
  const outside = added.filter((file) => !ids.some((id) => file.startsWith(`${id}/`)));
  expect(outside).toEqual([]);
  // Nothing was written into another actor's collection either.
  expect(added.filter((file) => file.startsWith('victim/'))).toEqual([]);
});
