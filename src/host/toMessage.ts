import type { Commands } from '../actor/command.ts';
import { stateType, taskType, type JsonObject, type Message } from '../actor/message.ts';
import { ActorError } from '../errors/ActorError.ts';

/** Turns a checked request into the message the mailbox runs. */
export function toMessage(
  resource: 'tasks' | 'execute' | 'state',
  body: JsonObject,
  ifMatch: string | null,
  commands: Commands,
): Message {
  if (resource === 'tasks') return { type: taskType, payload: body };
  if (resource === 'state') {
    return ifMatch === null
      ? { type: stateType, payload: body }
      : { type: stateType, payload: body, ifMatch };
  }
  const type = body['type'];
  if (typeof type !== 'string') throw new ActorError('command-type-missing');
  if (!Object.hasOwn(commands, type)) {
    throw new ActorError(
      'unknown-command',
      `No command named ${JSON.stringify(type.slice(0, 100))}`,
    );
  }
  return { type, payload: body };
}
