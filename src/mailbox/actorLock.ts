/**
 * Runs `task` holding the actor's Web Lock. Web Locks are granted in request
 * order and shared by every page and worker of the origin (DESIGN.md §4), so
 * this is the mailbox's one-at-a-time guarantee across tabs and workers.
 */
export async function withActorLock<T>(actorId: string, task: () => Promise<T>): Promise<T> {
  return await navigator.locks.request(`actordav:actor:${actorId}`, task);
}
