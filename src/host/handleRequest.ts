import { ActorError } from '../errors/ActorError.ts';
import { toResponse, type StoredAnswer } from '../http/answer.ts';
import { readIdempotencyKey } from '../http/idempotencyKey.ts';
import { parseRoute } from '../http/parseRoute.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import { readJsonBody } from '../http/readJsonBody.ts';
import { fingerprint } from '../idempotency/fingerprint.ts';
import { liveReceipt } from '../store/receipts.ts';
import type { HostParts, KeepAlive } from './hostParts.ts';
import { readResource } from './readResource.ts';
import { toMessage } from './toMessage.ts';

/**
 * Answers one request under the scope. Every check that can refuse a
 * request runs before the mailbox, so a refused request stores nothing and
 * its key stays free.
 */
export async function handleRequest(
  parts: HostParts,
  request: Request,
  keepAlive: KeepAlive,
): Promise<Response> {
  const { context } = parts;
  const url = new URL(request.url);
  try {
    const route = parseRoute(request.method, url.pathname, context.config.scope);
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if (safe || route.resource === 'receipt' || route.resource === 'status') {
      const answer = await readResource(
        parts,
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
    const body = await readJsonBody(request, context.config.maxBodyBytes);
    const message = toMessage(
      route.resource,
      body.value,
      request.headers.get('if-match'),
      context.config.commands,
    );
    const print = await fingerprint(request.method, url.pathname, message.ifMatch, body.bytes);
    const delivery = await parts.lookups.lookUp(route.actorId, key, (stored) => {
      if (stored === undefined) {
        return parts.mailbox.submit({ actorId: route.actorId, key, fingerprint: print, message });
      }
      if (stored.fingerprint !== print) throw new ActorError('key-reused');
      return { answer: stored.answer, replayed: true, seq: stored.seq };
    });
    if (delivery.replayed || parts.sync === undefined) {
      return toResponse(delivery.answer, delivery.replayed);
    }
    keepAlive(parts.sync.request(route.actorId));
    return toResponse(
      await awaitConfirmation(parts, route.actorId, key, delivery.seq, delivery.answer),
    );
  } catch (error) {
    return toResponse(problemAnswer(error, url.pathname));
  }
}

// The final answer if the remote confirms within confirmTimeoutMs, else the tentative 202.
async function awaitConfirmation(
  parts: HostParts,
  actorId: string,
  key: string,
  seq: number,
  tentative: StoredAnswer,
): Promise<StoredAnswer> {
  const { context, sync } = parts;
  if (sync === undefined || context.config.confirmTimeoutMs === 0) return tentative;
  if (!(await sync.waitForConfirmation(actorId, seq, context.config.confirmTimeoutMs)))
    return tentative;
  const receipt = await liveReceipt(await context.db(), actorId, key, Date.now());
  return receipt?.answer ?? tentative;
}
