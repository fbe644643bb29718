import { ActorError } from '../errors/ActorError.ts';
import { toResponse } from '../http/answer.ts';
import { fingerprint } from '../idempotency/fingerprint.ts';
import { readIdempotencyKey } from '../http/idempotencyKey.ts';
import { parseRoute } from '../http/parseRoute.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import { readJsonBody } from '../http/readJsonBody.ts';
import type { Mailbox } from '../mailbox/Mailbox.ts';
import { liveReceipt } from '../store/receipts.ts';
import type { HostContext } from './hostContext.ts';
import { readResource } from './readResource.ts';
import { toMessage } from './toMessage.ts';

/**
 * Answers one request under the scope. Every check that can refuse a
 * request runs before the mailbox, so a refused request stores nothing and
 * its key stays free.
 */
export async function handleRequest(
  host: HostContext,
  mailbox: Mailbox,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  try {
    const route = parseRoute(request.method, url.pathname, host.config.scope);
    const safe = request.method === 'GET' || request.method === 'HEAD';
    if (safe || route.resource === 'receipt' || route.resource === 'status') {
      const answer = await readResource(host, route, request.headers.get('if-none-match'));
      const response = toResponse(answer);
      return request.method === 'HEAD' ? new Response(null, response) : response;
    }
    const key = readIdempotencyKey(request, url);
    if (key === undefined) {
      throw new ActorError('key-missing', 'Send an Idempotency-Key header or query parameter');
    }
    const body = await readJsonBody(request, host.config.maxBodyBytes);
    const message = toMessage(
      route.resource,
      body.value,
      request.headers.get('if-match'),
      host.config.commands,
    );
    const print = await fingerprint(request.method, url.pathname, message.ifMatch, body.bytes);
    const stored = await liveReceipt(await host.db(), route.actorId, key, Date.now());
    if (stored !== undefined) {
      if (stored.fingerprint !== print) throw new ActorError('key-reused');
      return toResponse(stored.answer, true);
    }
    const delivery = await mailbox.submit({
      actorId: route.actorId,
      key,
      fingerprint: print,
      message,
    });
    return toResponse(delivery.answer, delivery.replayed);
  } catch (error) {
    return toResponse(problemAnswer(error, url.pathname));
  }
}
