export type { ActorReceipt, ActorStatus } from '../http/types.ts';

/** `actor.state()`: the actor's local state and its ETag (a hash of its content). */
export interface StateSnapshot<S extends object = Record<string, unknown>> {
  state: S;
  etag: string;
}
