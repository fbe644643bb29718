import { locks } from '../setup.ts';
import { describe, expect, it } from 'vitest';
import type { StoredAnswer } from '../../../src/http/answer.ts';
import {
  Mailbox,
  type Letter,
  type MailboxOptions,
  type Queued,
} from '../../../src/mailbox/Mailbox.ts';
import { ActorLocks } from '../../../src/mailbox/ActorLocks.ts';
import { deferred, type Deferred } from '../support/deferred.ts';
import { expectRejectCode } from '../support/errors.ts';

const letter = (actorId: string, key: string, fingerprint = `fp-${key}`): Letter => ({
  actorId,
  key,
  fingerprint,
  message: { type: '@task', payload: { key } },
});

const answerFor = (item: Queued): StoredAnswer => ({
  status: 201,
  headers: [['content-type', 'application/json']],
  body: JSON.stringify({ actorId: item.actorId, key: item.key }),
});

/**
 * A batch handler that records each batch, answers every letter, and can be
 * told to hold a batch until the test lets go.
 */
function recorder() {
  const batches: { actorId: string; keys: string[] }[] = [];
  const holds = new Map<string, Deferred>();
  const started = new Map<string, Deferred>();
  let seq = 0;
  const handle = async (actorId: string, batch: Queued[]) => {
    batches.push({ actorId, keys: batch.map((item) => item.key) });
    for (const item of batch) started.get(item.key)?.resolve();
    for (const item of batch) await holds.get(item.key)?.promise;
    for (const item of batch)
      item.deliver({ answer: answerFor(item), replayed: false, seq: ++seq });
  };
  /** Holds the batch that contains `key`; resolves `running` once that batch has started. */
  const hold = (key: string) => {
    const gate = deferred();
    const running = deferred();
    holds.set(key, gate);
    started.set(key, running);
    return { release: () => gate.resolve(), running: running.promise };
  };
  return { batches, handle, hold };
}

const leaseMs = 10;
const options: MailboxOptions = { onDuplicateInFlight: 'wait', maxQueuedPerActor: 100 };

describe('Mailbox', () => {
  it('runs one letter and resolves with its answer, under the actor lock', async () => {
    const { batches, handle } = recorder();
    const mailbox = new Mailbox(
      async (actorId, batch) => {
        expect(locks.isHeld(`actordav:actor:${actorId}`)).toBe(true);
        await handle(actorId, batch);
      },
      new ActorLocks(leaseMs),
      options,
    );
    const delivery = await mailbox.submit(letter('m1', 'k1'));
    expect(delivery).toEqual({
      answer: answerFor({ ...letter('m1', 'k1'), deliver() {}, refuse() {} }),
      replayed: false,
      seq: 1,
    });
    expect(batches).toEqual([{ actorId: 'm1', keys: ['k1'] }]);
    expect(locks.requested).toContain('actordav:actor:m1');
  });

  it('puts letters that arrive during a batch together into the next batch, in order', async () => {
    const { batches, handle, hold } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    const first = hold('k1');
    const answers = [mailbox.submit(letter('m2', 'k1'))];
    await first.running;
    answers.push(
      mailbox.submit(letter('m2', 'k2')),
      mailbox.submit(letter('m2', 'k3')),
      mailbox.submit(letter('m2', 'k4')),
    );
    first.release();
    const deliveries = await Promise.all(answers);
    expect(batches).toEqual([
      { actorId: 'm2', keys: ['k1'] },
      { actorId: 'm2', keys: ['k2', 'k3', 'k4'] },
    ]);
    expect(deliveries.map((delivery) => delivery.seq)).toEqual([1, 2, 3, 4]);
  });

  it('takes letters submitted in one go as one batch', async () => {
    const { batches, handle } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    await Promise.all(['a', 'b', 'c'].map((key) => mailbox.submit(letter('m3', key))));
    expect(batches).toEqual([{ actorId: 'm3', keys: ['a', 'b', 'c'] }]);
  });

  it('never runs two batches of one actor at once, and keeps actors apart', async () => {
    const { batches, handle, hold } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    const slow = hold('slow');
    const slowAnswer = mailbox.submit(letter('m4-x', 'slow'));
    await slow.running;
    // Another actor is not held up by the first one's turn.
    await mailbox.submit(letter('m4-y', 'quick'));
    expect(batches.map((batch) => batch.actorId)).toEqual(['m4-x', 'm4-y']);
    const queued = mailbox.submit(letter('m4-x', 'later'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toHaveLength(2);
    slow.release();
    await Promise.all([slowAnswer, queued]);
    expect(batches.at(-1)).toEqual({ actorId: 'm4-x', keys: ['later'] });
  });

  it('refuses every letter of a batch whose handler throws, and carries on with the next', async () => {
    const failure = new Error('disk on fire');
    let calls = 0;
    const started = deferred();
    const gate = deferred();
    const mailbox = new Mailbox(
      async (_actorId, batch) => {
        calls++;
        if (calls === 1) {
          started.resolve();
          await gate.promise;
          throw failure;
        }
        for (const item of batch)
          item.deliver({ answer: answerFor(item), replayed: false, seq: calls });
      },
      new ActorLocks(leaseMs),
      options,
    );
    const doomed = [mailbox.submit(letter('m5', 'a')), mailbox.submit(letter('m5', 'b'))];
    await started.promise;
    const survivor = mailbox.submit(letter('m5', 'c'));
    gate.resolve();
    for (const result of await Promise.allSettled(doomed)) {
      expect(result).toEqual({ status: 'rejected', reason: failure });
    }
    await expect(survivor).resolves.toMatchObject({ replayed: false });
    // A refused key is free again: it is queued anew.
    await expect(mailbox.submit(letter('m5', 'a'))).resolves.toMatchObject({ replayed: false });
    expect(calls).toBe(3);
  });

  it('lets a handler refuse single letters', async () => {
    const mailbox = new Mailbox(
      (_actorId, batch) => {
        for (const item of batch) {
          if (item.key === 'bad') item.refuse(new Error('no'));
          else item.deliver({ answer: answerFor(item), replayed: false, seq: 1 });
        }
        return Promise.resolve();
      },
      new ActorLocks(leaseMs),
      options,
    );
    const [bad, good] = await Promise.allSettled([
      mailbox.submit(letter('m6', 'bad')),
      mailbox.submit(letter('m6', 'good')),
    ]);
    expect(bad.status).toBe('rejected');
    expect(good.status).toBe('fulfilled');
  });

  it('joins a twin in flight: one run, the same answer, marked replayed', async () => {
    const { batches, handle, hold } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    const first = hold('k');
    const original = mailbox.submit(letter('m7', 'k'));
    await first.running;
    const twin = mailbox.submit(letter('m7', 'k'));
    first.release();
    const [one, two] = await Promise.all([original, twin]);
    expect(one.replayed).toBe(false);
    expect(two).toEqual({ ...one, replayed: true });
    expect(batches).toEqual([{ actorId: 'm7', keys: ['k'] }]);
  });

  it('joins a twin that is still queued, not only one that runs', async () => {
    const { batches, handle } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    const [one, two] = await Promise.all([
      mailbox.submit(letter('m8', 'k')),
      mailbox.submit(letter('m8', 'k')),
    ]);
    expect(two.answer).toEqual(one.answer);
    expect(batches).toEqual([{ actorId: 'm8', keys: ['k'] }]);
  });

  it('refuses a twin with another fingerprint as key-reused', async () => {
    const { handle, hold } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    const first = hold('k');
    const original = mailbox.submit(letter('m9', 'k', 'fp-one'));
    await first.running;
    await expectRejectCode(mailbox.submit(letter('m9', 'k', 'fp-two')), 'key-reused');
    first.release();
    await expect(original).resolves.toMatchObject({ replayed: false });
  });

  it('refuses a twin with key-in-flight when configured to reject', async () => {
    const { handle, hold } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), {
      ...options,
      onDuplicateInFlight: 'reject',
    });
    const first = hold('k');
    const original = mailbox.submit(letter('m10', 'k'));
    await first.running;
    await expectRejectCode(mailbox.submit(letter('m10', 'k')), 'key-in-flight');
    first.release();
    await expect(original).resolves.toMatchObject({ replayed: false });
  });

  it('keys are per actor: the same key on two actors is two letters', async () => {
    const { batches, handle } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    await Promise.all([mailbox.submit(letter('m11-a', 'k')), mailbox.submit(letter('m11-b', 'k'))]);
    expect(batches.map((batch) => batch.actorId).sort()).toEqual(['m11-a', 'm11-b']);
  });

  it('forgets a key once answered: a later letter with it reaches the handler', async () => {
    const { batches, handle } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), options);
    await mailbox.submit(letter('m12', 'k'));
    await mailbox.submit(letter('m12', 'k'));
    expect(batches).toHaveLength(2);
  });

  it('refuses a letter with too-many-pending (503, Retry-After) when the queue is full', async () => {
    const { handle, hold } = recorder();
    const mailbox = new Mailbox(handle, new ActorLocks(leaseMs), {
      ...options,
      maxQueuedPerActor: 2,
    });
    const first = hold('running');
    const running = mailbox.submit(letter('m13', 'running'));
    await first.running;
    const queued = [mailbox.submit(letter('m13', 'q1')), mailbox.submit(letter('m13', 'q2'))];
    const refused: unknown = await mailbox
      .submit(letter('m13', 'q3'))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'too-many-pending',
      status: 503,
      headers: { 'retry-after': '5' },
    });
    // Another actor has its own queue.
    await expect(mailbox.submit(letter('m13-other', 'q3'))).resolves.toBeDefined();
    first.release();
    await Promise.all([running, ...queued]);
  });
});
