import { describe, expect, it } from 'vitest';
import { isActorError } from '../../../src/errors/ActorError.ts';
import { parseRoute } from '../../../src/http/parseRoute.ts';
import { receiptLocation } from '../../../src/http/receiptLocation.ts';
import { expectCode, thrownBy } from '../support/errors.ts';

const scope = '/actors/';

describe('parseRoute', () => {
  it.each([
    ['PUT', '/actors/a/tasks', 'tasks'],
    ['POST', '/actors/a/execute', 'execute'],
    ['PUT', '/actors/a/state', 'state'],
    ['GET', '/actors/a/state', 'state'],
    ['HEAD', '/actors/a/state', 'state'],
    ['GET', '/actors/a/status', 'status'],
    ['HEAD', '/actors/a/status', 'status'],
  ])('%s %s is %s', (method, path, resource) => {
    expect(parseRoute(method, path, scope)).toEqual({ actorId: 'a', resource });
  });

  it('reads a receipt key and percent-decodes it', () => {
    expect(parseRoute('GET', '/actors/user_123/tasks/abc', scope)).toEqual({
      actorId: 'user_123',
      resource: 'receipt',
      key: 'abc',
    });
    expect(parseRoute('HEAD', '/actors/a/tasks/a%2Fb%3Fc%22d%25', scope)).toMatchObject({
      resource: 'receipt',
      key: 'a/b?c"d%',
    });
  });

  it('gives back every visible ASCII key that receiptLocation encoded', () => {
    let everyVisible = '';
    for (let code = 0x21; code <= 0x7e; code++) everyVisible += String.fromCharCode(code);
    for (const key of [everyVisible, 'k', '~', '%41', "it's(a)key!*"]) {
      const path = receiptLocation(scope, 'a', key);
      expect(parseRoute('GET', path, scope)).toEqual({ actorId: 'a', resource: 'receipt', key });
    }
  });

  it.each([
    ['a lone %', '/actors/a/tasks/%'],
    ['a short escape', '/actors/a/tasks/ab%4'],
    ['a non-hex escape', '/actors/a/tasks/%zz'],
    ['an escape that is not UTF-8', '/actors/a/tasks/%FF'],
    ['an escaped space (not visible)', '/actors/a/tasks/a%20b'],
    ['an escaped non-ASCII character', '/actors/a/tasks/caf%C3%A9'],
    ['an empty key', '/actors/a/tasks/'],
    ['256 characters', `/actors/a/tasks/${'k'.repeat(256)}`],
  ])('refuses a receipt key with %s as key-malformed', (_label, path) => {
    expectCode(() => parseRoute('GET', path, scope), 'key-malformed');
  });

  it('accepts a 255-character receipt key', () => {
    expect(parseRoute('GET', `/actors/a/tasks/${'k'.repeat(255)}`, scope)).toMatchObject({
      key: 'k'.repeat(255),
    });
  });

  it.each([
    ['no resource', '/actors/a'],
    ['an empty resource', '/actors/a/'],
    ['an unknown resource', '/actors/a/inbox'],
    ['a segment after a receipt key', '/actors/a/tasks/k/more'],
    ['a trailing slash after a key', '/actors/a/tasks/k/'],
    ['a segment after state', '/actors/a/state/x'],
    ['a segment after status', '/actors/a/status/x'],
    ['a segment after execute', '/actors/a/execute/x'],
    ['a resource name in another case', '/actors/a/Tasks'],
  ])('answers invalid-path (404) for %s', (_label, path) => {
    const error = thrownBy(() => parseRoute('GET', path, scope));
    expect(isActorError(error) && [error.code, error.status]).toEqual(['invalid-path', 404]);
  });

  it('checks the actor id before the resource and the method', () => {
    expectCode(() => parseRoute('DELETE', '/actors/../nope/x/y', scope), 'invalid-actor-id');
    expectCode(() => parseRoute('GET', '/actors/%2F/state', scope), 'invalid-actor-id');
    expectCode(() => parseRoute('GET', '/actors//state', scope), 'invalid-actor-id');
  });

  it.each([
    ['/actors/a/tasks', 'GET', 'PUT'],
    ['/actors/a/tasks', 'POST', 'PUT'],
    ['/actors/a/execute', 'PUT', 'POST'],
    ['/actors/a/execute', 'GET', 'POST'],
    ['/actors/a/state', 'POST', 'GET, HEAD, PUT'],
    ['/actors/a/state', 'DELETE', 'GET, HEAD, PUT'],
    ['/actors/a/status', 'PUT', 'GET, HEAD'],
    ['/actors/a/tasks/k', 'PUT', 'GET, HEAD'],
    ['/actors/a/tasks/k', 'DELETE', 'GET, HEAD'],
  ])('%s refuses %s with 405 and Allow: %s', (path, method, allow) => {
    const error = thrownBy(() => parseRoute(method, path, scope));
    expect(isActorError(error)).toBe(true);
    if (!isActorError(error)) return;
    expect([error.code, error.status]).toEqual(['method-not-allowed', 405]);
    expect(error.headers).toEqual({ allow });
  });

  it('works under another scope', () => {
    expect(parseRoute('GET', '/api/v1/a.b/status', '/api/v1/')).toEqual({
      actorId: 'a.b',
      resource: 'status',
    });
  });
});
