import {
  createActorClient,
  registerActors,
  type ActorClient,
  type ActorEvent,
} from '../src/client.ts';
import { airplaneSwitch } from './page/airplaneSwitch.ts';
import { answerLog } from './page/answerLog.ts';
import { baristaOutbox } from './page/baristaOutbox.ts';
import { baristas, drinks, type Order } from './page/catalog.ts';
import { byId, h } from './page/dom.ts';
import { remoteBrowser } from './page/remoteBrowser.ts';
import { remoteOrderCounter } from './page/remoteOrders.ts';
import { requestCounter } from './page/requestCounter.ts';

interface DemoConfig {
  /** The WebDAV collection the worker syncs to (through the airplane gate). */
  remote?: string;
  /** The same collection, reached directly, for the page to browse. */
  browse?: string;
}

const form = byId<HTMLFormElement>('order-form');
const customer = byId<HTMLInputElement>('customer');
const workerStatus = byId('worker-status');
const log = answerLog(byId<HTMLOListElement>('answers'));
const requests = requestCounter((count) => (byId('count-requests').textContent = String(count)));

drawChoices(
  'barista-choices',
  'barista',
  baristas.map((b) => [b.id, b.name]),
  'ada',
);
drawChoices(
  'drink-choices',
  'drink',
  drinks.map((d) => [d, d]),
  'Flat white',
);

void start().catch((error: unknown) => {
  workerStatus.dataset['state'] = 'error';
  workerStatus.textContent = `Service worker failed: ${String(error)}`;
});

async function start(): Promise<void> {
  const config = (await (await fetch('/demo-config.json')).json()) as DemoConfig;
  const query = config.remote === undefined ? '' : `?remote=${encodeURIComponent(config.remote)}`;
  const { persisted } = await registerActors(`/sw.js${query}`);
  workerStatus.dataset['state'] = 'ready';
  workerStatus.textContent = 'Worker ready';
  void persisted.then((answer) => {
    workerStatus.textContent = `Worker ready · storage ${answer === true ? 'persistent' : 'best effort'}`;
  });

  const client = createActorClient();
  const outboxes = baristas.map((barista) => baristaOutbox(client, barista));
  byId('outboxes').replaceChildren(...outboxes.map((outbox) => outbox.card));

  const browseUrl = config.browse ?? config.remote;
  const browser =
    browseUrl === undefined
      ? undefined
      : remoteBrowser(browseUrl, {
          crumbs: byId('remote-path'),
          list: byId<HTMLUListElement>('remote-list'),
          file: byId<HTMLPreElement>('remote-file'),
        });
  byId('remote-url').textContent =
    browseUrl === undefined
      ? 'No remote: orders are final once committed on this device.'
      : `${browseUrl} — read directly, so airplane mode does not hide it`;
  const countRemote = browseUrl === undefined ? undefined : remoteOrderCounter(browseUrl);

  const updatePending = async () => {
    const pending = await Promise.all(baristas.map((barista) => client.pending(barista.id)));
    byId('count-pending').textContent = String(
      pending.flat().reduce((sum, actor) => sum + actor.unconfirmed, 0),
    );
  };
  const updateRemote = async () => {
    if (countRemote === undefined) return;
    await browser?.refresh();
    const counts = await countRemote(baristas.map((barista) => barista.id));
    counts.forEach(({ orders, version }, i) => outboxes[i]?.showRemote(orders, version));
    const total = counts.reduce((sum, { orders }) => sum + orders, 0);
    byId('count-remote').textContent = String(total);
  };
  const refreshPending = debounce(updatePending);
  const refreshRemote = debounce(updateRemote);

  client.subscribe((event: ActorEvent) => {
    for (const outbox of outboxes) outbox.onEvent(event);
    log.onEvent(event);
    refreshPending();
    if (event.type === 'sync' && event.phase === 'synced') refreshRemote();
  });

  await airplaneSwitch(byId<HTMLInputElement>('airplane'), (on, here) => {
    byId('airplane-banner').hidden = !on;
    // Back online: sync now rather than at the end of the worker's backoff.
    if (!on && here) client.syncNow();
  }).load();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void placeOrder(client, readOrder()).finally(refreshPending);
  });
  byId('panic').addEventListener('click', () => void panic(client, readOrder()));

  for (const { operation, outcome } of await client.resume()) {
    const label = `resumed ${operation.actorId} ${operation.method ?? ''}`;
    if (outcome.status === 'fulfilled') log.result(label, outcome.value);
    else log.error(label, outcome.reason);
  }
  const warn = (error: unknown) => console.warn(error);
  await Promise.all([
    ...outboxes.map((outbox) => outbox.refresh()),
    updatePending().catch(warn),
    updateRemote().catch(warn),
  ]);
  // Everything drawn once: the end-to-end tests wait for this.
  document.body.dataset['ready'] = 'true';
  setInterval(() => {
    if (document.visibilityState === 'visible') refreshRemote();
  }, 4000);
}

function readOrder(): { barista: string; order: Order } {
  const data = new FormData(form);
  const text = (name: string, fallback: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : fallback;
  };
  return {
    barista: text('barista', 'ada'),
    order: {
      drink: text('drink', 'Flat white'),
      customer: customer.value.trim() || 'someone',
    },
  };
}

async function placeOrder(
  client: ActorClient,
  { barista, order }: { barista: string; order: Order },
  key?: string,
): Promise<void> {
  const label = `${nameOf(barista)} · ${order.drink} for ${order.customer}`;
  requests.add();
  try {
    log.result(label, await client.actor(barista).send(order, key === undefined ? {} : { key }));
  } catch (error) {
    log.error(label, error);
  }
}

// Five taps on one receipt, 80 ms apart: the first pours, the others get its answer.
async function panic(client: ActorClient, choice: { barista: string; order: Order }) {
  const key = crypto.randomUUID();
  log.note(`Panic: receipt #${key.slice(0, 8)} sent 5 times`);
  const taps: Promise<void>[] = [];
  for (let tap = 0; tap < 5; tap++) {
    taps.push(placeOrder(client, choice, key));
    await new Promise((resolve) => setTimeout(resolve, 80));
  }
  await Promise.all(taps);
}

function nameOf(id: string): string {
  return baristas.find((barista) => barista.id === id)?.name ?? id;
}

function drawChoices(id: string, name: string, options: string[][], checked: string): void {
  byId(id).replaceChildren(
    ...options.map(([value = '', label = '']) => {
      const input = h('input', { attrs: { type: 'radio', name, value } });
      input.checked = value === checked;
      return h('label', { class: 'choice' }, [input, h('span', { text: label })]);
    }),
  );
}

// Runs `work` once a burst of calls has been quiet for `ms`.
function debounce(work: () => Promise<void>, ms = 60): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      work().catch((error: unknown) => console.warn(error));
    }, ms);
  };
}
