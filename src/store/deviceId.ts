import type { ActorDb } from './openDb.ts';

/** This device's id: a random UUID made once and kept in `meta` (DESIGN.md §3). */
export async function deviceId(db: ActorDb): Promise<string> {
  const tx = db.transaction('meta', 'readwrite');
  const existing = await tx.store.get('deviceId');
  if (typeof existing === 'string') return existing;
  const made = crypto.randomUUID();
  await tx.store.put(made, 'deviceId');
  await tx.done;
  return made;
}
