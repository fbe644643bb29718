import type { StoredAnswer } from '../http/answer.ts';

/** A JSON object: the shape of every actor state and message payload. */
export type JsonObject = Record<string, unknown>;

/** The built-in message types; user command names cannot start with `@`. */
export const taskType = '@task';
export const stateType = '@state';

/** An accepted message as it is logged, replayed and synced. */
export interface Message {
  type: string;
  payload: JsonObject;
  ifMatch?: string;
}

/** What a message was answered with, and the state it left behind. */
export interface Outcome {
  answer: StoredAnswer;
  final: 'done' | 'failed';
  state: JsonObject;
}
