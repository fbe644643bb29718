import { describe, expect, it } from 'vitest';
import { jsonAnswer, toResponse, type StoredAnswer } from '../../../src/http/answer.ts';
import { receiptLocation } from '../../../src/http/receiptLocation.ts';

describe('jsonAnswer', () => {
  it('puts the content type first and serialises the value', () => {
    expect(jsonAnswer(201, { a: 1 }, [['location', '/x']])).toEqual({
      status: 201,
      headers: [
        ['content-type', 'application/json'],
        ['location', '/x'],
      ],
      body: '{"a":1}',
    });
  });
});

describe('toResponse', () => {
  const answer: StoredAnswer = {
    status: 201,
    headers: [
      ['content-type', 'application/json'],
      ['location', '/actors/a/tasks/k'],
    ],
    body: '{"key":"k","status":"done"}',
  };

  it('gives the stored status, headers and body text', async () => {
    const response = toResponse(answer);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/actors/a/tasks/k');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.has('idempotent-replayed')).toBe(false);
    expect(await response.text()).toBe(answer.body);
  });

  it('marks a replay with Idempotent-Replayed: true and changes nothing else', async () => {
    const first = toResponse(answer);
    const replay = toResponse(answer, true);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    replay.headers.delete('idempotent-replayed');
    expect([...replay.headers]).toEqual([...first.headers]);
    expect(new Uint8Array(await replay.arrayBuffer())).toEqual(
      new Uint8Array(await first.arrayBuffer()),
    );
  });

  it('sends no body with a 304 or a 204', async () => {
    const notModified = toResponse({ status: 304, headers: [['etag', '"e"']], body: '' });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
    expect(notModified.headers.get('etag')).toBe('"e"');
    const noContent = toResponse({ status: 204, headers: [], body: 'ignored' }, true);
    expect(noContent.body).toBeNull();
    expect(await noContent.text()).toBe('');
    expect(noContent.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not share headers between two responses of one answer', () => {
    const first = toResponse(answer);
    first.headers.set('x-changed', '1');
    expect(toResponse(answer).headers.has('x-changed')).toBe(false);
    expect(answer.headers).toHaveLength(2);
  });
});

describe('receiptLocation', () => {
  it('percent-encodes the key under the scope', () => {
    expect(receiptLocation('/actors/', 'a', 'a/b?c#d')).toBe('/actors/a/tasks/a%2Fb%3Fc%23d');
    expect(receiptLocation('/api/', 'x.y', 'k')).toBe('/api/x.y/tasks/k');
  });
});
