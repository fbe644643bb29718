import type { ActorDb } from './openDb.ts';

/** This device's id: a random UUID made once and kept in `meta` ([terms: device id](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#remote-format-and-sync-protocol)). */
export async function deviceId(db: ActorDb): Promise<string> {
  const tx = db.transaction('meta', 'readwrite');
  const existing = await tx.store.get('deviceId');
  if (typeof existing === 'string') return existing;
  const made = crypto.randomUUID();
  await tx.store.put(made, 'deviceId');
  await tx.done;
  return made;
}
