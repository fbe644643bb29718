import type { BenchApi } from './benchApi.ts';

interface Order {
  id: number;
  name: keyof BenchApi;
  args: unknown[];
}

/**
 * Takes orders from `bench/run.ts` over HTTP (a long poll on the bench
 * server) and runs them on `api`. No debugger protocol is attached to the
 * browser this way, so nothing but the benchmark itself costs CPU.
 */
export async function rpcLoop(api: BenchApi, session: string): Promise<void> {
  const at = (what: string) => `/__rpc/${what}?session=${encodeURIComponent(session)}`;
  for (;;) {
    const next = await fetch(at('next'), { cache: 'no-store' });
    if (next.status === 410) return;
    if (next.status !== 200) continue;
    const order = (await next.json()) as Order;
    let reply: { id: number; ok: boolean; value?: unknown; error?: string };
    try {
      const method = api[order.name] as (...args: unknown[]) => Promise<unknown>;
      reply = { id: order.id, ok: true, value: await method(...order.args) };
    } catch (error) {
      reply = { id: order.id, ok: false, error: String(error) };
    }
    await fetch(at('result'), { method: 'POST', body: JSON.stringify(reply) });
  }
}
