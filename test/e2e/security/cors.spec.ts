import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { startEmbeddedWebdav } from '../../../src/devRemote/startEmbeddedWebdav.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { appUrl } from '../support/browser.ts';
import { basicToken, SyncDevice } from '../support/syncDevice.ts';
import { startStrictCorsRemote, type CorsPolicy } from './strictCorsRemote.ts';

// What the remote must allow a browser worker (README "Sync"): a remote whose CORS allows
// exactly the documented methods and headers, for the app's origin only, with nothing exposed
// and no Access-Control-Allow-Credentials (the worker sends credentials only as an explicit
// Authorization header, `credentials: 'omit'`), is enough for a full sync with Basic auth.

const appOrigin = new URL(appUrl).origin;
const username = 'cors-user';
const password = 'cors-pass';

/** The methods and headers README.md documents, read from it so that the test follows the docs. */
async function documentedPolicy(origin: string): Promise<CorsPolicy> {
  const readme = await readFile('README.md', 'utf8');
  const sentence = /The remote needs CORS[^(]*\(methods ([^;]+); headers ([^)]+)\)/.exec(
    readme.replace(/\s+/g, ' '),
  );
  expect(sentence, 'README.md documents the CORS the remote needs').not.toBeNull();
  const list = (text = '') =>
    text
      .replace(/`/g, '')
      .split(',')
      .map((item) => item.trim());
  return { origin, methods: list(sentence?.[1]), headers: list(sentence?.[2]) };
}

let server: WebdavServer;
test.beforeAll(async () => {
  server = await startWebdavServer('embedded', { auth: { username, password } });
});
test.afterAll(async () => {
  await server.stop();
});

test('the documented CORS (methods, headers, one origin, no credentials mode) is enough to sync', async ({
  browser,
}) => {
  const policy = await documentedPolicy(appOrigin);
  const strict = await startStrictCorsRemote(server.url, policy);
  const device = await SyncDevice.open(browser, {
    name: 'cors-documented',
    remote: strict.url,
    confirm: 3000,
    token: basicToken(username, password),
  });
  try {
    const actor = freshActor('cors');
    for (const answer of await device.putTasks(actor, ['k-1', 'k-2'])) {
      expect([201, 202], answer.text).toContain(answer.status);
    }
    const status = await device.waitUntilSynced(actor);
    expect(status).toMatchObject({ lastError: null, version: 1 });
    expect(status.remote?.probe).toBe('passed');
    expect(strict.refused).toEqual([]);
  } finally {
    await device.close();
    await strict.close();
  }
});

test('the policy is really enforced: a remote that allows another origin is reported as remote-cors', async ({
  browser,
}) => {
  const strict = await startStrictCorsRemote(
    server.url,
    await documentedPolicy('https://another-app.example'),
  );
  const device = await SyncDevice.open(browser, {
    name: 'cors-foreign',
    remote: strict.url,
    confirm: 500,
    token: basicToken(username, password),
  });
  try {
    const actor = freshActor('cors-no');
    expect((await device.putTask(actor, 'k-1')).status).toBe(202);
    // The server answers (a no-cors request reaches it), so the worker says what is wrong: CORS.
    const status = await device.waitForStatus(actor, (current) =>
      expect(current.lastError?.code).toBe('remote-cors'),
    );
    expect(status.pending).toBe(1);
    expect(strict.refused.length).toBeGreaterThan(0);
  } finally {
    await device.close();
    await strict.close();
  }
});

// The demo's embedded WebDAV server has no auth by default: were it to answer every origin, any web
// page the user visits could read and rewrite the remote, e.g. plant a version every device folds.
test('the embedded remote refuses pages of origins it was not told to allow', async ({ page }) => {
  const root = await mkdtemp(join(tmpdir(), 'actordav-demo-remote-'));
  const dav = await startEmbeddedWebdav({ root });
  try {
    // The test app's origin stands for any other web site.
    await page.goto('/sw.js?any-page');
    const reached = await page.evaluate(async (url) => {
      try {
        const listing = await fetch(url, { method: 'PROPFIND', headers: { depth: '1' } });
        const planted = await fetch(`${url}planted.json`, { method: 'PUT', body: '{}' });
        return `PROPFIND ${listing.status}, PUT ${planted.status}`;
      } catch {
        return 'blocked';
      }
    }, dav.url);
    expect(reached).toBe('blocked');
  } finally {
    await dav.close();
    await rm(root, { recursive: true, force: true });
  }
});
