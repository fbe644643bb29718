import { openDB, type IDBPDatabase } from 'idb';
import { schemaVersion, type ActorDavSchema } from './schema.ts';
import { upgradeSchema } from './upgradeSchema.ts';

/** An open `actordav` database. */
export type ActorDb = IDBPDatabase<ActorDavSchema>;

const opened = new Map<string, Promise<ActorDb>>();

/**
 * Opens (once per name) the database. When a newer worker needs to upgrade it,
 * this connection closes itself so the upgrade is not blocked, and the next
 * call opens it again.
 */
export function openDb(name: string): Promise<ActorDb> {
  let db = opened.get(name);
  if (db === undefined) {
    db = openDB<ActorDavSchema>(name, schemaVersion, {
      upgrade: (database, oldVersion, _newVersion, transaction) =>
        upgradeSchema(database, oldVersion, transaction),
      blocking: () => closeDb(name),
      terminated: () => opened.delete(name),
    });
    db.catch(() => opened.delete(name));
    opened.set(name, db);
  }
  return db;
}

/** Closes the connection, if any; the next `openDb` opens a new one. */
export function closeDb(name: string): void {
  const db = opened.get(name);
  opened.delete(name);
  void db?.then((database) => database.close()).catch(() => undefined);
}
