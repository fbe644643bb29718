import { KeyRegistry } from '../../../../src/sync/KeyRegistry.ts';
import type { KeyEntry } from '../../../../src/sync/versionFile.ts';

/** A registry holding `record`'s keys, as a checkpoint decodes it. */
export function keysOf(record: Record<string, KeyEntry>): KeyRegistry {
  return KeyRegistry.of(new Map(Object.entries(record)));
}

/** A registry's live keys as a plain record, to compare or to write as format 1 does. */
export function keyRecord(registry: KeyRegistry): Record<string, KeyEntry> {
  return Object.fromEntries(registry.entries());
}
