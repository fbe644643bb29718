import { registerActors } from '../../src/client.ts';
import { pageBench } from './pageBench.ts';
import { rpcLoop } from './rpcLoop.ts';

// The page's query (`remote=`) goes on to the worker, which reads its options from it;
// `session=` connects the page to `bench/run.ts`.
const ready = document.getElementById('ready') as HTMLParagraphElement;
const session = new URLSearchParams(location.search).get('session');
window.bench = pageBench;
registerActors(`/sw.js${location.search}`)
  .then(async () => {
    ready.textContent = 'ready';
    if (session !== null) await rpcLoop(pageBench, session);
  })
  .catch((error: unknown) => (ready.textContent = `failed: ${String(error)}`));
