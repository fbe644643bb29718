import { lockLeaseMs } from '../../../../src/host/createActorHost.ts';
import { hostStore } from '../../../../src/host/hostStore.ts';
import { normalizeOptions, type ActorHostOptions } from '../../../../src/host/options.ts';
import { tabEvents } from '../../../../src/host/tabEvents.ts';
import { ActorLocks } from '../../../../src/mailbox/ActorLocks.ts';
import type { SyncHost } from '../../../../src/sync/SyncHost.ts';
import type { ActorDb } from '../../../../src/store/openDb.ts';
import type { OutboxRecord, ReceiptRecord } from '../../../../src/store/schema.ts';
import { jsonAnswer } from '../../../../src/http/answer.ts';
import { uniqueDbName } from '../../support/deferred.ts';
import { actorId, add, keyOf, syncCommands } from './builders.ts';

export interface LocalDevice {
  host: SyncHost;
  db: ActorDb;
  deviceId: string;
  runs: ReturnType<typeof syncCommands>['runs'];
}

// keyOf names a message by its device's first character: the fixed devices own a, b and c, so a
// local device's id starts with another one, and two made in a row never share it.
const localFirsts = '0123456789def';
let made = 0;

/** What sync needs of a host with a remote configured (never contacted), on a database of its own. */
export async function localDevice(
  receiptTtlMs = 60_000,
  options: Pick<ActorHostOptions, 'checkpointEvery'> = {},
): Promise<LocalDevice> {
  const { commands, runs } = syncCommands();
  const config = normalizeOptions({
    dbName: uniqueDbName(),
    remote: { url: 'http://127.0.0.1:1/dav/' },
    commands,
    receiptTtlMs,
    ...options,
  });
  const store = hostStore(config.dbName);
  const locks = new ActorLocks(lockLeaseMs);
  const host: SyncHost = {
    config,
    db: store.db,
    deviceId: store.deviceId,
    locks,
    emit: tabEvents(),
  };
  const db = await host.db();
  const first = localFirsts[made++ % localFirsts.length] ?? '0';
  await db.put('meta', `${first}${crypto.randomUUID().slice(1)}`, 'deviceId');
  const deviceId = await host.deviceId();
  return { host, db, deviceId, runs };
}

/** The outbox row acceptance writes for `add(key)` as this device's message `seq`. */
export function outboxRow(
  deviceId: string,
  seq: number,
  at: number,
  actor = actorId,
): OutboxRecord {
  const key = keyOf(deviceId, seq);
  return { actorId: actor, seq, key, fingerprint: `fp:${key}`, message: add(key), at };
}

/** A pending receipt as acceptance writes it with a remote: a tentative 202. */
export function pendingReceipt(row: OutboxRecord): ReceiptRecord {
  return {
    actorId: row.actorId,
    key: row.key,
    fingerprint: row.fingerprint,
    seq: row.seq,
    status: 'pending',
    answer: jsonAnswer(202, { key: row.key, status: 'pending', result: { tentative: row.seq } }),
    createdAt: row.at,
  };
}

/** Writes outbox rows (and, unless told not to, their pending receipts) in one transaction. */
export async function putRows(
  db: ActorDb,
  rows: OutboxRecord[],
  receipts: ReceiptRecord[] = rows.map(pendingReceipt),
): Promise<void> {
  const tx = db.transaction(['outbox', 'receipts'], 'readwrite');
  await Promise.all([
    ...rows.map((row) => tx.objectStore('outbox').put(row)),
    ...receipts.map((receipt) => tx.objectStore('receipts').put(receipt)),
    tx.done,
  ]);
}
