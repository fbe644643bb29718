/** A minimal Chrome DevTools Protocol client over a WebSocket (flat sessions). */
export interface CdpClient {
  send<T = unknown>(method: string, params?: object, sessionId?: string): Promise<T>;
  close(): void;
}

interface Reply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

/** Connects to a browser's DevTools WebSocket (Node 22+, or Node 20 with --experimental-websocket). */
export async function connectCdp(url: string): Promise<CdpClient> {
  if (typeof WebSocket === 'undefined') {
    throw new Error('No WebSocket in this Node: run with NODE_OPTIONS=--experimental-websocket');
  }
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  socket.addEventListener('message', (event: MessageEvent) => {
    const reply = JSON.parse(String(event.data)) as Reply;
    if (reply.id === undefined) return;
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error !== undefined) waiter?.reject(new Error(reply.error.message));
    else waiter?.resolve(reply.result);
  });
  return {
    send<T>(method: string, params: object = {}, sessionId?: string) {
      const id = nextId++;
      socket.send(
        JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) }),
      );
      const reply = new Promise<unknown>((resolve, reject) => waiting.set(id, { resolve, reject }));
      return reply as Promise<T>;
    },
    close: () => socket.close(),
  };
}
