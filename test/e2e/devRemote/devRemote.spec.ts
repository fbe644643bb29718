import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { appUrl } from '../support/browser.ts';
import { basicToken, SyncDevice } from '../support/syncDevice.ts';
import { freePort } from '../../servers/freePort.ts';
import { runDevRemoteBin, startDevRemote, type DevRemoteProcess } from './startDevRemote.ts';

// `npx actordav remote` as a new user runs it: the built bin, in a folder that does not exist
// yet, then a real browser's worker syncs to exactly the `remote` option it printed.
const dist = resolve(import.meta.dirname, '../../../dist');
let parent = '';
let dir = '';
let remote: DevRemoteProcess | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'actordav-dev-remote-'));
  dir = join(parent, 'remote');
  remote = await startDevRemote([
    'remote',
    dir,
    '--origin',
    new URL(appUrl).origin,
    '--user',
    'dev:secret',
    '--port',
    String(await freePort()),
  ]);
});

test.afterAll(async () => {
  const code = await remote?.stop();
  expect(code, remote?.output()).toBe(0);
  await rm(parent, { recursive: true, force: true });
});

test('prints a remote option that a worker syncs to, made folder and all', async ({ browser }) => {
  if (remote === undefined) throw new Error('no dev remote');
  const output = remote.output();
  expect(remote.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(output).toContain(`authorization: "Basic ${basicToken('dev', 'secret')}"`);
  expect(output).toContain(`serves ${dir}`);

  const device = await SyncDevice.open(browser, {
    name: 'dev-remote',
    remote: remote.url,
    token: basicToken('dev', 'secret'),
    confirm: 3000,
  });
  try {
    const actor = `dev-${Date.now()}`;
    const keys = ['k1', 'k2', 'k3'];
    const answers = await device.putTasks(actor, keys);
    for (const answer of answers) expect([201, 202], answer.text).toContain(answer.status);
    const status = await device.waitUntilSynced(actor);
    expect(status.lastError).toBeNull();
    expect(status.remote?.probe).toBe('passed');
    for (const key of keys) {
      const receipt = await device.receipt(actor, key);
      expect(receipt.json, key).toMatchObject({ key, status: 'done' });
    }
    // The versions are plain files in the folder the command was given.
    const versions = await readdir(join(dir, actor, 'v'));
    expect(versions.length).toBeGreaterThan(0);
    const newest = versions.sort().at(-1) ?? '';
    const claim = await readFile(join(dir, actor, 'v', newest, 'claim.json'), 'utf8');
    expect(claim.length).toBeGreaterThan(0);
  } finally {
    await device.close();
  }
});

test('another origin gets 403, and an unauthenticated request a 401 the page can read', async () => {
  if (remote === undefined) throw new Error('no dev remote');
  const foreign = await fetch(remote.url, {
    method: 'PROPFIND',
    headers: { Origin: 'http://elsewhere.test', Depth: '0' },
  });
  expect(foreign.status).toBe(403);
  const denied = await fetch(remote.url, {
    method: 'PROPFIND',
    headers: { Origin: new URL(appUrl).origin, Depth: '0' },
  });
  expect(denied.status).toBe(401);
  expect(denied.headers.get('access-control-allow-origin')).toBe(new URL(appUrl).origin);
});

test('bad arguments exit 2 with a message naming what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['remote'], /--origin is required/],
    [['remote', '--origin', 'localhost:5173'], /not a web origin/],
    [['remote', '--origin', 'http://localhost:5173', '--port', 'x'], /--port must be/],
    [['remote', '--origin', 'http://localhost:5173', '--user', 'nopass'], /name:password/],
    [['serve'], /unknown command "serve"/],
  ];
  for (const [args, message] of cases) {
    const { code, output } = await runDevRemoteBin(args);
    expect(code, args.join(' ')).toBe(2);
    expect(output).toMatch(message);
  }
});

test('the worker and page bundles carry none of it', async () => {
  for (const file of (await readdir(dist)).filter((name) => name.endsWith('.js'))) {
    const text = await readFile(join(dist, file), 'utf8');
    expect(text, file).not.toMatch(/nephele|node:|devRemote|startEmbeddedWebdav/);
  }
});
