import { applyMessage, type VersionedState } from '../actor/applyMessage.ts';
import { canonicalJson } from '../actor/canonicalJson.ts';
import { stateEtag } from '../actor/stateEtag.ts';
import { sha256Hex } from '../crypto/sha256Hex.ts';
import { ActorError } from '../errors/ActorError.ts';
import type { StoredAnswer } from '../http/answer.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import { receiptLocation } from '../http/receiptLocation.ts';
import type { SyncHost } from './SyncHost.ts';
import { receiptEvent } from '../events/receiptEvent.ts';
import { actorRange } from '../store/actorRange.ts';
import { commit } from '../store/commit.ts';
import type { ActorRecord, ReceiptRecord } from '../store/schema.ts';
import { sameFingerprint } from './storedKeys.ts';
import type { VersionFile } from './versionFile.ts';

/** What confirming a version changed here. */
export interface Confirmation {
  /** Every message of this device up to this seq has its final answer. */
  confirmedUpTo: number;
  /** A version contradicts an answer already final here ([a sync round](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround), step 6). */
  fork: boolean;
  /** This device's messages of the actor still waiting for the remote. */
  pending: number;
}

/**
 * Takes a version as the truth ([a sync round](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround), step 6), under the actor's lock so
 * no message is accepted meanwhile: in one transaction, the receipts it
 * answers become final, their outbox rows and segments go, and the local
 * state becomes its state with the remaining outbox replayed on top in seq
 * order. A final receipt is never rewritten.
 *
 * A version behind the one confirmed here changes nothing ([a sync round](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround)):
 * an older one (a stale listing), or, as a fork, the confirmed number under
 * another nonce or one holding fewer of this device's messages than it
 * confirmed. The record keeps the confirmed version's nonce and the
 * fingerprints of the answers confirmed that versions still carry, so a
 * later version that answers one differently is a fork, also once its
 * outbox row is gone.
 */
export function confirmVersion(
  host: SyncHost,
  actorId: string,
  deviceId: string,
  version: VersionFile,
): Promise<Confirmation> {
  return host.locks.run(actorId, async () => {
    const { config } = host;
    const db = await host.db();
    const mine = version.devices[deviceId];
    const upTo = mine?.seq ?? 0;
    const read = db.transaction(['actors', 'outbox', 'receipts', 'segments'], 'readonly');
    const [record, rows, segments] = await Promise.all([
      read.objectStore('actors').get(actorId),
      read.objectStore('outbox').getAll(actorRange(actorId)),
      read.objectStore('segments').getAll(actorRange(actorId)),
    ]);
    const receipts = await Promise.all(
      rows.map((row) => read.objectStore('receipts').get([actorId, row.key])),
    );
    if (record !== undefined) {
      const replaced =
        version.version === record.version &&
        record.nonce !== undefined &&
        version.nonce !== record.nonce;
      const lacking = upTo < (record.acked ?? 0);
      if (version.version < record.version || replaced || lacking) {
        return {
          confirmedUpTo: record.acked ?? 0,
          fork: version.version >= record.version,
          pending: rows.length,
        };
      }
    }
    // Answers confirmed before, still carried (past `acked` there), must read the same.
    const carriedFrom = mine?.acked ?? 0;
    const answers: Record<string, string> = {};
    let fork = false;
    for (const [seq, fingerprint] of Object.entries(record?.answers ?? {})) {
      if (Number(seq) <= carriedFrom) continue;
      answers[seq] = fingerprint;
      const answer = mine?.results[seq];
      if (answer === undefined || (await answerFingerprint(answer)) !== fingerprint) fork = true;
    }
    const now = Date.now();
    const finals: ReceiptRecord[] = [];
    const confirmedSeqs: number[] = [];
    const stuck = new Set<number>();
    const kept: [number, StoredAnswer][] = [];
    rows.forEach((row, index) => {
      if (row.seq > upTo) return;
      let answer = mine?.results[String(row.seq)];
      const receipt = receipts[index];
      // The answer at our seq is another install's if the registry files that seq under another request.
      const registered = version.keys.atSeq(deviceId, row.seq);
      const foreign =
        registered !== undefined &&
        (registered[0] !== row.key || !sameFingerprint(registered[1][0], row.fingerprint));
      // Folded, but the answer was dropped: this device was silent past retireAfterMs ([retirement](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)).
      const retired = answer === undefined && !foreign && (mine?.acked ?? 0) >= row.seq;
      if ((answer === undefined && !retired) || foreign) {
        fork = true;
        stuck.add(row.seq);
        return;
      }
      answer ??= problemAnswer(
        new ActorError('answer-retired'),
        receiptLocation(config.scope, actorId, row.key),
      );
      confirmedSeqs.push(row.seq);
      if (receipt === undefined || receipt.status === 'pending') {
        kept.push([row.seq, answer]);
      } else {
        fork ||= receipt.answer.body !== answer.body || receipt.answer.status !== answer.status;
        kept.push([row.seq, receipt.answer]);
      }
      if (receipt?.status !== 'pending') return;
      const status = answer.status < 400 ? 'done' : 'failed';
      finals.push({ ...receipt, status, answer, expiresAt: now + config.receiptTtlMs });
    });
    // What is final here is what a later version must agree with; a fingerprint kept before stays.
    for (const [seq, answer] of kept) {
      if (seq > carriedFrom) answers[String(seq)] ??= await answerFingerprint(answer);
    }

    let current: VersionedState = {
      state: version.state,
      etag: await stateEtag(canonicalJson(version.state)),
    };
    for (const row of rows) {
      if (row.seq <= upTo) continue;
      const context = { actorId, key: row.key, at: row.at, deviceId, seq: row.seq };
      const applied = await applyMessage(
        config.commands,
        current,
        row.message,
        context,
        config.turnTimeoutMs,
      );
      if (applied.ok) current = applied.next;
    }
    const actor: ActorRecord = {
      ...record,
      id: actorId,
      state: current.state,
      etag: current.etag,
      seq: Math.max(record?.seq ?? 0, upTo),
      confirmedState: version.state,
      version: version.version,
      nonce: version.nonce,
      answers,
      acked: Math.max(record?.acked ?? 0, upTo),
      lastSyncedAt: now,
    };
    const write = db.transaction(['actors', 'outbox', 'receipts', 'segments'], 'readwrite', {
      durability: 'strict',
    });
    await commit(write, function* (tx) {
      yield tx.objectStore('actors').put(actor);
      for (const receipt of finals) yield tx.objectStore('receipts').put(receipt);
      for (const seq of confirmedSeqs) yield tx.objectStore('outbox').delete([actorId, seq]);
      // A segment goes with its rows: one still holding a stuck row stays, or it would be fixed again.
      for (const segment of segments) {
        const holdsStuck = [...stuck].some((seq) => seq >= segment.first && seq <= segment.last);
        if (segment.last <= upTo && !holdsStuck) {
          yield tx.objectStore('segments').delete([actorId, segment.first]);
        }
      }
    });
    for (const receipt of finals) host.emit(receiptEvent(receipt));
    return { confirmedUpTo: upTo, fork, pending: rows.length - confirmedSeqs.length };
  });
}

// Status and body, as the fork check of a final receipt compares them.
async function answerFingerprint(answer: StoredAnswer): Promise<string> {
  return (await sha256Hex(`${answer.status}\n${answer.body}`)).slice(0, 32);
}
