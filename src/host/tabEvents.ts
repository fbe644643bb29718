import { eventChannelName, type ActorEvent } from '../events/actorEvent.ts';

/** An `emit` that tells every tab (BroadcastChannel), in order, once the current task is done. */
export function tabEvents(): (event: ActorEvent) => void {
  let channel: BroadcastChannel | undefined;
  const unsent: ActorEvent[] = [];
  return (event) => {
    // Posted in a later task, after the answers of the turn that made them: telling the tabs never delays a response.
    if (unsent.push(event) > 1) return;
    setTimeout(() => {
      const events = unsent.splice(0);
      if (typeof BroadcastChannel !== 'function') return;
      try {
        channel ??= new BroadcastChannel(eventChannelName);
        for (const queued of events) channel.postMessage(queued);
      } catch (error) {
        // Events are news, not state (pages read the truth from the host): a lost one must not stop the next.
        console.warn('actordav: could not tell the tabs', error);
      }
    });
  };
}
