import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { normalizeRemoteChoice, rendezvous } from '../../../src/webdav/remoteChoice.ts';
import { normalizeRemote } from '../../../src/webdav/remoteConfig.ts';

const servers = [
  'https://a.example.org/dav/',
  'https://b.example.org/dav/',
  'https://c.example.org/',
];
const actors = Array.from({ length: 3000 }, (_, i) => `actor-${i}`);

describe('normalizeRemoteChoice', () => {
  it('gives every actor the one remote it is given', () => {
    const choice = normalizeRemoteChoice({ url: 'https://dav.example.org/app' });
    expect(choice.forActor('a').url).toBe('https://dav.example.org/app/');
    expect(choice.forActor('b')).toBe(choice.forActor('a'));
  });

  it('spreads actors over a list evenly, each always on the same server', () => {
    const choice = normalizeRemoteChoice(servers.map((url) => ({ url })));
    const counts = new Map<string, number>();
    for (const actor of actors) {
      const url = choice.forActor(actor).url;
      expect(choice.forActor(actor).url).toBe(url);
      counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...servers].sort());
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });

  it('moves only the actors a new server wins when one is added, whatever the order', () => {
    const before = servers.map((url) => normalizeRemote({ url }));
    const added = normalizeRemote({ url: 'https://d.example.org/' });
    const after = [added, ...before].reverse();
    let moved = 0;
    for (const actor of actors) {
      const was = rendezvous(before, actor).url;
      const now = rendezvous(after, actor).url;
      if (now !== was) {
        expect(now).toBe(added.url);
        moved += 1;
      }
    }
    expect(moved / actors.length).toBeGreaterThan(0.2);
    expect(moved / actors.length).toBeLessThan(0.3);
  });

  it('refuses an empty list, a URL listed twice, and a bad entry, naming it', () => {
    expect(() => normalizeRemoteChoice([])).toThrow(
      new TypeError('options.remote must not be an empty list'),
    );
    expect(() =>
      normalizeRemoteChoice([
        { url: 'https://a.example.org/x' },
        { url: 'https://a.example.org/x/' },
      ]),
    ).toThrow(new TypeError('options.remote lists one collection URL twice'));
    expect(() =>
      normalizeRemoteChoice([{ url: 'https://a.example.org/' }, { url: 'ftp://b/' }]),
    ).toThrow(new TypeError('options.remote[1].url must be an http: or https: URL'));
  });

  it('asks a function once per actor, and turns a bad answer into remote-config', () => {
    const asked: string[] = [];
    const choice = normalizeRemoteChoice((actorId) => {
      asked.push(actorId);
      return { url: actorId.startsWith('eu') ? 'https://eu.example.org/' : '/relative/' };
    });
    expect(choice.forActor('eu-1').url).toBe('https://eu.example.org/');
    expect(choice.forActor('eu-1').url).toBe('https://eu.example.org/');
    expect(asked).toEqual(['eu-1']);
    let caught: unknown;
    try {
      choice.forActor('us-1');
    } catch (error) {
      caught = error;
    }
    expect(isSyncError(caught) && caught.code).toBe('remote-config');
    expect((caught as Error).message).toBe(
      'options.remote("us-1") gave no usable remote: options.remote.url must be an absolute URL, or a path on the worker\'s own origin',
    );
  });
});
