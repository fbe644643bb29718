import '../setup.ts';
import { describe, expect, it } from 'vitest';
import type { Queued } from '../../../src/mailbox/Mailbox.ts';
import { acceptBatch, type AcceptBatchHost } from '../../../src/host/acceptBatch.ts';
import { hostStore } from '../../../src/host/hostStore.ts';
import { normalizeOptions, type ActorHostOptions } from '../../../src/host/options.ts';
import { actorSegments } from '../../../src/store/segments.ts';
import { fixSegments } from '../../../src/sync/fixSegments.ts';
import { decodeSegment } from '../../../src/sync/segmentFile.ts';
import { parseSegmentName } from '../../../src/sync/segmentName.ts';
import { uniqueDbName } from '../support/deferred.ts';

/** A turn's host with a remote (never contacted), so accepted messages go to the outbox. */
function hostWithRemote(options: ActorHostOptions = {}) {
  const config = normalizeOptions({
    dbName: uniqueDbName(),
    remote: { url: 'http://127.0.0.1:1/dav/' },
    ...options,
  });
  return { config, ...hostStore(config.dbName), emit: () => undefined } satisfies AcceptBatchHost;
}

/** A letter for a task append, whose answer the returned promise gets. */
function letter(key: string): { queued: Queued; answered: Promise<number> } {
  let queued: Queued | undefined;
  const answered = new Promise<number>((resolve, reject) => {
    queued = {
      actorId: 'shop',
      key,
      fingerprint: `fp:${key}`,
      message: { type: '@task', payload: { key } },
      deliver: (delivery) => resolve(delivery.answer.status),
      refuse: reject,
    };
  });
  if (queued === undefined) throw new Error('unreachable');
  return { queued, answered };
}

describe('acceptBatch with a remote', () => {
  it.each([0, 4])(
    'logs the commandsVersion %i of the accepting worker in the outbox row and its segment',
    async (commandsVersion) => {
      const host = hostWithRemote({ commandsVersion });
      const first = letter('k1');
      await acceptBatch(host, 'shop', [first.queued]);
      await expect(first.answered).resolves.toBe(202);
      const db = await host.db();
      const [row] = await db.getAll('outbox');
      expect(row).toMatchObject({ seq: 1, key: 'k1', commandsVersion });

      await fixSegments(db, 'shop', await host.deviceId());
      const [record] = await actorSegments(db, 'shop');
      const named = record === undefined ? undefined : parseSegmentName(record.name);
      if (record === undefined || named === undefined) throw new Error('no segment');
      const decoded = await decodeSegment('shop', named, record.body);
      expect(decoded.messages.map((logged) => logged.commandsVersion)).toEqual([commandsVersion]);
    },
  );
});
