import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deviceId } from '../../../src/store/deviceId.ts';
import { closeDb, openDb } from '../../../src/store/openDb.ts';
import { uniqueDbName } from '../support/deferred.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deviceId', () => {
  it('makes a random UUID once and keeps it in meta', async () => {
    const db = await openDb(uniqueDbName());
    const id = await deviceId(db);
    expect(id).toMatch(uuid);
    await expect(deviceId(db)).resolves.toBe(id);
    await expect(db.get('meta', 'deviceId')).resolves.toBe(id);
  });

  it('gives one id to concurrent first calls', async () => {
    const db = await openDb(uniqueDbName());
    const ids = await Promise.all([deviceId(db), deviceId(db), deviceId(db)]);
    expect(new Set(ids).size).toBe(1);
  });

  it('stays the same after the database is closed and opened again', async () => {
    const name = uniqueDbName();
    const id = await deviceId(await openDb(name));
    closeDb(name);
    await expect(deviceId(await openDb(name))).resolves.toBe(id);
    closeDb(name);
  });

  it('differs between databases', async () => {
    const [one, two] = await Promise.all([
      openDb(uniqueDbName()).then(deviceId),
      openDb(uniqueDbName()).then(deviceId),
    ]);
    expect(one).not.toBe(two);
  });
});
