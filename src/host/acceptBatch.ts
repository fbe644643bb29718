import { applyMessage, isCommandFault } from '../actor/applyMessage.ts';
import { ActorError } from '../errors/ActorError.ts';
import { tooManyPending, type Queued } from '../mailbox/Mailbox.ts';
import { actorRange } from '../store/actorRange.ts';
import { issueAll } from '../store/commit.ts';
import { unexpired } from '../store/receipts.ts';
import type { ActorRecord, OutboxRecord, ReceiptRecord } from '../store/schema.ts';
import type { SharedTransactions } from '../store/SharedTransactions.ts';
import type { ActorEvent } from '../events/actorEvent.ts';
import type { HostConfig } from './options.ts';
import { messageAnswer } from '../actor/messageAnswer.ts';
import { receiptEvent } from '../events/receiptEvent.ts';
import { versionedState } from './versionedState.ts';

/** What a turn needs of its host: the stores it reads and commits to, the device id, and a way to tell the tabs. */
export interface AcceptBatchHost {
  config: Pick<
    HostConfig,
    | 'remote'
    | 'maxPendingPerActor'
    | 'commands'
    | 'turnTimeoutMs'
    | 'scope'
    | 'receiptTtlMs'
    | 'commandsVersion'
    | 'checkDeterminism'
  >;
  deviceId(): Promise<string>;
  reads: SharedTransactions<'readonly'>;
  writes: SharedTransactions<'readwrite'>;
  emit(event: ActorEvent): void;
}

/**
 * One turn of an actor's mailbox, run under its lock: reads the receipts
 * (another worker may have answered a key meanwhile), runs each new
 * message on the state the previous one left, and commits every accepted
 * message's state, receipt and (with a remote) outbox row in ONE strict
 * transaction, which other actors' turns may share. No answer is given
 * before that transaction completes (the output gate).
 */
export async function acceptBatch(
  host: AcceptBatchHost,
  actorId: string,
  batch: Queued[],
): Promise<void> {
  const { config } = host;
  const final = config.remote === undefined;
  const [device, [record, stored, backlog]] = await Promise.all([
    host.deviceId(),
    host.reads.run((read) =>
      Promise.all([
        read.objectStore('actors').get(actorId),
        Promise.all(batch.map((letter) => read.objectStore('receipts').get([actorId, letter.key]))),
        // Without a remote nothing is ever queued for it.
        final ? 0 : read.objectStore('outbox').count(actorRange(actorId)),
      ]),
    ),
  ]);
  const now = Date.now();
  let current = await versionedState(record);
  let seq = record?.seq ?? 0;
  const accepted: { letter: Queued; receipt: ReceiptRecord; outbox: OutboxRecord }[] = [];
  const replays: [Queued, ReceiptRecord][] = [];

  for (const [index, letter] of batch.entries()) {
    // The mailbox queues a key once, so a duplicate can only come from a receipt already stored.
    const existing = unexpired(stored[index], now);
    if (existing !== undefined) {
      if (existing.fingerprint !== letter.fingerprint) letter.refuse(new ActorError('key-reused'));
      else replays.push([letter, existing]);
      continue;
    }
    if (backlog + accepted.length >= config.maxPendingPerActor) {
      letter.refuse(tooManyPending());
      continue;
    }
    const { key, fingerprint, message } = letter;
    const context = { actorId, key, at: now, deviceId: device, seq: seq + 1 };
    const applied = await applyMessage(
      config.commands,
      current,
      message,
      context,
      config.turnTimeoutMs,
      config.checkDeterminism,
    );
    // Refused, not stored: a failed If-Match changes nothing, and a faulty command's answer would
    // say nothing of the message (a fixed release answers it), so its key stays free.
    if (
      !applied.ok &&
      (applied.error.code === 'precondition-failed' || isCommandFault(applied.error))
    ) {
      letter.refuse(applied.error);
      continue;
    }
    seq += 1;
    if (applied.ok) current = applied.next;
    const receipt: ReceiptRecord = {
      actorId,
      key,
      fingerprint,
      seq,
      status: final ? (applied.ok ? 'done' : 'failed') : 'pending',
      answer: messageAnswer(config.scope, actorId, key, message, applied, final),
      createdAt: now,
      ...(final ? { expiresAt: now + config.receiptTtlMs } : {}),
    };
    accepted.push({
      letter,
      receipt,
      outbox: {
        actorId,
        seq,
        key,
        fingerprint,
        message,
        at: now,
        commandsVersion: config.commandsVersion,
      },
    });
  }

  if (accepted.length > 0) {
    const actor: ActorRecord = {
      ...record,
      id: actorId,
      state: current.state,
      etag: current.etag,
      seq,
      confirmedState: final ? current.state : (record?.confirmedState ?? {}),
      version: record?.version ?? 0,
    };
    try {
      await host.writes.run((tx) =>
        issueAll(function* () {
          yield tx.objectStore('actors').put(actor);
          for (const { receipt } of accepted) yield tx.objectStore('receipts').put(receipt);
          if (!final) for (const { outbox } of accepted) yield tx.objectStore('outbox').put(outbox);
        }),
      );
    } catch (error) {
      const refusal = storageError(error);
      for (const { letter } of accepted) letter.refuse(refusal);
      accepted.length = 0;
    }
  }
  for (const { letter, receipt } of accepted) {
    letter.deliver({ answer: receipt.answer, replayed: false, seq: receipt.seq });
    host.emit(receiptEvent(receipt));
  }
  for (const [letter, receipt] of replays) {
    letter.deliver({ answer: receipt.answer, replayed: true, seq: receipt.seq });
  }
}

/**
 * Firefox (ESR 153, measured) fails the write after a QuotaExceededError at
 * once with this InvalidStateError: for a moment it lets the full database
 * take no writes at all. It is the same full disk, so it is answered the same.
 */
const firefoxFullDatabase = /database that did not allow mutations/;

function storageError(error: unknown): ActorError {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  const full =
    name === 'QuotaExceededError' ||
    (name === 'InvalidStateError' && firefoxFullDatabase.test(String(message)));
  if (full) {
    return new ActorError('storage-full', 'This device has no room left for the message', {
      cause: error,
    });
  }
  return new ActorError('internal-error', 'The message could not be stored', { cause: error });
}
