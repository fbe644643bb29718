import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../../src/http/readJsonBody.ts';
import { expectRejectCode } from '../support/errors.ts';

const url = 'http://localhost/actors/a/tasks';
const limit = 1024;

function put(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'PUT', body, headers });
}

const asJson = (body: BodyInit | null, type = 'application/json') =>
  put(body, { 'content-type': type });

/** A `depth`-level object: `{"a":{"a":...{}}}`. */
function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

describe('readJsonBody', () => {
  it('gives the parsed object and the exact bytes', async () => {
    const text = '{"title":"milk","n":1}';
    const body = await readJsonBody(asJson(text), limit);
    expect(body.value).toEqual({ title: 'milk', n: 1 });
    expect(new TextDecoder().decode(body.bytes)).toBe(text);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'Application/JSON',
    'application/merge-patch+json',
    'application/problem+json',
    'application/vnd.example.v2+json; charset=utf-8',
  ])('accepts Content-Type %j', async (type) => {
    await expect(readJsonBody(asJson('{"a":1}', type), limit)).resolves.toMatchObject({
      value: { a: 1 },
    });
  });

  it.each([
    'application/json; charset=iso-8859-1',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'text/plain',
    'text/json',
    'application/jsonx',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ])('refuses Content-Type %j with 415', async (type) => {
    await expectRejectCode(readJsonBody(asJson('{"a":1}', type), limit), 'unsupported-media-type');
  });

  it('refuses a body without Content-Type with 415', async () => {
    const request = put(new TextEncoder().encode('{"a":1}'));
    expect(request.headers.get('content-type')).toBeNull();
    await expectRejectCode(readJsonBody(request, limit), 'unsupported-media-type');
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const request = put('{}', { 'content-type': 'application/json', 'content-length': '1025' });
    await expectRejectCode(readJsonBody(request, limit), 'body-too-large');
    expect(request.bodyUsed).toBe(false);
  });

  it('takes a body of exactly the limit and refuses one byte more', async () => {
    const exact = `{"a":"${'x'.repeat(limit - 8)}"}`;
    expect(exact.length).toBe(limit);
    await expect(readJsonBody(asJson(exact), limit)).resolves.toBeDefined();
    const over = `{"a":"${'x'.repeat(limit - 7)}"}`;
    await expectRejectCode(readJsonBody(asJson(over), limit), 'body-too-large');
  });

  it('stops reading a streamed body without Content-Length once it passes the limit', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('{"a":"' + 'x'.repeat(100)));
      },
    });
    const init = {
      method: 'PUT',
      body: endless,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit;
    const request = new Request(url, init);
    expect(request.headers.get('content-length')).toBeNull();
    await expectRejectCode(readJsonBody(request, limit), 'body-too-large');
    expect(pulled).toBeLessThan(20);
  });

  it('puts the limit into the 413 problem', async () => {
    const error: unknown = await readJsonBody(asJson(`"${'x'.repeat(2000)}"`), limit).catch(
      (reason: unknown) => reason,
    );
    expect(error).toMatchObject({
      code: 'body-too-large',
      status: 413,
      extensions: { maxBodyBytes: limit },
    });
  });

  it('refuses invalid UTF-8', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
    await expectRejectCode(readJsonBody(asJson(bytes), limit), 'invalid-json');
  });

  it('reads multi-byte UTF-8 and skips a byte order mark', async () => {
    const bytes = new TextEncoder().encode('\ufeff{"name":"café ☕"}');
    await expect(readJsonBody(asJson(bytes), limit)).resolves.toMatchObject({
      value: { name: 'café ☕' },
    });
  });

  it.each([
    ['an empty body', ''],
    ['truncated JSON', '{"a":'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['two values', '{}{}'],
  ])('refuses %s as invalid-json', async (_label, text) => {
    await expectRejectCode(readJsonBody(asJson(text), limit), 'invalid-json');
  });

  it.each([
    ['an array', '[1,2]'],
    ['a number', '42'],
    ['a string', '"a"'],
    ['null', 'null'],
    ['true', 'true'],
  ])('refuses %s as body-not-object', async (_label, text) => {
    await expectRejectCode(readJsonBody(asJson(text), limit), 'body-not-object');
  });

  it('takes 64 levels of nesting and refuses 65', async () => {
    await expect(readJsonBody(asJson(nested(64)), 1e6)).resolves.toBeDefined();
    await expectRejectCode(readJsonBody(asJson(nested(65)), 1e6), 'body-too-deep');
  });

  it('counts arrays as levels too', async () => {
    const deepArrays = `{"a":${'['.repeat(64)}${']'.repeat(64)}}`;
    await expectRejectCode(readJsonBody(asJson(deepArrays), 1e6), 'body-too-deep');
    const fine = `{"a":${'['.repeat(63)}${']'.repeat(63)}}`;
    await expect(readJsonBody(asJson(fine), 1e6)).resolves.toBeDefined();
  });

  it('survives a very deep body without overflowing the stack', async () => {
    await expectRejectCode(readJsonBody(asJson(nested(5000)), 1e6), 'body-too-deep');
  });

  describe('where the engine has no Request.body (Firefox)', () => {
    /** A request as Firefox gives it: `'body' in request` is false. */
    const withoutBody = (request: Request): Request => {
      Object.defineProperty(request, 'body', { value: undefined });
      return request;
    };

    it('reads the bytes another way', async () => {
      const text = '{"title":"milk","n":1}';
      const body = await readJsonBody(withoutBody(asJson(text)), limit);
      expect(body.value).toEqual({ title: 'milk', n: 1 });
      expect(new TextDecoder().decode(body.bytes)).toBe(text);
    });

    it('still refuses a body over the limit', async () => {
      const over = `{"a":"${'x'.repeat(limit)}"}`;
      await expectRejectCode(readJsonBody(withoutBody(asJson(over)), limit), 'body-too-large');
    });

    it('reads an empty body as invalid JSON, not a crash', async () => {
      await expectRejectCode(readJsonBody(withoutBody(asJson('')), limit), 'invalid-json');
    });
  });
});
