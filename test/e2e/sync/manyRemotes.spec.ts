import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer, WebdavServerKind } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { expect, test } from '../support/fixtures.ts';
import { readActorFiles } from '../support/remoteFiles.ts';
import { SyncDevice } from '../support/syncDevice.ts';
import { expectSynced } from './expectRemote.ts';

// DESIGN.md §6a, outgrowing one server: `remote` is a list, and each actor lives on the one server
// rendezvous hashing picks for it — lighttpd and Apache at once, each probed on its own. Every
// actor's history is on exactly one of them, the one its status names.

const kinds: readonly WebdavServerKind[] = ['lighttpd', 'apache'];
const servers = new Map<string, WebdavServer>();

test.beforeAll(async () => {
  for (const kind of kinds) {
    const server = await startWebdavServer(kind);
    servers.set(server.url, server);
  }
});

test.afterAll(async () => {
  for (const server of servers.values()) await server.stop();
});

test('actors spread over lighttpd and Apache: each on one server, synced exactly once there', async ({
  browser,
}) => {
  const urls = [...servers.keys()];
  const device = await SyncDevice.open(browser, { name: 'many-remotes', remote: urls, confirm: 0 });
  try {
    const actors = Array.from({ length: 10 }, (_, index) => freshActor(`spread${index}`));
    const keys = (actor: string) => [`${actor}-a`, `${actor}-b`];
    for (const actor of actors) {
      const answers = await device.putTasks(actor, keys(actor));
      for (const answer of answers) expect([201, 202], answer.text).toContain(answer.status);
    }
    const home = new Map<string, string>();
    for (const actor of actors) {
      const status = await device.waitUntilSynced(actor);
      expect(status.lastError).toBeNull();
      expect(status.remote?.probe).toBe('passed');
      home.set(actor, status.remote?.url ?? '');
    }
    expect(new Set(home.values()), 'both servers hold actors').toEqual(new Set(urls));
    for (const actor of actors) {
      const url = home.get(actor) ?? '';
      await expectSynced({ url }, actor, keys(actor));
      for (const other of urls.filter((candidate) => candidate !== url)) {
        const files = await readActorFiles({ url: other }, actor);
        expect(files.top, `${actor} has nothing on ${other}`).toEqual([]);
      }
    }
  } finally {
    await device.close();
  }
});
