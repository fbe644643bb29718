import type { VersionFile } from '../../src/sync/versionFile.ts';
import type { ReceiptView } from './chaosDevice.ts';
import type { Message } from './plan.ts';

/** What the fork check reads of each device: its receipts, by `actor/key`. */
export type DeviceReceipts = ReadonlyMap<string, Readonly<Record<string, ReceiptView>>>;

/** Actors with two final answers for one key, and why. */
export interface ForkCheck {
  readonly actors: string[];
  readonly details: string[];
}

/**
 * A fork is two histories that both gave final answers (DESIGN.md §6b). It shows as a device
 * having seen `remote-fork` for an actor (`reported`), or as a done receipt on a device that the
 * remote's head answers otherwise: its key missing from the head's registry, registered with
 * another status, a task whose logged entry (its acceptance time) differs from the head's, or
 * two refunds of one actor answered with the same running total (each refund lowers the total
 * by 1 on the one history, so their totals are distinct and within −n…−1).
 */
export function checkForks(
  heads: ReadonlyMap<string, VersionFile | undefined>,
  devices: DeviceReceipts,
  messages: ReadonlyMap<string, Message>,
  reported: ReadonlyMap<string, string>,
): ForkCheck {
  const details: string[] = [];
  const actors = new Set<string>();
  const fork = (actor: string, detail: string) => {
    actors.add(actor);
    details.push(`${actor}: ${detail}`);
  };
  for (const [actor, detail] of reported) fork(actor, detail);
  const totals = new Map<string, Map<number, string>>();
  for (const [device, receipts] of devices) {
    for (const [id, receipt] of Object.entries(receipts)) {
      const message = messages.get(id);
      if (message === undefined || receipt.status !== 'done') continue;
      const { actor, key } = message;
      const head = heads.get(actor);
      const entry = head?.keys.get(key);
      if (entry === undefined) {
        fork(actor, `${device} holds ${key} done, the head's registry does not know it`);
        continue;
      }
      if (entry[4] !== undefined && entry[4] !== receipt.answerStatus) {
        fork(actor, `${device} answered ${key} ${receipt.answerStatus}, the head ${entry[4]}`);
      }
      if (receipt.result === undefined || receipt.result === null) continue;
      if (message.kind === 'task') {
        const logged = taskEntry(head, key);
        if (JSON.stringify(logged) !== JSON.stringify(receipt.result)) {
          fork(
            actor,
            `${device} answered ${key} ${JSON.stringify(receipt.result)}, the head logs ${JSON.stringify(logged ?? null)}`,
          );
        }
      } else {
        const total = (receipt.result as { total?: unknown }).total;
        const seen = totals.get(actor) ?? new Map<number, string>();
        totals.set(actor, seen);
        if (typeof total !== 'number') {
          fork(actor, `${device} answered refund ${key} without a total`);
        } else if (seen.has(total)) {
          fork(actor, `refunds ${seen.get(total)} and ${key} both answered total ${total}`);
        } else {
          seen.set(total, key);
        }
      }
    }
  }
  for (const [actor, seen] of totals) {
    const registered = refundCount(heads.get(actor), messages, actor);
    for (const [total, key] of seen) {
      if (total < -registered || total > -1) {
        fork(actor, `refund ${key} answered total ${total}, outside −${registered}…−1`);
      }
    }
  }
  return { actors: [...actors].sort(), details };
}

/** The head's `state.tasks` entry for a key: `{key, task, at}`. */
function taskEntry(head: VersionFile | undefined, key: string): unknown {
  const tasks = (head?.state['tasks'] ?? []) as { key?: string }[];
  return tasks.find((task) => task.key === key);
}

/** How many of the actor's refund keys the head's registry holds. */
function refundCount(
  head: VersionFile | undefined,
  messages: ReadonlyMap<string, Message>,
  actor: string,
): number {
  return [...(head?.keys.entries() ?? [])].filter(
    ([key]) => messages.get(`${actor}/${key}`)?.kind === 'refund',
  ).length;
}
