import { ActorError } from '../errors/ActorError.ts';
import { toResponse, type StoredAnswer } from '../http/answer.ts';
import { readIdempotencyKey } from '../http/idempotencyKey.ts';
import { parseRoute } from '../http/parseRoute.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import { readJsonBody } from '../http/readJsonBody.ts';
import { fingerprint } from '../idempotency/fingerprint.ts';
import type { Mailbox } from '../mailbox/Mailbox.ts';
import { liveReceipt } from '../store/receipts.ts';
import type { SyncEngine } from '../sync/SyncEngine.ts';
import type { HostConfig } from './options.ts';
import { readResource, type ReadHost } from './readResource.ts';
import type { Arrival, ReceiptLookups } from './ReceiptLookups.ts';
import { toMessage } from './toMessage.ts';
import type { KeepAlive } from './workerScope.ts';

/**
 * What request handling needs of the host: what reads need, the options a
 * request is checked and confirmed against, the receipt lookups and the
 * mailbox a message goes through, and the sync engine that confirms it.
 */
export interface RequestHost extends ReadHost {
  config: Pick<HostConfig, 'scope' | 'maxBodyBytes' | 'commands' | 'confirmTimeoutMs'>;
  lookups: Pick<ReceiptLookups, 'arrive'>;
  mailbox: Pick<Mailbox, 'submit'>;
  /** Present when a remote is configured. */
  sync: (NonNullable<ReadHost['sync']> & Pick<SyncEngine, 'waitForConfirmation'>) | undefined;
}

/**
 * Answers one request under the scope. Every check that can refuse a
 * request runs before the mailbox, so a refused request stores nothing and
 * its key stays free.
 */
export async function handleRequest(
  host: RequestHost,
  request: Request,
  keepAlive: KeepAlive,
): Promise<Response> {
  const { config } = host;
  const url = new URL(request.url);
  try {
    const route = parseRoute(request.method, url.pathname, config.scope);
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if (safe || route.resource === 'receipt' || route.resource === 'status') {
      const answer = await readResource(
        host,
        route,
        request.headers.get('if-none-match'),
        keepAlive,
      );
      const response = toResponse(answer);
      return request.method === 'HEAD' ? new Response(null, response) : response;
    }
    const key = readIdempotencyKey(request, url);
    if (key === undefined) {
      throw new ActorError('key-missing', 'Send an Idempotency-Key header or query parameter');
    }
    const { resource } = route;
    const delivery = await inLine(host.lookups.arrive(route.actorId), async (arrival) => {
      const body = await readJsonBody(request, config.maxBodyBytes);
      const message = toMessage(
        resource,
        body.value,
        request.headers.get('if-match'),
        config.commands,
      );
      const print = await fingerprint(request.method, url.pathname, message.ifMatch, body.bytes);
      return arrival.lookUp(key, (stored) => {
        if (stored === undefined) {
          return host.mailbox.submit({ actorId: route.actorId, key, fingerprint: print, message });
        }
        if (stored.fingerprint !== print) throw new ActorError('key-reused');
        return { answer: stored.answer, replayed: true, seq: stored.seq };
      });
    });
    if (delivery.replayed || host.sync === undefined) {
      return toResponse(delivery.answer, delivery.replayed);
    }
    keepAlive(host.sync.request(route.actorId));
    return toResponse(
      await awaitConfirmation(host, route.actorId, key, delivery.seq, delivery.answer),
    );
  } catch (error) {
    return toResponse(problemAnswer(error, url.pathname));
  }
}

// A request refused before the mailbox (a bad body, an unknown command) leaves the line it took.
async function inLine<T>(arrival: Arrival, work: (arrival: Arrival) => Promise<T>): Promise<T> {
  try {
    return await work(arrival);
  } finally {
    arrival.leave();
  }
}

// The final answer if the remote confirms within confirmTimeoutMs, else the tentative 202.
async function awaitConfirmation(
  host: RequestHost,
  actorId: string,
  key: string,
  seq: number,
  tentative: StoredAnswer,
): Promise<StoredAnswer> {
  const { config, sync } = host;
  if (sync === undefined || config.confirmTimeoutMs === 0) return tentative;
  if (!(await sync.waitForConfirmation(actorId, seq, config.confirmTimeoutMs))) return tentative;
  const receipt = await liveReceipt(await host.db(), actorId, key, Date.now());
  return receipt?.answer ?? tentative;
}
