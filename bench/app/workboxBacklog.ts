import { Queue } from 'workbox-background-sync';

/** The Workbox way to send work later: forward to the remote, queue what fails, replay the queue. */
export interface WorkboxBacklog {
  /** Forwards the body as `PUT {remote}wb/{name}`; queues it when the remote is unreachable. */
  accept(request: Request, name: string): Promise<Response>;
  /**
   * Queues what `accept` would have queued for `count` requests while offline
   * (`PUT {remote}wb/{prefix}-{i % actors}-{i}.json`, body `{"n":i,"drink":"mocha"}`),
   * without the page's round trips: filling the queue is not what is measured.
   */
  fill(order: { count: number; actors: number; prefix: string }): Promise<{ ms: number }>;
  /** Replays the whole queue; resolves with how long it took and what is left. */
  drain(): Promise<{ ms: number; left: number }>;
}

export function createWorkboxBacklog(remote: string): WorkboxBacklog {
  // Replays happen only when the benchmark asks: Background Sync fires at once in an online browser.
  const queue = new Queue('bench-backlog', { onSync: () => undefined });
  const put = (name: string, body: ArrayBuffer) =>
    new Request(`${remote}wb/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body,
      cache: 'no-store',
    });
  return {
    async accept(request, name) {
      const forward = put(name, await request.arrayBuffer());
      try {
        const response = await fetch(forward.clone());
        return new Response(null, { status: response.status });
      } catch {
        await queue.pushRequest({ request: forward });
        return new Response(null, { status: 202 });
      }
    },
    async fill({ count, actors, prefix }) {
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        const body = new TextEncoder().encode(`{"n":${i},"drink":"mocha"}`);
        await queue.pushRequest({ request: put(`${prefix}-${i % actors}-${i}.json`, body.buffer) });
      }
      return { ms: performance.now() - start };
    },
    async drain() {
      const start = performance.now();
      await queue.replayRequests();
      return { ms: performance.now() - start, left: await queue.size() };
    },
  };
}
