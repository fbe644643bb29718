import type { ActorClient, ActorEvent, ActorStatus } from '../../src/client.ts';
import { isActorHttpError } from '../../src/client.ts';
import type { Barista, LoggedOrder } from './catalog.ts';
import { h, shortKey } from './dom.ts';

const shown = 8;
type OrderStatus = 'pending' | 'confirmed' | 'failed';

/**
 * One barista's outbox: the orders on this device (its local state), each
 * pending until the remote confirms it, and the progress of its sync. It
 * redraws on the worker's events, which every tab hears.
 */
export function baristaOutbox(client: ActorClient, barista: Barista) {
  const actor = client.actor(barista.id);
  const known = new Map<string, OrderStatus>();
  const syncLine = h('p', { class: 'sync', data: { phase: 'idle' }, text: 'not synced yet' });
  const tally = h('p', { class: 'tally', text: '0 orders' });
  const remoteTally = h('p', { class: 'tally remote-tally', text: '' });
  const orders = h('ol', { class: 'orders' });
  const card = h('article', { class: 'card barista', data: { barista: barista.id } }, [
    h('header', { class: 'barista-head' }, [
      h('span', {
        class: 'avatar',
        text: barista.name.slice(0, 1),
        attrs: { 'aria-hidden': 'true' },
      }),
      h('h3', { text: barista.name }),
      h('div', { class: 'tallies' }, [tally, remoteTally]),
    ]),
    syncLine,
    orders,
  ]);

  let running: Promise<void> | undefined;
  let again = false;
  // What the last round said, so that a new round's "started" keeps the news of a failure.
  let lastFailure: string | undefined;
  let waiting = 0;

  const showSync = (phase: string, text: string) => {
    syncLine.dataset['phase'] = phase;
    syncLine.textContent = text;
  };

  const showStarted = () => {
    if (lastFailure === undefined) showSync('started', 'syncing…');
    else showSync('failed', `${lastFailure} · ${waiting} waiting · retrying…`);
  };

  const showStatus = (status: ActorStatus) => {
    waiting = status.pending;
    lastFailure = status.lastError?.code;
    if (status.syncing) showStarted();
    else if (status.lastError !== null) {
      showSync('failed', `${status.lastError.code} · ${status.pending} waiting · retrying`);
    } else if (status.version > 0 || status.pending > 0) {
      showSync(
        status.pending > 0 ? 'pending' : 'synced',
        `version ${status.version}${status.pending > 0 ? ` · ${status.pending} waiting` : ' · in sync'}`,
      );
    } else {
      showSync('idle', 'nothing on the remote yet');
    }
  };

  // A receipt the worker no longer has (expired, or the order came from another device) is confirmed.
  const statusOf = async (key: string): Promise<OrderStatus> => {
    try {
      const receipt = await actor.receipt(key);
      return receipt.status === 'done' ? 'confirmed' : receipt.status;
    } catch (error) {
      if (isActorHttpError(error) && error.status === 404) return 'confirmed';
      throw error;
    }
  };

  const draw = async () => {
    const [{ state }, status] = await Promise.all([actor.state(), actor.status()]);
    const tasks = (Array.isArray(state['tasks']) ? state['tasks'] : []) as LoggedOrder[];
    const newest = tasks.slice(-shown).reverse();
    await Promise.all(
      newest.map(async ({ key }) => {
        if (known.get(key) === 'confirmed' || known.get(key) === 'failed') return;
        known.set(key, status.pending === 0 ? 'confirmed' : await statusOf(key));
      }),
    );
    const items = newest.map(({ key, task }) =>
      h('li', { data: { key, status: known.get(key) ?? 'pending' } }, [
        h('span', { class: 'drink', text: String(task.drink ?? '?') }),
        h('span', { class: 'for', text: `for ${String(task.customer ?? 'someone')}` }),
        h('span', { class: 'receipt', text: shortKey(key), title: key }),
        h('span', {
          class: `badge ${known.get(key) ?? 'pending'}`,
          text: known.get(key) ?? 'pending',
        }),
      ]),
    );
    if (items.length === 0) items.push(h('li', { class: 'empty', text: 'No orders yet.' }));
    if (tasks.length > shown) {
      items.push(h('li', { class: 'more', text: `and ${tasks.length - shown} earlier` }));
    }
    orders.replaceChildren(...items);
    tally.textContent = `${tasks.length} order${tasks.length === 1 ? '' : 's'} here`;
    card.dataset['orders'] = String(tasks.length);
    card.dataset['pending'] = String(status.pending);
    showStatus(status);
  };

  /** Redraws now, or once more after the redraw in progress. */
  const refresh = async (): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await draw().catch((error: unknown) => console.warn(`outbox ${barista.id}`, error));
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };

  return {
    card,
    refresh,
    /** Shows the remote's count for this barista. */
    showRemote(orders: number, version: number) {
      remoteTally.textContent = `${orders} on the remote (v${version})`;
    },
    /** Feeds one worker event; ignores other baristas'. */
    onEvent(event: ActorEvent) {
      if (event.actorId !== barista.id) return;
      if (event.type === 'receipt') {
        known.set(event.key, event.status === 'done' ? 'confirmed' : event.status);
      } else if (event.phase === 'started') {
        showStarted();
        return;
      } else {
        waiting = event.pending;
        lastFailure = event.error?.code;
        if (event.phase === 'failed') {
          showSync('failed', `${lastFailure ?? 'failed'} · ${waiting} waiting · retrying`);
        }
      }
      void refresh();
    },
  };
}
