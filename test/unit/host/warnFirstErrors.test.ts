import '../setup.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActorEvent, SyncEvent } from '../../../src/events/actorEvent.ts';
import { lastErrorAdvice } from '../../../src/errors/lastErrorAdvice.ts';
import { warnFirstErrors } from '../../../src/host/warnFirstErrors.ts';
import { testHost } from '../support/host.ts';

const failed = (code: string, actorId = 'a'): SyncEvent => ({
  type: 'sync',
  actorId,
  phase: 'failed',
  version: 0,
  pending: 1,
  error: { code, message: `${code} happened` },
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('warnFirstErrors', () => {
  it('warns the first failure of each code once, with what to do, and passes every event on', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seen: ActorEvent[] = [];
    const emit = warnFirstErrors((event) => seen.push(event));
    const events: ActorEvent[] = [
      { type: 'sync', actorId: 'a', phase: 'started', version: 0, pending: 1, error: null },
      failed('remote-cors'),
      failed('remote-cors', 'b'),
      failed('remote-unauthorized'),
      failed('remote-cors'),
      { type: 'receipt', actorId: 'a', key: 'k', seq: 1, status: 'pending', answerStatus: 202 },
    ];
    for (const event of events) emit(event);
    expect(seen).toEqual(events);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[0]).toContain('remote-cors');
    expect(warn.mock.calls[0]?.[0]).toContain(lastErrorAdvice['remote-cors']);
    expect(warn.mock.calls[1]?.[0]).toContain(lastErrorAdvice['remote-unauthorized']);
  });

  it('still warns, without advice, for a code it has none for', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    warnFirstErrors(() => undefined)(failed('remote-something-new'));
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('the host', () => {
  it('warns once per lastError code, with its advice, however often a round fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { send, host } = testHost({
      remote: { url: 'http://127.0.0.1:1/dav/' },
      confirmTimeoutMs: 0,
    });
    expect((await send('PUT', '/actors/a/tasks', { key: 'k1', body: {} })).status).toBe(202);
    await host.sync();
    await host.sync();
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    const warnings = warn.mock.calls.map(([text]) => String(text));
    expect(warnings.filter((text) => text.includes('remote-unreachable'))).toEqual([
      expect.stringContaining(lastErrorAdvice['remote-unreachable']),
    ]);
  });
});
