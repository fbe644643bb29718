import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** The floors actordav is measured against: a bare echo, and an echo with one IndexedDB write or read. */
interface BaselineSchema extends DBSchema {
  kv: { key: string; value: string };
}

let opened: Promise<IDBPDatabase<BaselineSchema>> | undefined;
const db = () =>
  (opened ??= openDB<BaselineSchema>('bench-baseline', 1, {
    upgrade: (database) => database.createObjectStore('kv'),
  }));

const json = (body: string) =>
  new Response(body, { headers: { 'content-type': 'application/json' } });

/** Reads the body and answers it. */
export async function echo(request: Request): Promise<Response> {
  return json(await request.text());
}

/** Reads the body, stores it under `key` in one strict transaction, then answers it. */
export async function echoPut(request: Request, key: string): Promise<Response> {
  const body = await request.text();
  const write = (await db()).transaction('kv', 'readwrite', { durability: 'strict' });
  await Promise.all([write.store.put(body, key), write.done]);
  return json(body);
}

/** Reads the body, reads `key` (one get), and answers what was stored. */
export async function echoGet(request: Request, key: string): Promise<Response> {
  const body = await request.text();
  return json((await (await db()).get('kv', key)) ?? body);
}

/**
 * What accepting a new key must do at least: read whether `key` was seen
 * (one get), then store it (one strict transaction), then answer.
 */
export async function echoGetPut(request: Request, key: string): Promise<Response> {
  const body = await request.text();
  const database = await db();
  const seen = await database.get('kv', `seen-${key}`);
  const write = database.transaction('kv', 'readwrite', { durability: 'strict' });
  await Promise.all([write.store.put(seen ?? body, `seen-${key}`), write.done]);
  return json(body);
}
