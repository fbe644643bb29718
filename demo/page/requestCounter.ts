const storageKey = 'coffee-shop:requests';

/**
 * Counts requests sent from every tab of this browser (localStorage, so the
 * `storage` event keeps the other tabs' counters in step).
 */
export function requestCounter(onChange: (count: number) => void) {
  const read = () => Number(localStorage.getItem(storageKey) ?? '0') || 0;
  window.addEventListener('storage', (event) => {
    if (event.key === storageKey) onChange(read());
  });
  onChange(read());
  return {
    add(n = 1) {
      const count = read() + n;
      localStorage.setItem(storageKey, String(count));
      onChange(count);
    },
  };
}
