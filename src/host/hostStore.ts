import { deviceId } from '../store/deviceId.ts';
import { openDb, type ActorDb } from '../store/openDb.ts';
import { SharedTransactions } from '../store/SharedTransactions.ts';

/** One host's database and what its parts share of it. */
export interface HostStore {
  db: () => Promise<ActorDb>;
  /** Read once; a failed read is not kept, so the next call tries again. */
  deviceId: () => Promise<string>;
  /** Reads of the message stores, sharing transactions across actors. */
  reads: SharedTransactions<'readonly'>;
  /** Strict writes of the message stores, sharing transactions across actors. */
  writes: SharedTransactions<'readwrite'>;
}

export function hostStore(dbName: string): HostStore {
  let device: Promise<string> | undefined;
  const db = () => openDb(dbName);
  return {
    db,
    deviceId: () => {
      device ??= db().then(deviceId);
      device.catch(() => (device = undefined));
      return device;
    },
    reads: new SharedTransactions(db, 'readonly'),
    writes: new SharedTransactions(db, 'readwrite', { durability: 'strict' }),
  };
}
