import { describe, expect, it } from 'vitest';
import { checkKey, parseKeyHeader, readIdempotencyKey } from '../../../src/http/idempotencyKey.ts';
import { expectCode } from '../support/errors.ts';

describe('parseKeyHeader', () => {
  it.each([
    ['a quoted string', '"abc"', 'abc'],
    ['a quoted string with spaces around it', '  "abc"\t', 'abc'],
    ['an escaped quote', String.raw`"a\"b"`, 'a"b'],
    ['an escaped backslash', String.raw`"a\\b"`, 'a\\b'],
    ['both escapes at the ends', String.raw`"\"\\"`, '"\\'],
    ['quoted separators', '"a,b;c=d"', 'a,b;c=d'],
    ['a bare token', 'abc123', 'abc123'],
    ['a bare UUID', '8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['a bare token with punctuation', "a:b/c?d=e&f!~'*", "a:b/c?d=e&f!~'*"],
  ])('reads %s', (_label, header, key) => {
    expect(parseKeyHeader(header)).toBe(key);
  });

  it.each([
    ['an unterminated string', '"abc'],
    ['an escape at the end', '"abc\\'],
    ['another escape', String.raw`"a\nb"`],
    ['junk after the string', '"abc"x'],
    ['parameters after the string', '"abc";p=1'],
    ['a list of strings', '"a", "b"'],
    ['a bare list', 'a,b'],
    ['bare parameters', 'a;p=1'],
    ['a bare quote inside a token', 'a"b'],
    ['a bare backslash', 'a\\b'],
    ['an empty string', '""'],
    ['an empty header', ''],
    ['only spaces', '   '],
    ['a quoted space', '"a b"'],
    ['a quoted tab', '"a\tb"'],
    ['a quoted control character', '"a\u0001b"'],
    ['a quoted DEL', '"a\u007fb"'],
    ['quoted non-ASCII', '"café"'],
    ['bare non-ASCII', 'café'],
    ['a bare space', 'a b'],
  ])('refuses %s', (_label, header) => {
    expectCode(() => parseKeyHeader(header), 'key-malformed');
  });

  it('takes 255 characters and refuses 256, quoted or bare', () => {
    const longest = 'k'.repeat(255);
    expect(parseKeyHeader(`"${longest}"`)).toBe(longest);
    expect(parseKeyHeader(longest)).toBe(longest);
    expectCode(() => parseKeyHeader(`"${longest}k"`), 'key-malformed');
    expectCode(() => parseKeyHeader(`${longest}k`), 'key-malformed');
  });

  it('counts the decoded length: 255 characters written with escapes are fine', () => {
    expect(parseKeyHeader(`"${String.raw`\"`.repeat(255)}"`)).toBe('"'.repeat(255));
  });
});

describe('checkKey', () => {
  it('takes every visible ASCII character', () => {
    let everyVisible = '';
    for (let code = 0x21; code <= 0x7e; code++) everyVisible += String.fromCharCode(code);
    expect(checkKey(everyVisible)).toBe(everyVisible);
  });
});

describe('readIdempotencyKey', () => {
  const read = (url: string, header?: string) => {
    const headers: Record<string, string> =
      header === undefined ? {} : { 'Idempotency-Key': header };
    return readIdempotencyKey(new Request(url, { method: 'PUT', headers }), new URL(url));
  };
  const path = 'http://localhost/actors/a/tasks';

  it('is undefined when neither header nor query parameter is there', () => {
    expect(read(path)).toBeUndefined();
  });

  it('reads the header, whatever the case of its name', () => {
    const request = new Request(path, { method: 'PUT', headers: { 'idempotency-KEY': '"k1"' } });
    expect(readIdempotencyKey(request, new URL(path))).toBe('k1');
  });

  it('reads the query parameter, percent-decoded', () => {
    expect(read(`${path}?Idempotency-Key=abc123`)).toBe('abc123');
    expect(read(`${path}?x=1&Idempotency-Key=a%2Fb%22c`)).toBe('a/b"c');
  });

  it('takes a header "abc" and a query abc as the same key', () => {
    expect(read(`${path}?Idempotency-Key=abc`, '"abc"')).toBe('abc');
    expect(read(`${path}?Idempotency-Key=abc`, 'abc')).toBe('abc');
    expect(read(`${path}?Idempotency-Key=a%22b`, String.raw`"a\"b"`)).toBe('a"b');
  });

  it('refuses a header and a query that differ (key-conflict, 400)', () => {
    expectCode(() => read(`${path}?Idempotency-Key=abd`, '"abc"'), 'key-conflict');
  });

  it('refuses the query parameter given twice with different values', () => {
    expectCode(() => read(`${path}?Idempotency-Key=a&Idempotency-Key=b`), 'key-conflict');
  });

  it('takes the query parameter given twice with the same value as one key', () => {
    expect(read(`${path}?Idempotency-Key=a&Idempotency-Key=a`)).toBe('a');
  });

  it.each([
    ['an empty query value', `${path}?Idempotency-Key=`],
    ['a bare query name', `${path}?Idempotency-Key`],
    ['a space in the query', `${path}?Idempotency-Key=a%20b`],
    ['a + (a space in a query)', `${path}?Idempotency-Key=a+b`],
    ['256 characters in the query', `${path}?Idempotency-Key=${'k'.repeat(256)}`],
    ['non-ASCII in the query', `${path}?Idempotency-Key=caf%C3%A9`],
  ])('refuses %s as key-malformed', (_label, url) => {
    expectCode(() => read(url), 'key-malformed');
  });

  it('refuses a malformed header even when the query is fine', () => {
    expectCode(() => read(`${path}?Idempotency-Key=abc`, '"abc'), 'key-malformed');
  });

  it('takes 255 query characters', () => {
    expect(read(`${path}?Idempotency-Key=${'k'.repeat(255)}`)).toBe('k'.repeat(255));
  });
});
