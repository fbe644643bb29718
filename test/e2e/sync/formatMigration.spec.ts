import { webcrypto } from 'node:crypto';
import { fingerprint } from '../../../src/idempotency/fingerprint.ts';
import { versionName } from '../../../src/sync/remotePaths.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer, WebdavServerKind } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { expect, test } from '../support/fixtures.ts';
import { listRemote, readRemote, segmentPattern } from '../support/remoteFiles.ts';
import { SyncDevice } from '../support/syncDevice.ts';
import { expectSynced } from './expectRemote.ts';

// DESIGN.md §6a on each real server: a remote the format-1 code wrote is read as a checkpoint and
// the next fold writes format 2 after it; its key registry still stops an old key taking effect
// twice; with checkpoints every two versions, old versions become tombstones (their folders kept,
// so their numbers stay taken), folded segments are deleted by their writer, and a new device
// reads the head from what is left.

const kinds: readonly WebdavServerKind[] = ['embedded', 'lighttpd', 'apache'];
const oldDevice = '0ld0ld00-0000-4000-8000-000000000001';
const name = 'migration';

/** `{ url }/{path}`, its parent collections made first: what the old code left on the server. */
async function plant(server: WebdavServer, path: string, body: string): Promise<void> {
  const parts = path.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    await fetch(`${server.url}${parts.slice(0, depth).join('/')}/`, { method: 'MKCOL' });
  }
  const answer = await fetch(`${server.url}${path}`, { method: 'PUT', body });
  expect(answer.ok, `PUT ${path}: ${answer.status}`).toBe(true);
}

/** Three format-1 versions of `actor`, the last holding tasks `old-1`…`old-3` and their keys. */
async function plantFormat1(server: WebdavServer, actor: string): Promise<void> {
  const at = Date.now() - 60 * 60 * 1000;
  const tasks = [];
  const keys: Record<string, [string, string, number, number, number]> = {};
  for (let seq = 1; seq <= 3; seq++) {
    const key = `old-${seq}`;
    const body = new TextEncoder().encode(JSON.stringify({ n: key }));
    const print = await fingerprint('PUT', `/${name}/actors/${actor}/tasks`, undefined, body);
    tasks.push({ key, task: { n: key }, at });
    keys[key] = [print, oldDevice, seq, at, 201];
    const version = {
      format: 1,
      version: seq,
      parent: seq - 1,
      nonce: webcrypto.randomUUID(),
      state: { tasks: [...tasks] },
      devices: { [oldDevice]: { seq, t: at, acked: seq, results: {} } },
      keys: { ...keys },
      clock: at,
      updatedAt: new Date(at).toISOString(),
    };
    const folder = `${encodeURIComponent(actor)}/v/${versionName(seq)}`;
    await plant(server, `${folder}/state.json`, JSON.stringify(version));
    await plant(server, `${folder}/claim.json`, JSON.stringify({ nonce: version.nonce }));
  }
  for (const folder of ['log', 'staging']) {
    await fetch(`${server.url}${encodeURIComponent(actor)}/${folder}/`, { method: 'MKCOL' });
  }
}

for (const kind of kinds) {
  test.describe(kind, () => {
    let server: WebdavServer;

    test.beforeAll(async () => {
      server = await startWebdavServer(kind);
    });

    test.afterAll(async () => {
      await server?.stop();
    });

    test('a format-1 remote migrates to format 2; old versions become tombstones; a new device reads the head', async ({
      browser,
    }) => {
      const actor = freshActor(`migrate-${kind}`);
      await plantFormat1(server, actor);
      const options = { name, remote: server.url, confirm: 0, checkpointEvery: 2 };
      const device = await SyncDevice.open(browser, options);
      const newcomer = await SyncDevice.open(browser, options);
      try {
        // An old key retried from a device that never saw it: a replay, not a second task.
        const keys = ['old-1', 'new-1'];
        await device.putTasks(actor, keys);
        await device.waitUntilSynced(actor);
        const first = await readRemote(
          { url: server.url },
          `${actor}/v/${versionName(4)}/state.json`,
        );
        expect(JSON.parse(first ?? '{}')).toMatchObject({ format: 2, kind: 'checkpoint' });
        const replayed = await device.receipt(actor, 'old-1');
        expect(replayed.json).toMatchObject({ status: 'done', answer: { status: 201 } });

        for (let round = 2; round <= 5; round++) {
          await device.putTask(actor, `new-${round}`);
          await device.waitUntilSynced(actor);
        }
        const all = ['old-1', 'old-2', 'old-3', 'new-1', 'new-2', 'new-3', 'new-4', 'new-5'];
        const { head } = await expectSynced({ url: server.url }, actor, all);
        expect(head.version).toBeGreaterThanOrEqual(8);

        // Checkpoints come every two versions from v4 on; the head being 2 past its own, the
        // format-1 chain before v4 is gone.
        for (let n = 1; n <= 3; n++) {
          const folder = await listRemote({ url: server.url }, `${actor}/v/${versionName(n)}/`);
          const names = (folder ?? []).map((entry) => entry.name);
          expect(names, `v/${versionName(n)}/ is a tombstone`).toEqual(['gone.json']);
        }
        const stored = async (n: number) =>
          JSON.parse(
            (await readRemote({ url: server.url }, `${actor}/v/${versionName(n)}/state.json`)) ??
              '{}',
          ) as { base: number; devices: Record<string, { seq: number }> };
        const checkpoint = await stored((await stored(head.version)).base);
        const covered = Math.max(
          ...Object.entries(checkpoint.devices)
            .filter(([id]) => id !== oldDevice)
            .map(([, entry]) => entry.seq),
        );
        const log = (await listRemote({ url: server.url }, `${actor}/log/`)) ?? [];
        for (const entry of log) {
          const last = Number(segmentPattern.exec(entry.name)?.[3]);
          expect(last, `${entry.name} is past what the checkpoint holds`).toBeGreaterThan(covered);
        }

        const status = await newcomer.waitUntilSynced(actor);
        expect(status.version).toBe(head.version);
        const state = (await newcomer.state(actor)) as { tasks: { key: string }[] };
        expect(state.tasks.map((task) => task.key)).toEqual(all);
      } finally {
        await newcomer.close();
        await device.close();
      }
    });
  });
}
