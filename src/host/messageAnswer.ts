import type { Applied } from '../actor/applyMessage.ts';
import { stateType, taskType, type Message } from '../actor/message.ts';
import { jsonAnswer, type StoredAnswer } from '../http/answer.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import { receiptLocation } from '../http/receiptLocation.ts';

/**
 * The answer to an accepted message. Final: `201` for a task, `200` for a
 * command or a state; tentative (not yet confirmed by the remote): `202`.
 * A rejection is a problem+json answer, stored like any other.
 */
export function messageAnswer(
  scope: string,
  actorId: string,
  key: string,
  message: Message,
  applied: Applied,
  final: boolean,
): StoredAnswer {
  if (!applied.ok) return problemAnswer(applied.error, receiptLocation(scope, actorId, key));
  const location: [string, string] = ['location', receiptLocation(scope, actorId, key)];
  const isState = message.type === stateType;
  const result = isState ? { etag: applied.next.etag } : applied.result;
  const body = { key, status: final ? 'done' : 'pending', result };
  const etag: [string, string][] = isState ? [['etag', applied.next.etag]] : [];
  if (!final) return jsonAnswer(202, body, [location, ...etag]);
  if (message.type === taskType) return jsonAnswer(201, body, [location]);
  return jsonAnswer(200, body, etag);
}
