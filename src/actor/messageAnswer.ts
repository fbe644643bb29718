import type { Applied } from './applyMessage.ts';
import { stateType, taskType, type Message } from './message.ts';
import { jsonAnswer, type StoredAnswer } from '../http/answer.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import { receiptLocation } from '../http/receiptLocation.ts';
import type { MessageBody, Problem } from '../http/types.ts';

/**
 * The answer to an accepted message. Final: `201` for a task, `200` for a
 * command or a state, a problem+json for a rejection. Tentative (committed
 * here, not yet confirmed by the remote): `202` with the local result, or
 * the local rejection as `problem`.
 */
export function messageAnswer(
  scope: string,
  actorId: string,
  key: string,
  message: Message,
  applied: Applied,
  final: boolean,
): StoredAnswer {
  const location = receiptLocation(scope, actorId, key);
  const isState = message.type === stateType;
  const etag: [string, string][] = applied.ok && isState ? [['etag', applied.next.etag]] : [];
  if (!final) {
    const body: MessageBody = applied.ok
      ? { key, status: 'pending', result: isState ? { etag: applied.next.etag } : applied.result }
      : {
          key,
          status: 'pending',
          result: null,
          problem: JSON.parse(problemAnswer(applied.error, location).body) as Problem,
        };
    return jsonAnswer(202, body, [['location', location], ...etag]);
  }
  if (!applied.ok) return problemAnswer(applied.error, location);
  const result = isState ? { etag: applied.next.etag } : applied.result;
  const body: MessageBody = { key, status: 'done', result };
  if (message.type === taskType) return jsonAnswer(201, body, [['location', location]]);
  return jsonAnswer(200, body, etag);
}
