import { type Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import {
  actorsPath,
  call,
  callAll,
  expectProblem,
  freshActor,
  openSharedApp,
  runsOf,
  type Answer,
  type Call,
  type SharedApp,
} from './support/app.ts';
import { dumpDatabase, receiptsOf } from './support/database.ts';

// Every status code of DESIGN.md §2, with its stable problem code.
test.describe.configure({ mode: 'serial' });

let app: SharedApp;
test.beforeAll(async ({ browser }) => {
  app = await openSharedApp(browser);
});
test.afterAll(async () => {
  await app.close();
});

const paths = (actor: string, variant = 'default') => {
  const base = `${actorsPath(variant)}${actor}`;
  return {
    tasks: `${base}/tasks`,
    execute: `${base}/execute`,
    state: `${base}/state`,
    status: `${base}/status`,
    receipt: (key: string) => `${base}/tasks/${encodeURIComponent(key)}`,
  };
};

/** A request refused before acceptance: its problem answer, and not one byte of IndexedDB changed. */
async function refused(page: Page, request: Call, status: number, code: string): Promise<Answer> {
  const before = await dumpDatabase(page);
  const answer = await call(page, request);
  expectProblem(answer, status, code);
  expect(await dumpDatabase(page)).toEqual(before);
  return answer;
}

/** The key is still free after a refusal: a valid request with it is accepted as new. */
async function expectAcceptedAsNew(page: Page, request: Call, status: number): Promise<Answer> {
  const answer = await call(page, request);
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['idempotent-replayed']).toBeUndefined();
  return answer;
}

/** Response headers without the replay marker, to compare an answer with its replay. */
function withoutReplayMarker(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name !== 'idempotent-replayed'),
  );
}

function nested(levels: number): unknown {
  let value: unknown = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

test.describe('default worker', () => {
  test('200 for execute and state, 201 for a task, all application/json', async () => {
    const page = await app.page();
    const actor = freshActor('ok');
    const at = paths(actor);

    const executed = await call(page, {
      method: 'POST',
      path: at.execute,
      key: 'e1',
      body: { type: 'add', amount: 2 },
    });
    expect(executed.status).toBe(200);
    expect(executed.headers['content-type']).toBe('application/json');
    expect(executed.json).toEqual({ key: 'e1', status: 'done', result: { total: 2 } });

    const task = await call(page, { method: 'PUT', path: at.tasks, key: 't1', body: { n: 1 } });
    expect(task.status).toBe(201);
    expect(task.headers['location']).toBe(at.receipt('t1'));
    expect(task.json).toMatchObject({
      key: 't1',
      status: 'done',
      result: { key: 't1', task: { n: 1 } },
    });

    const put = await call(page, { method: 'PUT', path: at.state, key: 's1', body: { total: 7 } });
    expect(put.status).toBe(200);
    const etag = put.headers['etag'];
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(put.json).toEqual({ key: 's1', status: 'done', result: { etag } });

    const state = await call(page, { path: at.state });
    expect(state.status).toBe(200);
    expect(state.headers['etag']).toBe(etag);
    expect(state.json).toEqual({ total: 7 });
  });

  test('201 carries a Location with the key percent-encoded, and it names the receipt', async () => {
    const page = await app.page();
    const actor = freshActor('location');
    const at = paths(actor);
    const key = 'a/b?c#d%e"f\\g&h';
    const created = await call(page, {
      method: 'PUT',
      path: at.tasks,
      key,
      body: { drink: 'tea' },
    });
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe(
      `${actorsPath()}${actor}/tasks/a%2Fb%3Fc%23d%25e%22f%5Cg%26h`,
    );
    const receipt = await call(page, { path: created.headers['location'] ?? '' });
    expect(receipt.status).toBe(200);
    expect(receipt.json).toMatchObject({ actorId: actor, key, status: 'done', seq: 1 });
  });

  test('a replay is marked Idempotent-Replayed and repeats status, headers and body byte for byte', async () => {
    const page = await app.page();
    const at = paths(freshActor('replay'));
    for (const request of [
      { method: 'PUT', path: at.tasks, key: 'r1', body: { size: 'large', note: 'é ☕' } },
      { method: 'POST', path: at.execute, key: 'r2', body: { type: 'add', amount: 3 } },
      { method: 'PUT', path: at.state, key: 'r3', body: { z: 1, a: [1, 2] } },
    ]) {
      const first = await call(page, request);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await call(page, request);
      expect(again.status).toBe(first.status);
      expect(again.text).toBe(first.text);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(withoutReplayMarker(again.headers)).toEqual(first.headers);
    }
    const state = await call(page, { path: at.state });
    expect(state.json).toEqual({ z: 1, a: [1, 2] });
  });

  test('a header key "abc", a query key abc and a bare-token header abc are one key', async () => {
    const page = await app.page();
    const actor = freshActor('keyforms');
    const at = paths(actor);
    const body = { drink: 'mocha' };
    const quoted = await call(page, { method: 'PUT', path: at.tasks, key: 'abc', body });
    expect(quoted.status).toBe(201);
    const query = await call(page, {
      method: 'PUT',
      path: `${at.tasks}?Idempotency-Key=abc`,
      body,
    });
    const bare = await call(page, {
      method: 'PUT',
      path: at.tasks,
      headers: { 'idempotency-key': 'abc' },
      body,
    });
    for (const replay of [query, bare]) {
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(quoted.text);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    const state = await call(page, { path: at.state });
    expect((state.json as { tasks: unknown[] }).tasks).toHaveLength(1);

    // A bare token is accepted as a key of its own, and a query key first works the same way.
    const bareFirst = await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: at.tasks, headers: { 'idempotency-key': 'tok-1' }, body },
      201,
    );
    const quotedAfter = await call(page, { method: 'PUT', path: at.tasks, key: 'tok-1', body });
    expect(quotedAfter.text).toBe(bareFirst.text);
    expect(quotedAfter.headers['idempotent-replayed']).toBe('true');
  });

  test('400 key-conflict when the header and the query key differ; both keys stay free', async () => {
    const page = await app.page();
    const at = paths(freshActor('conflict'));
    const body = { n: 1 };
    await refused(
      page,
      { method: 'PUT', path: `${at.tasks}?Idempotency-Key=xyz`, key: 'abc', body },
      400,
      'key-conflict',
    );
    await refused(
      page,
      { method: 'PUT', path: `${at.tasks}?Idempotency-Key=one&Idempotency-Key=two`, body },
      400,
      'key-conflict',
    );
    await expectAcceptedAsNew(page, { method: 'PUT', path: at.tasks, key: 'abc', body }, 201);
    await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: `${at.tasks}?Idempotency-Key=xyz`, body },
      201,
    );
    // The same key in both places is no conflict.
    const same = await call(page, {
      method: 'PUT',
      path: `${at.tasks}?Idempotency-Key=abc`,
      key: 'abc',
      body,
    });
    expect(same.status).toBe(201);
    expect(same.headers['idempotent-replayed']).toBe('true');
  });

  test('400 invalid-actor-id for every id outside [A-Za-z0-9._~-]{1,128} starting alphanumeric', async () => {
    const page = await app.page();
    const bad = [
      '..x',
      '.hidden',
      '%2E%2E%2Fother',
      'a%2Fb',
      '%2E%2Ex',
      '',
      'a'.repeat(129),
      '-lead',
      '_lead',
      '~lead',
      'caf%C3%A9',
      'a%20b',
    ];
    for (const id of bad) {
      const answer = await refused(
        page,
        { method: 'PUT', path: `${actorsPath()}${id}/tasks`, key: 'k-bad-id', body: { n: 1 } },
        400,
        'invalid-actor-id',
      );
      expect(answer.json).toMatchObject({ actorId: id });
      // Reads are refused the same way.
      expectProblem(
        await call(page, { path: `${actorsPath()}${id}/state` }),
        400,
        'invalid-actor-id',
      );
    }
    // The longest allowed id, and the unreserved characters, are fine.
    for (const id of ['a'.repeat(128), `Z9._~-${freshActor('x')}`]) {
      await expectAcceptedAsNew(
        page,
        { method: 'PUT', path: `${actorsPath()}${id}/tasks`, key: 'k-good-id', body: { n: 1 } },
        201,
      );
    }
  });

  test('a whole-segment %2E%2E is folded away by URL parsing and never reaches an actor', async () => {
    const page = await app.page();
    const before = await dumpDatabase(page);
    for (const segment of ['%2E%2E', '%2e%2e', '.%2E']) {
      const answer = await call(page, {
        method: 'PUT',
        path: `${actorsPath()}${segment}/tasks`,
        key: 'k-dotdot',
        body: { n: 1 },
      });
      // The browser resolves the dot segment before the worker sees the URL: it left the scope.
      expect(new URL(answer.url).pathname).toBe('/tasks');
    }
    expect(await dumpDatabase(page)).toEqual(before);
  });

  test('400 key-missing on every unsafe resource; the actor is untouched', async () => {
    const page = await app.page();
    const at = paths(freshActor('nokey'));
    await refused(page, { method: 'PUT', path: at.tasks, body: { n: 1 } }, 400, 'key-missing');
    await refused(
      page,
      { method: 'POST', path: at.execute, body: { type: 'add', amount: 1 } },
      400,
      'key-missing',
    );
    await refused(page, { method: 'PUT', path: at.state, body: { total: 1 } }, 400, 'key-missing');
    const state = await call(page, { path: at.state });
    expect(state.json).toEqual({});
  });

  test('400 key-malformed: unterminated quote, non-ASCII, 256 characters, space, empty, . and ..', async () => {
    const page = await app.page();
    const at = paths(freshActor('badkey'));
    const body = { n: 1 };
    const headerKeys = [
      '"abc',
      'abc"',
      '"caf\u00e9"',
      JSON.stringify('k'.repeat(256)),
      '"a b"',
      'a b',
      '""',
      '"a\\nb"',
      '"abc"; p=1',
      '"."',
      '".."',
    ];
    for (const value of headerKeys) {
      await refused(
        page,
        { method: 'PUT', path: at.tasks, headers: { 'idempotency-key': value }, body },
        400,
        'key-malformed',
      );
    }
    for (const query of ['caf%C3%A9', 'a%20b', 'k'.repeat(256), '', '..']) {
      await refused(
        page,
        { method: 'PUT', path: `${at.tasks}?Idempotency-Key=${query}`, body },
        400,
        'key-malformed',
      );
    }
    // The receipt path checks its key the same way.
    expectProblem(await call(page, { path: `${at.tasks}/caf%C3%A9` }), 400, 'key-malformed');
    expectProblem(await call(page, { path: `${at.tasks}/%ZZ` }), 400, 'key-malformed');
    // 255 visible ASCII characters is the longest key.
    const longest = '~'.repeat(255);
    const created = await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: at.tasks, key: longest, body },
      201,
    );
    expect(created.headers['location']).toBe(at.receipt(longest));
    const state = await call(page, { path: at.state });
    expect((state.json as { tasks: unknown[] }).tasks).toHaveLength(1);
  });

  test('400 for a body that is not JSON, not an object, or too deep; the key stays free', async () => {
    const page = await app.page();
    const at = paths(freshActor('badbody'));
    await refused(
      page,
      { method: 'PUT', path: at.tasks, key: 'b1', raw: '{"n": 1' },
      400,
      'invalid-json',
    );
    await refused(page, { method: 'PUT', path: at.tasks, key: 'b1', raw: '' }, 400, 'invalid-json');
    for (const raw of ['[1,2]', '"latte"', 'null', '42', 'true']) {
      await refused(
        page,
        { method: 'PUT', path: at.tasks, key: 'b1', raw },
        400,
        'body-not-object',
      );
    }
    await refused(
      page,
      { method: 'PUT', path: at.tasks, key: 'b1', body: nested(65) },
      400,
      'body-too-deep',
    );
    await refused(
      page,
      { method: 'POST', path: at.execute, key: 'b1', body: { amount: 1 } },
      400,
      'command-type-missing',
    );
    await refused(
      page,
      { method: 'POST', path: at.execute, key: 'b1', body: { type: 42 } },
      400,
      'command-type-missing',
    );
    // 64 levels is the deepest allowed body, and the key refused above is still free.
    const accepted = await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: at.tasks, key: 'b1', body: nested(64) },
      201,
    );
    expect(accepted.json).toMatchObject({ key: 'b1', status: 'done' });
  });

  test('404 for an unknown command, receipt or resource; the key stays free', async () => {
    const page = await app.page();
    const actor = freshActor('missing');
    const at = paths(actor);
    await refused(
      page,
      { method: 'POST', path: at.execute, key: 'u1', body: { type: 'brew' } },
      404,
      'unknown-command',
    );
    // Names that exist on Object.prototype are not commands either.
    await refused(
      page,
      { method: 'POST', path: at.execute, key: 'u1', body: { type: 'toString' } },
      404,
      'unknown-command',
    );
    expectProblem(await call(page, { path: at.receipt('u1') }), 404, 'receipt-not-found');
    for (const path of [
      `${actorsPath()}${actor}`,
      `${actorsPath()}${actor}/`,
      `${actorsPath()}${actor}/orders`,
      `${actorsPath()}${actor}/tasks/u1/extra`,
      `${actorsPath()}${actor}/state/x`,
    ]) {
      await refused(page, { method: 'PUT', path, key: 'u1', body: { n: 1 } }, 404, 'invalid-path');
      expectProblem(await call(page, { path }), 404, 'invalid-path');
    }
    await expectAcceptedAsNew(
      page,
      { method: 'POST', path: at.execute, key: 'u1', body: { type: 'add', amount: 1 } },
      200,
    );
    expect((await call(page, { path: at.receipt('u1') })).status).toBe(200);
  });

  test('405 with Allow for a wrong method; nothing stored', async () => {
    const page = await app.page();
    const at = paths(freshActor('method'));
    const cases: [string, string, string][] = [
      ['DELETE', at.tasks, 'PUT'],
      ['POST', at.tasks, 'PUT'],
      ['GET', at.tasks, 'PUT'],
      ['GET', at.execute, 'POST'],
      ['PUT', at.execute, 'POST'],
      ['POST', at.state, 'GET, HEAD, PUT'],
      ['PATCH', at.state, 'GET, HEAD, PUT'],
      ['PUT', at.status, 'GET, HEAD'],
      ['PUT', at.receipt('m1'), 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const safe = method === 'GET';
      const request: Call = safe ? { method, path } : { method, path, key: 'm1', body: { n: 1 } };
      const answer = await refused(page, request, 405, 'method-not-allowed');
      expect(answer.headers['allow']).toBe(allow);
    }
    await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: at.tasks, key: 'm1', body: { n: 1 } },
      201,
    );
  });

  test('409 command-rejected is stored and replayed, and the command runs once', async () => {
    const page = await app.page();
    const actor = freshActor('reject');
    const at = paths(actor);
    const request: Call = { method: 'POST', path: at.execute, key: 'f1', body: { type: 'fail' } };
    const first = await call(page, request);
    expectProblem(first, 409, 'command-rejected');
    expect(first.json).toMatchObject({ detail: 'the barista refuses', instance: at.receipt('f1') });
    const again = await call(page, request);
    expect(again.status).toBe(409);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await runsOf(page))[`${actor}/fail`]).toBe(1);

    const receipt = receiptsOf(await dumpDatabase(page), actor).get('f1');
    expect(receipt).toMatchObject({
      status: 'failed',
      seq: 1,
      answer: { status: 409, body: first.text },
    });
    // A rejection leaves the state as it was.
    expect((await call(page, { path: at.state })).json).toEqual({});
  });

  test('412 for an If-Match that does not match; then the ETag from GET and * succeed', async () => {
    const page = await app.page();
    const at = paths(freshActor('ifmatch'));
    // Every actor has a state ({} before its first write), so `*` matches even a fresh one.
    const star = await call(page, {
      method: 'PUT',
      path: at.state,
      key: 'p0',
      headers: { 'if-match': '*' },
      body: { v: 0 },
    });
    expect(star.status).toBe(200);
    const created = await call(page, { method: 'PUT', path: at.state, key: 'p1', body: { v: 1 } });
    expect(created.status).toBe(200);
    const etag = (await call(page, { path: at.state })).headers['etag'] ?? '';
    expect(etag).toBe(created.headers['etag']);

    const mismatch = await refused(
      page,
      {
        method: 'PUT',
        path: at.state,
        key: 'p2',
        headers: { 'if-match': '"0000"' },
        body: { v: 2 },
      },
      412,
      'precondition-failed',
    );
    expect(mismatch.json).toMatchObject({ etag });
    expect((await call(page, { path: at.state })).json).toEqual({ v: 1 });

    // The refused key is free: with the right precondition it is accepted.
    const matched = await expectAcceptedAsNew(
      page,
      {
        method: 'PUT',
        path: at.state,
        key: 'p2',
        headers: { 'if-match': `"x", ${etag}` },
        body: { v: 2 },
      },
      200,
    );
    const next = matched.headers['etag'] ?? '';
    expect(next).not.toBe(etag);
    // The old ETag no longer matches.
    await refused(
      page,
      { method: 'PUT', path: at.state, key: 'p3', headers: { 'if-match': etag }, body: { v: 3 } },
      412,
      'precondition-failed',
    );
    await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: at.state, key: 'p3', headers: { 'if-match': '*' }, body: { v: 3 } },
      200,
    );
    expect((await call(page, { path: at.state })).json).toEqual({ v: 3 });
  });

  test('415 for a body that is not application/json; the key stays free', async () => {
    const page = await app.page();
    const at = paths(freshActor('media'));
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/jsonp',
    ]) {
      await refused(
        page,
        {
          method: 'PUT',
          path: at.tasks,
          key: 'c1',
          headers: { 'content-type': type },
          raw: '{"n":1}',
        },
        415,
        'unsupported-media-type',
      );
    }
    await expectAcceptedAsNew(
      page,
      {
        method: 'PUT',
        path: at.tasks,
        key: 'c1',
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        raw: '{"n":1}',
      },
      201,
    );
  });

  test('422 key-reused for the same key with another body or another path', async () => {
    const page = await app.page();
    const actor = freshActor('reused');
    const at = paths(actor);
    const original = await call(page, {
      method: 'PUT',
      path: at.tasks,
      key: 'same',
      body: { n: 1 },
    });
    expect(original.status).toBe(201);
    await refused(
      page,
      { method: 'PUT', path: at.tasks, key: 'same', body: { n: 2 } },
      422,
      'key-reused',
    );
    // The same JSON in other bytes is still a different request.
    await refused(
      page,
      { method: 'PUT', path: at.tasks, key: 'same', raw: '{ "n": 1 }' },
      422,
      'key-reused',
    );
    await refused(
      page,
      { method: 'PUT', path: at.state, key: 'same', body: { n: 1 } },
      422,
      'key-reused',
    );
    await refused(
      page,
      { method: 'POST', path: at.execute, key: 'same', body: { type: 'add', amount: 1 } },
      422,
      'key-reused',
    );
    // The original still replays, and keys are per actor: another actor may use it.
    const replay = await call(page, { method: 'PUT', path: at.tasks, key: 'same', body: { n: 1 } });
    expect(replay.text).toBe(original.text);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: paths(freshActor('reused-other')).tasks, key: 'same', body: { n: 2 } },
      201,
    );
    expect((await runsOf(page))[`${actor}/add`]).toBeUndefined();
  });

  test('GET state: ETag, and 304 for a matching If-None-Match', async () => {
    const page = await app.page();
    const at = paths(freshActor('etag'));
    await call(page, { method: 'PUT', path: at.state, key: 'e1', body: { b: 2, a: 1 } });
    const state = await call(page, { path: at.state });
    const etag = state.headers['etag'] ?? '';
    expect(state.status).toBe(200);
    expect(state.json).toEqual({ a: 1, b: 2 });
    for (const ifNoneMatch of [etag, `"other", ${etag}`, '*']) {
      const cached = await call(page, {
        path: at.state,
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect(cached.status).toBe(304);
      expect(cached.headers['etag']).toBe(etag);
      expect(cached.text).toBe('');
    }
    const stale = await call(page, { path: at.state, headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    expect(stale.json).toEqual({ a: 1, b: 2 });
    // The same content has the same ETag, whatever the key order it was written with.
    await call(page, { method: 'PUT', path: at.state, key: 'e2', body: { a: 1, b: 2 } });
    expect((await call(page, { path: at.state })).headers['etag']).toBe(etag);
  });

  test('GET status has the documented shape', async () => {
    const page = await app.page();
    const actor = freshActor('status');
    const at = paths(actor);
    const fresh = await call(page, { path: at.status });
    expect(fresh.status).toBe(200);
    expect(fresh.headers['content-type']).toBe('application/json');
    // DESIGN.md §2 names these members and allows more ("...").
    expect(fresh.json).toMatchObject({
      id: actor,
      version: 0,
      seq: 0,
      pending: 0,
      lastSyncedAt: null,
      lastError: null,
    });
    await callAll(page, [
      { method: 'PUT', path: at.tasks, key: 's1', body: { n: 1 } },
      { method: 'PUT', path: at.tasks, key: 's2', body: { n: 2 } },
    ]);
    expect((await call(page, { path: at.status })).json).toMatchObject({
      id: actor,
      seq: 2,
      pending: 0,
    });
  });

  test('GET tasks/{key} shows the receipt and its stored answer', async () => {
    const page = await app.page();
    const actor = freshActor('receipt');
    const at = paths(actor);
    const before = Date.now();
    const created = await call(page, {
      method: 'PUT',
      path: at.tasks,
      key: 'v1',
      body: { cup: 'blue' },
    });
    const view = await call(page, { path: at.receipt('v1') });
    expect(view.status).toBe(200);
    expect(view.headers['content-type']).toBe('application/json');
    const receipt = view.json as { createdAt: string; expiresAt: string };
    expect(receipt).toEqual({
      actorId: actor,
      key: 'v1',
      status: 'done',
      seq: 1,
      createdAt: expect.any(String) as unknown,
      expiresAt: expect.any(String) as unknown,
      answer: {
        status: 201,
        headers: { 'content-type': 'application/json', location: at.receipt('v1') },
        body: created.json,
      },
    });
    const createdAt = Date.parse(receipt.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    // Default receiptTtlMs: 24 h after the final answer.
    expect(Date.parse(receipt.expiresAt) - createdAt).toBe(24 * 60 * 60 * 1000);
  });
});

test.describe('reject worker (onDuplicateInFlight: reject)', () => {
  test('409 key-in-flight for a duplicate while the first is still running', async () => {
    const page = await app.page('reject');
    const actor = freshActor('inflight');
    const at = paths(actor, 'reject');
    const request: Call = {
      method: 'POST',
      path: at.execute,
      key: 'slow',
      body: { type: 'probe', n: 1, ms: 500 },
    };
    const first = call(page, request);
    await expect
      .poll(async () => (await runsOf(page, 'reject'))[`${actor}/probe`], { intervals: [20] })
      .toBe(1);
    const duplicate = await call(page, request);
    expectProblem(duplicate, 409, 'key-in-flight');
    const answer = await first;
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ key: 'slow', status: 'done', result: { overlap: 1 } });
    // Once it is done the key replays the first answer; the probe ran once.
    const replay = await call(page, request);
    expect(replay.text).toBe(answer.text);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await runsOf(page, 'reject'))[`${actor}/probe`]).toBe(1);
    expect((await call(page, { path: at.state })).json).toEqual({ order: [1] });
  });
});

test.describe('tight worker (maxBodyBytes 2048, turnTimeoutMs 300, maxPendingPerActor 3)', () => {
  test('413 body-too-large over maxBodyBytes; 2048 bytes exactly is accepted', async () => {
    const page = await app.page('tight');
    const at = paths(freshActor('large'), 'tight');
    const exactly = (size: number) => `{"pad":"${'x'.repeat(size - 10)}"}`;
    expect(exactly(2048)).toHaveLength(2048);
    const answer = await refused(
      page,
      { method: 'PUT', path: at.tasks, key: 'big', raw: exactly(2049) },
      413,
      'body-too-large',
    );
    expect(answer.json).toMatchObject({ maxBodyBytes: 2048 });
    await refused(
      page,
      { method: 'PUT', path: at.tasks, key: 'big', raw: exactly(100_000) },
      413,
      'body-too-large',
    );
    await expectAcceptedAsNew(
      page,
      { method: 'PUT', path: at.tasks, key: 'big', raw: exactly(2048) },
      201,
    );
  });

  test('500 turn-timeout for a command that runs too long: stored, replayed, and the actor goes on', async () => {
    const page = await app.page('tight');
    const actor = freshActor('hang');
    const at = paths(actor, 'tight');
    const request: Call = { method: 'POST', path: at.execute, key: 'h1', body: { type: 'hang' } };
    const first = await call(page, request);
    expectProblem(first, 500, 'turn-timeout');
    const again = await call(page, request);
    expect(again.status).toBe(500);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const receipt = receiptsOf(await dumpDatabase(page), actor).get('h1');
    expect(receipt).toMatchObject({ status: 'failed', answer: { status: 500, body: first.text } });
    // The lock was released: the next message is answered.
    const next = await call(page, {
      method: 'POST',
      path: at.execute,
      key: 'h2',
      body: { type: 'add', amount: 1 },
    });
    expect(next.status).toBe(200);
    expect(next.json).toMatchObject({ result: { total: 1 } });
  });

  test('503 too-many-pending with Retry-After when one actor is flooded; refused keys stay free', async () => {
    const page = await app.page('tight');
    const actor = freshActor('flood');
    const at = paths(actor, 'tight');
    const probe = (n: number): Call => ({
      method: 'POST',
      path: at.execute,
      key: `q${n}`,
      body: { type: 'probe', n, ms: 100 },
    });
    const requests = Array.from({ length: 12 }, (_, n) => probe(n));
    const answers = await callAll(page, requests);
    const accepted = answers.flatMap((answer, n) => (answer.status === 200 ? [n] : []));
    const refusedOnes = answers.flatMap((answer, n) => (answer.status === 200 ? [] : [n]));
    expect(refusedOnes.length).toBeGreaterThan(0);
    for (const n of refusedOnes) {
      const answer = answers[n] as Answer;
      expectProblem(answer, 503, 'too-many-pending');
      expect(answer.headers['retry-after']).toBe('5');
    }
    // Exactly the accepted ones took effect and have receipts.
    const state = (await call(page, { path: at.state })).json as { order: number[] };
    expect([...state.order].sort((a, b) => a - b)).toEqual(accepted);
    expect([...receiptsOf(await dumpDatabase(page), actor).keys()].sort()).toEqual(
      accepted.map((n) => `q${n}`).sort(),
    );
    // A refused key is free: sent again on its own, it is accepted as new.
    const retry = refusedOnes[0] as number;
    await expectAcceptedAsNew(page, probe(retry), 200);
    expect((await call(page, { path: at.state })).json).toEqual({ order: [...state.order, retry] });
  });
});
