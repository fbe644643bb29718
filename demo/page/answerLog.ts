import type { ActorResult } from '../../src/client.ts';
import { isActorClientError, isActorHttpError } from '../../src/client.ts';
import { h, shortKey } from './dom.ts';

const maxEntries = 14;

/** The "Answers" list: what each request got back, newest first. */
export function answerLog(list: HTMLOListElement) {
  const add = (item: HTMLLIElement) => {
    list.prepend(item);
    while (list.children.length > maxEntries) list.lastElementChild?.remove();
  };
  return {
    result(label: string, result: ActorResult) {
      const tag = result.replayed ? 'replayed' : result.status === 'done' ? 'confirmed' : 'pending';
      add(
        h('li', { data: { key: result.key, status: tag } }, [
          h('span', { class: 'code', text: String(result.answer.status) }),
          h('span', { class: 'what', text: label }),
          h('span', { class: 'receipt', text: shortKey(result.key), title: result.key }),
          h('span', { class: `badge ${tag}`, text: tag }),
        ]),
      );
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
