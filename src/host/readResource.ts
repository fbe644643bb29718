import { jsonAnswer, type StoredAnswer } from '../http/answer.ts';
import type { Route } from '../http/parseRoute.ts';
import { ActorError } from '../errors/ActorError.ts';
import { countPending } from '../store/outbox.ts';
import { liveReceipt } from '../store/receipts.ts';
import type { ReceiptRecord } from '../store/schema.ts';
import type { HostContext } from './hostContext.ts';

/** Answers the safe methods: an actor's state, its status, a receipt. */
export async function readResource(
  host: HostContext,
  route: Route,
  ifNoneMatch: string | null,
): Promise<StoredAnswer> {
  const db = await host.db();
  if (route.resource === 'receipt') {
    const receipt = await liveReceipt(db, route.actorId, route.key, Date.now());
    if (receipt === undefined) throw new ActorError('receipt-not-found');
    return jsonAnswer(200, receiptView(receipt));
  }
  const record = await db.get('actors', route.actorId);
  if (route.resource === 'status') {
    return jsonAnswer(200, {
      id: route.actorId,
      version: record?.version ?? 0,
      seq: record?.seq ?? 0,
      pending: await countPending(db, route.actorId),
      lastSyncedAt: null,
      lastError: null,
      remote: null,
    });
  }
  const { state, etag } = await host.versionedState(record);
  if (
    ifNoneMatch !== null &&
    ifNoneMatch.split(',').some((tag) => [etag, '*'].includes(tag.trim()))
  ) {
    return { status: 304, headers: [['etag', etag]], body: '' };
  }
  return jsonAnswer(200, state, [['etag', etag]]);
}

function receiptView(receipt: ReceiptRecord) {
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
