import { ActorError } from '../errors/ActorError.ts';
import { jsonAnswer, type StoredAnswer } from '../http/answer.ts';
import type { Route } from '../http/parseRoute.ts';
import type { ActorReceipt, ActorStatus, SyncProblem } from '../http/types.ts';
import { countPending } from '../store/outbox.ts';
import { liveReceipt } from '../store/receipts.ts';
import type { ActorDb } from '../store/openDb.ts';
import type { ActorRecord, ReceiptRecord } from '../store/schema.ts';
import type { SyncEngine } from '../sync/SyncEngine.ts';
import { versionedState } from './versionedState.ts';
import type { KeepAlive } from './workerScope.ts';

/** What reads need of the host: the database, and the sync engine when there is a remote. */
export interface ReadHost {
  db(): Promise<ActorDb>;
  sync: Pick<SyncEngine, 'request' | 'state' | 'remote'> | undefined;
}

/**
 * Answers the safe methods: an actor's state, its status, a receipt. Reads
 * cost no remote request, except that an actor this device has never seen is
 * pulled once, so a device can follow actors others write.
 */
export async function readResource(
  host: ReadHost,
  route: Route,
  ifNoneMatch: string | null,
  keepAlive: KeepAlive,
): Promise<StoredAnswer> {
  const { sync } = host;
  const db = await host.db();
  if (route.resource === 'receipt') {
    const receipt = await liveReceipt(db, route.actorId, route.key, Date.now());
    if (receipt === undefined) throw new ActorError('receipt-not-found');
    return jsonAnswer(200, receiptView(receipt));
  }
  const record = await db.get('actors', route.actorId);
  if (record === undefined && sync !== undefined) keepAlive(sync.request(route.actorId));
  if (route.resource === 'status') {
    return jsonAnswer(200, await statusView(host, route.actorId, record));
  }
  const { state, etag } = await versionedState(record);
  const matches = ifNoneMatch?.split(',').some((tag) => [etag, '*'].includes(tag.trim()));
  if (matches === true) return { status: 304, headers: [['etag', etag]], body: '' };
  return jsonAnswer(200, state, [['etag', etag]]);
}

async function statusView(
  host: ReadHost,
  actorId: string,
  record: ActorRecord | undefined,
): Promise<ActorStatus> {
  const { sync } = host;
  const syncState = sync?.state(actorId);
  return {
    id: actorId,
    version: record?.version ?? 0,
    seq: record?.seq ?? 0,
    pending: await countPending(await host.db(), actorId),
    lastSyncedAt:
      record?.lastSyncedAt === undefined ? null : new Date(record.lastSyncedAt).toISOString(),
    // The engine records only SyncError codes there (SyncEngine's round wraps anything else).
    lastError: (syncState?.lastError ?? null) as SyncProblem | null,
    syncing: syncState?.syncing ?? false,
    heldBack: syncState?.heldBack ?? [],
    remote: sync === undefined ? null : sync.remote(actorId),
  };
}

function receiptView(receipt: ReceiptRecord): ActorReceipt {
  return {
    actorId: receipt.actorId,
    key: receipt.key,
    status: receipt.status,
    seq: receipt.seq,
    createdAt: new Date(receipt.createdAt).toISOString(),
    expiresAt: receipt.expiresAt === undefined ? null : new Date(receipt.expiresAt).toISOString(),
    answer: {
      status: receipt.answer.status,
      headers: Object.fromEntries(receipt.answer.headers),
      body: JSON.parse(receipt.answer.body) as unknown,
    },
  };
}
