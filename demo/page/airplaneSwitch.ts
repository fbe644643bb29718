const channelName = 'coffee-shop-demo';

/**
 * The airplane-mode switch. It flips the demo server's gate in front of the
 * remote (`POST /demo/airplane`), which really drops the worker's
 * connections; the other tabs hear of it on a BroadcastChannel. Turning it
 * off asks the worker to sync at once instead of waiting for its backoff.
 */
export function airplaneSwitch(
  input: HTMLInputElement,
  onChange: (on: boolean, here: boolean) => void,
) {
  const channel = new BroadcastChannel(channelName);
  const show = (on: boolean, here: boolean) => {
    input.checked = on;
    document.body.classList.toggle('airplane', on);
    onChange(on, here);
  };
  channel.onmessage = (message: MessageEvent<{ airplane?: unknown }>) => {
    if (typeof message.data.airplane === 'boolean') show(message.data.airplane, false);
  };
  input.addEventListener('change', () => {
    const on = input.checked;
    input.disabled = true;
    void fetch('/demo/airplane', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on }),
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const state = (await response.json()) as { on: boolean };
        channel.postMessage({ airplane: state.on });
        show(state.on, true);
      })
      .catch((error: unknown) => {
        input.checked = !on;
        console.warn('airplane switch', error);
      })
      .finally(() => (input.disabled = false));
  });
  return {
    /** Reads the server's switch; leaves the control disabled where there is none. */
    async load() {
      try {
        const response = await fetch('/demo/airplane', { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        show(((await response.json()) as { on: boolean }).on, false);
        input.disabled = false;
      } catch {
        input.title = 'Airplane mode needs the demo server (npm run demo)';
      }
    },
  };
}
