import type { DatabaseDump } from '../support/database.ts';

/** One row that differs between two dumps. */
export interface RowChange {
  readonly store: string;
  readonly key: unknown;
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: unknown;
  readonly after: unknown;
}

/** Every row added, removed or changed from `before` to `after`, store by store. */
export function diffDumps(before: DatabaseDump, after: DatabaseDump): RowChange[] {
  const changes: RowChange[] = [];
  const stores = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const store of stores) {
    const old = new Map((before[store] ?? []).map((row) => [JSON.stringify(row.key), row]));
    const now = new Map((after[store] ?? []).map((row) => [JSON.stringify(row.key), row]));
    for (const [id, row] of now) {
      const was = old.get(id);
      if (was === undefined) {
        changes.push({ store, key: row.key, change: 'added', before: undefined, after: row.value });
      } else if (JSON.stringify(was.value) !== JSON.stringify(row.value)) {
        changes.push({
          store,
          key: row.key,
          change: 'changed',
          before: was.value,
          after: row.value,
        });
      }
    }
    for (const [id, row] of old) {
      if (!now.has(id)) {
        changes.push({
          store,
          key: row.key,
          change: 'removed',
          before: row.value,
          after: undefined,
        });
      }
    }
  }
  return changes;
}

/** The actor a row belongs to: `actors` are keyed by id, the other actor stores by `[id, …]`. */
export function actorOf(change: RowChange): string | undefined {
  if (change.store === 'actors' && typeof change.key === 'string') return change.key;
  if (Array.isArray(change.key) && typeof change.key[0] === 'string') return change.key[0];
  return undefined;
}
