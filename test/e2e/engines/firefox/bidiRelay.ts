import type { RawData, WebSocket } from 'ws';
import { markersIn } from './marker.ts';
import { missingCommands } from './missingCommands.ts';

/** One Playwright connection relayed to Firefox, which the proxy can also speak on. */
export interface BidiRelay {
  /** Sends a command of our own on Playwright's session; its answer never reaches Playwright. */
  send(method: string, params: Record<string, unknown>): Promise<unknown>;
  /** Whether Playwright sent this marker through this connection (see marker.ts). */
  hasSeen(marker: string): boolean;
  readonly open: boolean;
}

interface Answer {
  id?: number;
  type?: string;
  result?: unknown;
  error?: string;
  message?: string;
}

/** Far above Playwright's ids (which count from 1), below 2^53 as BiDi requires. */
const firstOwnId = 2 ** 52;

/**
 * Forwards BiDi messages both ways between Playwright and Firefox, answers the commands Firefox
 * ESR lacks, and keeps the answers to our own commands out of Playwright's way. Messages
 * Playwright sends before Firefox's socket opens wait in order.
 */
export function relay(client: WebSocket, firefox: WebSocket): BidiRelay {
  let nextId = firstOwnId;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const queued: string[] = [];
  const seen = new Set<string>();
  let open = true;

  const toFirefox = (text: string) => {
    if (firefox.readyState === firefox.OPEN) firefox.send(text);
    else queued.push(text);
  };
  firefox.on('open', () => queued.splice(0).forEach((text) => firefox.send(text)));

  client.on('message', (data: RawData) => {
    const text = textOf(data);
    for (const marker of markersIn(text)) seen.add(marker);
    const command = parse<{ id?: number; method?: string }>(text);
    if (command?.method !== undefined && missingCommands.has(command.method)) {
      client.send(JSON.stringify({ type: 'success', id: command.id, result: {} }));
    } else {
      toFirefox(text);
    }
  });

  firefox.on('message', (data: RawData) => {
    const text = textOf(data);
    // Parsed only while we wait for an answer of our own: most traffic passes untouched.
    const answer = pending.size === 0 ? undefined : parse<Answer>(text);
    const own = answer?.id === undefined ? undefined : pending.get(answer.id);
    if (answer?.id === undefined || own === undefined) {
      reportUnknown(text);
      client.send(text);
      return;
    }
    pending.delete(answer.id);
    if (answer.type === 'success') own.resolve(answer.result);
    else own.reject(new Error(`${answer.error}: ${answer.message}`));
  });

  const close = () => {
    open = false;
    for (const own of pending.values()) own.reject(new Error('BiDi connection closed'));
    pending.clear();
    client.close();
    firefox.close();
  };
  client.on('close', close);
  firefox.on('close', close);
  client.on('error', (e) => {
    console.error('client error', e);
    close();
  });
  firefox.on('error', (e) => {
    console.error('firefox error', e);
    close();
  });

  return {
    send(method, params) {
      if (!open) return Promise.reject(new Error('BiDi connection closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        toFirefox(JSON.stringify({ id, method, params }));
      });
    },
    hasSeen: (marker) => seen.has(marker),
    get open() {
      return open;
    },
  };
}

/** A text frame's content (ws hands frames over as Buffers by default). */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Logs commands Firefox does not know, so that missingCommands.ts can be kept complete. */
function reportUnknown(text: string): void {
  if (text.includes('"unknown command"')) console.error(`firefox-bidi: ${text}`);
}
