import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BenchApi } from '../app/benchApi.ts';

/** A bench page, driven over HTTP (see `app/rpcLoop.ts`). */
export interface PageSession {
  /** Resolves when the page first asks for work (its worker controls it by then). */
  readonly ready: Promise<void>;
  call<K extends keyof BenchApi>(
    name: K,
    ...args: Parameters<BenchApi[K]>
  ): Promise<Awaited<ReturnType<BenchApi[K]>>>;
  /** Tells the page to stop polling; calls still waiting are rejected. */
  end(): void;
}

interface Order {
  id: number;
  name: string;
  args: unknown[];
}

interface Session {
  orders: Order[];
  poll: ServerResponse | undefined;
  waiting: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
  ended: boolean;
  markReady(): void;
}

const pollMs = 15_000;

/** The `/__rpc/next` (long poll) and `/__rpc/result` endpoints, and the sessions behind them. */
export function createRpcSessions() {
  const sessions = new Map<string, Session>();
  let nextId = 1;

  const hand = (session: Session) => {
    const order = session.orders[0];
    const poll = session.poll;
    if (order === undefined || poll === undefined) return;
    session.orders.shift();
    session.poll = undefined;
    poll.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    poll.end(JSON.stringify(order));
  };

  return {
    open(id: string): PageSession {
      let markReady = () => {};
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      const session: Session = {
        orders: [],
        poll: undefined,
        waiting: new Map(),
        ended: false,
        markReady,
      };
      sessions.set(id, session);
      return {
        ready,
        call(name, ...args) {
          const order = { id: nextId++, name, args };
          const answer = new Promise((resolve, reject) =>
            session.waiting.set(order.id, { resolve, reject }),
          );
          session.orders.push(order);
          hand(session);
          return answer as never;
        },
        end() {
          session.ended = true;
          session.poll?.writeHead(410).end();
          session.poll = undefined;
          for (const { reject } of session.waiting.values()) reject(new Error('session ended'));
          sessions.delete(id);
        },
      };
    },

    /** Answers `/__rpc/*`; false for any other request. */
    handle(request: IncomingMessage, response: ServerResponse): boolean {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (!url.pathname.startsWith('/__rpc/')) return false;
      const session = sessions.get(url.searchParams.get('session') ?? '');
      if (session === undefined) {
        response.writeHead(410).end();
        return true;
      }
      if (url.pathname === '/__rpc/next') {
        session.markReady();
        session.poll?.writeHead(204).end();
        session.poll = response;
        const timer = setTimeout(() => {
          if (session.poll === response) {
            session.poll = undefined;
            response.writeHead(204).end();
          }
        }, pollMs);
        response.once('close', () => clearTimeout(timer));
        hand(session);
        return true;
      }
      let text = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (text += chunk));
      request.on('end', () => {
        response.writeHead(204).end();
        const reply = JSON.parse(text) as {
          id: number;
          ok: boolean;
          value?: unknown;
          error?: string;
        };
        const waiter = session.waiting.get(reply.id);
        session.waiting.delete(reply.id);
        if (reply.ok) waiter?.resolve(reply.value);
        else waiter?.reject(new Error(reply.error ?? 'page call failed'));
      });
      return true;
    },
  };
}
