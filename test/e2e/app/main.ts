import { registerActors } from '../../../src/client.ts';

// A page at /{name}/ registers a worker scoped to /{name}/. Its variant is `?variant=` (else the name),
// and its query (variant, remote, …) is passed on to the worker, which reads its options from it.
// `?worker=sw-next` or `?worker=sw-unprobed` registers another build of the worker (vite.config.ts).
const name = location.pathname.split('/')[1] || 'default';
const scope = name === 'default' ? '/' : `/${name}/`;
const query = new URLSearchParams(location.search);
query.set('scope', name);
if (!query.has('variant')) query.set('variant', name);
const ready = document.getElementById('ready') as HTMLParagraphElement;
const worker = query.get('worker') ?? 'sw';
query.delete('worker');

registerActors(`/${worker}.js?${query.toString()}`, { scope })
  .then(() => (ready.textContent = 'ready'))
  .catch((error: unknown) => (ready.textContent = `failed: ${String(error)}`));
