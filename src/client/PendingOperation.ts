/**
 * A message not yet confirmed by the remote, as far as this origin's clients
 * know it. `unsent`: the client holds it (stored before its first attempt)
 * and the worker has not accepted it yet — it is retrying, or the page was
 * reloaded mid-flight (`resume()` sends it). `unconfirmed`: the worker
 * accepted it (202) and is syncing it.
 */
export interface PendingOperation {
  actorId: string;
  key: string;
  stage: 'unsent' | 'unconfirmed';
  /** The caller's intent id, when one was given. */
  intent?: string;
  /** Method and path, when this origin's client sent it (not for keys only heard of in events). */
  method?: string;
  path?: string;
  /** When it was first sent, or accepted by the worker (ISO 8601). */
  since?: string;
}

/** `client.pending()`: one actor's unconfirmed work. */
export interface PendingActor {
  actorId: string;
  /**
   * The worker's own count of messages the remote has not confirmed (`GET status`):
   * the truth, including messages sent without this client or from other tabs.
   */
  unconfirmed: number;
  /** The ones known by key: sent through a client on this origin, or heard of as pending in events. */
  operations: PendingOperation[];
  syncing: boolean;
  lastError: { code: string; message: string; at: string } | null;
}
