import { registerActors } from '../src/client.ts';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = byId<HTMLParagraphElement>('worker-status');
const form = byId<HTMLFormElement>('order-form');
const barista = byId<HTMLInputElement>('barista');
const drink = byId<HTMLInputElement>('drink');
const key = byId<HTMLInputElement>('key');
const answers = byId<HTMLOListElement>('answers');
const state = byId<HTMLPreElement>('state');

const newKey = () => (key.value = crypto.randomUUID());

// Everything shown comes from requests and user input: it is set as text, never as HTML.
async function sendOrder(): Promise<void> {
  const response = await fetch(`/actors/${encodeURIComponent(barista.value)}/tasks`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'idempotency-key': JSON.stringify(key.value) },
    body: JSON.stringify({ drink: drink.value }),
  });
  const item = document.createElement('li');
  const replayed = response.headers.get('idempotent-replayed') === 'true' ? ' (replayed)' : '';
  item.textContent = `${response.status}${replayed} ${await response.text()}`;
  answers.prepend(item);
  await showState();
}

async function showState(): Promise<void> {
  const response = await fetch(`/actors/${encodeURIComponent(barista.value)}/state`);
  state.textContent = JSON.stringify(await response.json(), null, 2);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendOrder();
});
byId('resend').addEventListener('click', () => void sendOrder());
byId('new-key').addEventListener('click', newKey);

async function start(): Promise<{ persisted: boolean | 'unsupported' }> {
  const config = (await (await fetch('/demo-config.json')).json()) as { remote?: string };
  const query = config.remote === undefined ? '' : `?remote=${encodeURIComponent(config.remote)}`;
  return registerActors(`/sw.js${query}`);
}

newKey();
start()
  .then(({ persisted }) => {
    status.textContent = `Service worker in control; persistent storage: ${String(persisted)}.`;
    return showState();
  })
  .catch((error: unknown) => {
    status.textContent = `Service worker failed: ${String(error)}`;
  });
