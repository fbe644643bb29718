import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliOutcome } from '../../../src/devRemote/runCli.ts';

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'actordav-cli-test-'));
});
afterAll(() => rm(parent, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ outcome: CliOutcome; out: string; err: string }> {
  let out = '';
  let err = '';
  const outcome = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { outcome, out, err };
}

describe('runCli', () => {
  it('exits 2 with a message on a missing or unknown command and on bad arguments', async () => {
    for (const args of [[], ['serve'], ['remote'], ['remote', '--port', '-1']]) {
      const { outcome, out, err } = await run(args);
      expect(outcome, args.join(' ')).toEqual({ exitCode: 2 });
      expect(out).toBe('');
      expect(err).not.toBe('');
    }
  });

  it('prints help and exits 0', async () => {
    const { outcome, out } = await run(['remote', '--help']);
    expect(outcome).toEqual({ exitCode: 0 });
    expect(out).toContain('--origin');
  });

  it('makes the folder, serves it with CORS for the origin and prints the remote option', async () => {
    const dir = join(parent, 'made', 'here');
    const { outcome, out } = await run([
      'remote',
      dir,
      '--origin',
      'http://app.test',
      '--user',
      'u:p',
      '--port',
      '0',
    ]);
    if (!('remote' in outcome)) throw new Error(`no remote started: ${JSON.stringify(outcome)}`);
    try {
      expect((await stat(dir)).isDirectory()).toBe(true);
      const url = outcome.remote.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(out).toContain(
        `remote: { url: "${url}", headers: { authorization: "Basic ${btoa('u:p')}" } },`,
      );
      const denied = await fetch(url, {
        method: 'PROPFIND',
        headers: { Origin: 'http://app.test', Depth: '0' },
      });
      expect(denied.status).toBe(401);
      expect(denied.headers.get('access-control-allow-origin')).toBe('http://app.test');
      const listed = await fetch(url, {
        method: 'PROPFIND',
        headers: { Origin: 'http://app.test', Depth: '0', Authorization: `Basic ${btoa('u:p')}` },
      });
      expect(listed.status).toBe(207);
      const foreign = await fetch(url, {
        method: 'PROPFIND',
        headers: { Origin: 'http://evil.test' },
      });
      expect(foreign.status).toBe(403);
    } finally {
      await outcome.remote.close();
    }
  });

  it('exits 1 with a message when the port is taken', async () => {
    const first = await run([
      'remote',
      join(parent, 'a'),
      '--origin',
      'http://app.test',
      '--port',
      '0',
    ]);
    if (!('remote' in first.outcome)) throw new Error('no remote started');
    try {
      const port = new URL(first.outcome.remote.url).port;
      const second = await run([
        'remote',
        join(parent, 'b'),
        '--origin',
        'http://app.test',
        '--port',
        port,
      ]);
      expect(second.outcome).toEqual({ exitCode: 1 });
      expect(second.err).toContain(`port ${port} is in use`);
    } finally {
      await first.outcome.remote.close();
    }
  });
});
