import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../../src/store/openDb.ts';
import { schemaVersion } from '../../../src/store/schema.ts';
import { uniqueDbName } from '../support/deferred.ts';

describe('openDb', () => {
  it('creates the four stores, their key paths and the expiry index', async () => {
    const name = uniqueDbName();
    const db = await openDb(name);
    expect(db.version).toBe(schemaVersion);
    expect([...db.objectStoreNames]).toEqual(
      expect.arrayContaining(['actors', 'meta', 'outbox', 'receipts']),
    );
    const tx = db.transaction(['actors', 'receipts', 'outbox', 'meta']);
    expect(tx.objectStore('actors').keyPath).toBe('id');
    expect(tx.objectStore('receipts').keyPath).toEqual(['actorId', 'key']);
    expect(tx.objectStore('outbox').keyPath).toEqual(['actorId', 'seq']);
    expect(tx.objectStore('meta').keyPath).toBeNull();
    expect([...tx.objectStore('receipts').indexNames]).toEqual(['by-expiry']);
    expect(tx.objectStore('receipts').index('by-expiry').keyPath).toBe('expiresAt');
    await tx.done;
    await expect(db.get('meta', 'schemaVersion')).resolves.toBe(schemaVersion);
    closeDb(name);
  });

  it('upgrades a version-1 database and keeps its rows', async () => {
    const name = uniqueDbName();
    const v1 = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore('actors', { keyPath: 'id' });
        db.createObjectStore('receipts', { keyPath: ['actorId', 'key'] }).createIndex(
          'by-expiry',
          'expiresAt',
        );
        db.createObjectStore('outbox', { keyPath: ['actorId', 'seq'] });
        const meta = db.createObjectStore('meta');
        meta.put(1, 'schemaVersion');
        meta.put('device-from-v1', 'deviceId');
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    v1.close();
    const db = await openDb(name);
    expect(db.version).toBe(schemaVersion);
    await expect(db.get('meta', 'deviceId')).resolves.toBe('device-from-v1');
    await expect(db.get('meta', 'schemaVersion')).resolves.toBe(schemaVersion);
    closeDb(name);
  });

  it('opens one connection per name', async () => {
    const [name, other] = [uniqueDbName(), uniqueDbName()];
    expect(openDb(name)).toBe(openDb(name));
    expect(openDb(name)).not.toBe(openDb(other));
    await Promise.all([openDb(name), openDb(other)]);
    closeDb(name);
    closeDb(other);
  });

  it('keeps the data when a closed database is opened again', async () => {
    const name = uniqueDbName();
    const first = await openDb(name);
    await first.put('meta', 'kept', 'probe');
    closeDb(name);
    const second = await openDb(name);
    expect(second).not.toBe(first);
    await expect(second.get('meta', 'probe')).resolves.toBe('kept');
    closeDb(name);
  });

  it('closes its connection when a newer version asks to upgrade, and forgets it', async () => {
    const name = uniqueDbName();
    await openDb(name);
    // This open would wait forever ("blocked") if the old connection stayed open.
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, schemaVersion + 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    expect(upgraded.version).toBe(schemaVersion + 1);
    upgraded.close();
    // Forgotten: the next open is a new one, which this (older) code cannot do.
    const again = openDb(name);
    await expect(again).rejects.toMatchObject({ name: 'VersionError' });
    const retry = openDb(name);
    expect(retry).not.toBe(again);
    await expect(retry).rejects.toMatchObject({ name: 'VersionError' });
  });
});
