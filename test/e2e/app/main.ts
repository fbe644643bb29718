import { registerActors } from '../../../src/client.ts';

// A page at /{variant}/ registers the worker variant of that name, scoped to its own path.
const variant = location.pathname.split('/')[1] || 'default';
const scope = variant === 'default' ? '/' : `/${variant}/`;
const ready = document.getElementById('ready') as HTMLParagraphElement;

registerActors(`/sw.js?variant=${variant}`, { scope })
  .then(() => (ready.textContent = 'ready'))
  .catch((error: unknown) => (ready.textContent = `failed: ${String(error)}`));
