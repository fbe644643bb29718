import type { ActorEvent, ActorResult } from '../../src/client.ts';
import { isActorClientError, isActorHttpError } from '../../src/client.ts';
import { h, shortKey } from './dom.ts';

const maxEntries = 14;
type FinalTag = 'confirmed' | 'failed';

/**
 * The "Answers" list: what each request got back, newest first. A `pending` answer (the 202
 * the worker gives before the remote confirms) follows its receipt's events to `confirmed` or
 * `failed`, as the barista's outbox does, so the two never disagree about one receipt.
 */
export function answerLog(list: HTMLOListElement) {
  // Final statuses heard, so an answer logged after its receipt's event (the confirmation can
  // overtake the 202 on its way to the page) is drawn final at once.
  const finals = new Map<string, FinalTag>();
  const add = (item: HTMLLIElement) => {
    list.prepend(item);
    while (list.children.length > maxEntries) list.lastElementChild?.remove();
  };
  const settle = (key: string, tag: FinalTag) => {
    for (const item of list.querySelectorAll<HTMLLIElement>('li[data-status="pending"]')) {
      if (item.dataset['key'] !== key) continue;
      item.dataset['status'] = tag;
      const badge = item.querySelector('.badge');
      if (badge !== null) {
        badge.className = `badge ${tag}`;
        badge.textContent = tag;
      }
    }
  };
  return {
    result(label: string, result: ActorResult) {
      const tag = result.replayed
        ? 'replayed'
        : result.status === 'done'
          ? 'confirmed'
          : (finals.get(result.key) ?? 'pending');
      add(
        h('li', { data: { key: result.key, status: tag } }, [
          h('span', { class: 'code', text: String(result.answer.status) }),
          h('span', { class: 'what', text: label }),
          h('span', { class: 'receipt', text: shortKey(result.key), title: result.key }),
          h('span', { class: `badge ${tag}`, text: tag }),
        ]),
      );
    },
    /** Feeds one worker event: a receipt confirmed or failed settles its pending answers. */
    onEvent(event: ActorEvent) {
      if (event.type !== 'receipt' || event.status === 'pending') return;
      const tag: FinalTag = event.status === 'done' ? 'confirmed' : 'failed';
      finals.set(event.key, tag);
      // Keys of entries long gone need not be remembered forever.
      if (finals.size > 4 * maxEntries) finals.delete(finals.keys().next().value ?? '');
      settle(event.key, tag);
    },
    error(label: string, error: unknown) {
      const code = isActorHttpError(error)
        ? String(error.status)
        : isActorClientError(error)
          ? error.code
          : 'error';
      const detail = error instanceof Error ? error.message : String(error);
      add(
        h('li', { data: { status: 'failed' } }, [
          h('span', { class: 'code', text: code }),
          h('span', { class: 'what', text: `${label}: ${detail}` }),
          h('span', { class: 'badge failed', text: 'failed' }),
        ]),
      );
    },
    note(text: string) {
      add(h('li', { class: 'note', text }));
    },
  };
}
