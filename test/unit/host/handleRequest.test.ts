import '../setup.ts';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/actor/canonicalJson.ts';
import { stateEtag } from '../../../src/actor/stateEtag.ts';
import type { ProblemCode } from '../../../src/errors/problemCodes.ts';
import { dumpStores } from '../support/database.ts';
import { testCommands, testHost } from '../support/host.ts';
import { json, snapshot, type SendOptions } from '../support/requests.ts';

const emptyEtag = () => stateEtag(canonicalJson({}));

describe('refusals before acceptance', () => {
  const big = { note: 'x'.repeat(100) };
  const cases: [string, string, string, SendOptions, number, ProblemCode][] = [
    ['no key', 'PUT', '/actors/a/tasks', { body: {} }, 400, 'key-missing'],
    [
      'an unterminated key',
      'PUT',
      '/actors/a/tasks',
      { body: {}, headers: { 'idempotency-key': '"k' } },
      400,
      'key-malformed',
    ],
    [
      'header and query keys that differ',
      'PUT',
      '/actors/a/tasks?Idempotency-Key=j',
      { key: 'k', body: {} },
      400,
      'key-conflict',
    ],
    [
      'a body that is not JSON',
      'PUT',
      '/actors/a/tasks',
      { key: 'k', body: '{oops', headers: { 'content-type': 'application/json' } },
      400,
      'invalid-json',
    ],
    [
      'a text/plain body',
      'PUT',
      '/actors/a/tasks',
      { key: 'k', body: '{}', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported-media-type',
    ],
    [
      'a body over maxBodyBytes',
      'PUT',
      '/actors/a/tasks',
      { key: 'k', body: big },
      413,
      'body-too-large',
    ],
    ['an array body', 'PUT', '/actors/a/tasks', { key: 'k', body: [1] }, 400, 'body-not-object'],
    [
      'an unknown command',
      'POST',
      '/actors/a/execute',
      { key: 'k', body: { type: 'nope' } },
      404,
      'unknown-command',
    ],
    [
      'a command without type',
      'POST',
      '/actors/a/execute',
      { key: 'k', body: { value: 1 } },
      400,
      'command-type-missing',
    ],
    [
      'an If-Match that does not match',
      'PUT',
      '/actors/a/state',
      { key: 'k', body: {}, headers: { 'if-match': '"stale"' } },
      412,
      'precondition-failed',
    ],
    ['a bad actor id', 'PUT', '/actors/.a/tasks', { key: 'k', body: {} }, 400, 'invalid-actor-id'],
    [
      'an escaped slash in the id',
      'PUT',
      '/actors/a%2Fb/tasks',
      { key: 'k', body: {} },
      400,
      'invalid-actor-id',
    ],
    ['an unknown resource', 'PUT', '/actors/a/inbox', { key: 'k', body: {} }, 404, 'invalid-path'],
    ['a wrong method', 'DELETE', '/actors/a/tasks', { key: 'k' }, 405, 'method-not-allowed'],
    [
      'a PUT on a receipt',
      'PUT',
      '/actors/a/tasks/k',
      { key: 'k', body: {} },
      405,
      'method-not-allowed',
    ],
  ];

  it.each(cases)(
    'answers %s with a problem+json and stores nothing',
    async (_label, method, path, options, status, code) => {
      const { commands } = testCommands();
      const { send, dbName } = testHost({ commands, maxBodyBytes: 64 });
      const response = await send(method, path, options);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await json(response)).toMatchObject({
        type: `urn:actordav:problem:${code}`,
        status,
        code,
        instance: new URL(path, 'http://localhost').pathname,
      });
      expect(await dumpStores(dbName)).toEqual({ actors: [], receipts: [], outbox: [] });
    },
  );

  it('leaves the key free after a refusal', async () => {
    const { send } = testHost();
    const refused = await send('PUT', '/actors/a/tasks', {
      key: 'k',
      body: '[]',
      headers: { 'content-type': 'application/json' },
    });
    expect(refused.status).toBe(400);
    const accepted = await send('PUT', '/actors/a/tasks', { key: 'k', body: { title: 'milk' } });
    expect(accepted.status).toBe(201);
    expect(accepted.headers.has('idempotent-replayed')).toBe(false);
  });

  it('names the allowed methods on a 405', async () => {
    const { send } = testHost();
    expect(
      (await send('POST', '/actors/a/state', { key: 'k', body: {} })).headers.get('allow'),
    ).toBe('GET, HEAD, PUT');
    expect((await send('DELETE', '/actors/a/tasks/k')).headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('state', () => {
  it('reads a never-written actor as {} with the ETag of {}', async () => {
    const { send } = testHost();
    const response = await send('GET', '/actors/a/state');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(await emptyEtag());
    expect(await json(response)).toEqual({});
  });

  it('replaces the state (200 with the new ETag) and reads it back with that ETag', async () => {
    const { send } = testHost();
    const put = await send('PUT', '/actors/a/state', { key: 's1', body: { b: 1, a: [1, 2] } });
    const etag = await stateEtag('{"a":[1,2],"b":1}');
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe(etag);
    expect(await json(put)).toEqual({ key: 's1', status: 'done', result: { etag } });
    const get = await send('GET', '/actors/a/state');
    expect(get.headers.get('etag')).toBe(etag);
    expect(await get.text()).toBe('{"a":[1,2],"b":1}');
  });

  it('applies a conditional PUT only when If-Match matches, and then If-Match: * too', async () => {
    const { send } = testHost();
    const first = await send('PUT', '/actors/a/state', { key: 's1', body: { v: 1 } });
    const etag = first.headers.get('etag') ?? '';
    const stale = await send('PUT', '/actors/a/state', {
      key: 's2',
      body: { v: 2 },
      headers: { 'if-match': '"stale"' },
    });
    expect(stale.status).toBe(412);
    expect(await json(stale)).toMatchObject({ code: 'precondition-failed', etag });
    const fresh = await send('PUT', '/actors/a/state', {
      key: 's2',
      body: { v: 2 },
      headers: { 'if-match': etag },
    });
    expect(fresh.status).toBe(200);
    const star = await send('PUT', '/actors/a/state', {
      key: 's3',
      body: { v: 3 },
      headers: { 'if-match': '*' },
    });
    expect(star.status).toBe(200);
    expect(await json(await send('GET', '/actors/a/state'))).toEqual({ v: 3 });
  });

  it('answers 304 without a body to a matching If-None-Match, and 200 otherwise', async () => {
    const { send } = testHost();
    const etag = await emptyEtag();
    for (const ifNoneMatch of [etag, `"x", ${etag}`, '*']) {
      const response = await send('GET', '/actors/a/state', {
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect(response.status).toBe(304);
      expect(response.body).toBeNull();
      expect(response.headers.get('etag')).toBe(etag);
    }
    const other = await send('GET', '/actors/a/state', { headers: { 'if-none-match': '"x"' } });
    expect(other.status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { send } = testHost();
    await send('PUT', '/actors/a/state', { key: 's1', body: { v: 1 } });
    const head = await send('HEAD', '/actors/a/state');
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(await stateEtag('{"v":1}'));
    expect(head.headers.get('content-type')).toBe('application/json');
    expect(head.body).toBeNull();
  });
});

describe('status and receipts', () => {
  it('reports an actor status', async () => {
    const { send } = testHost();
    await send('PUT', '/actors/a/tasks', { key: 'k1', body: {} });
    await send('PUT', '/actors/a/tasks', { key: 'k2', body: {} });
    expect(await json(await send('GET', '/actors/a/status'))).toMatchObject({
      id: 'a',
      version: 0,
      seq: 2,
      pending: 0,
      lastSyncedAt: null,
      lastError: null,
    });
    expect(await json(await send('GET', '/actors/nobody/status'))).toMatchObject({
      id: 'nobody',
      seq: 0,
      pending: 0,
    });
  });

  it('shows a receipt and its stored answer at the Location of the answer', async () => {
    const { send } = testHost({ receiptTtlMs: 60_000 });
    const answer = await send('PUT', '/actors/a/tasks', {
      key: 'a/b?c"d',
      body: { title: 'milk' },
    });
    const location = answer.headers.get('location') ?? '';
    expect(location).toBe('/actors/a/tasks/a%2Fb%3Fc%22d');
    const sent = await snapshot(answer);
    const receipt = await send('GET', location);
    expect(receipt.status).toBe(200);
    const view = await json(receipt);
    expect(view).toMatchObject({
      actorId: 'a',
      key: 'a/b?c"d',
      status: 'done',
      seq: 1,
      answer: {
        status: 201,
        headers: Object.fromEntries(sent.headers),
        body: JSON.parse(sent.body) as unknown,
      },
    });
    const createdAt = Date.parse(String(view['createdAt']));
    expect(Date.parse(String(view['expiresAt']))).toBe(createdAt + 60_000);
  });

  it('answers 404 receipt-not-found for an unknown key, and HEAD on a receipt without a body', async () => {
    const { send } = testHost();
    const missing = await send('GET', '/actors/a/tasks/nope');
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ code: 'receipt-not-found' });
    await send('PUT', '/actors/a/tasks', { key: 'k', body: {} });
    const head = await send('HEAD', '/actors/a/tasks/k');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });
});
