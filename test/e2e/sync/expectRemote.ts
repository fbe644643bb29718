import { expect } from '@playwright/test';
import type { VersionFile } from '../../../src/sync/versionFile.ts';
import {
  hash8,
  readActorFiles,
  type ActorFiles,
  type RemoteReader,
  type RemoteSegment,
} from '../support/remoteFiles.ts';

/** A task as the built-in task log keeps it in `state.tasks` (DESIGN.md §5). */
export interface TaskEntry {
  key: string;
  task: unknown;
  at: number;
}

/** The keys of a version's `state.tasks`, in order. */
export function taskKeys(version: VersionFile): string[] {
  const tasks = (version.state['tasks'] ?? []) as TaskEntry[];
  return tasks.map((task) => task.key);
}

/**
 * Checks the actor's files are exactly the §5 layout: only `log/`, `v/` and `staging/`; every
 * log file a segment named `{deviceId}.{first}-{last}.{hash8}.json` whose hash, range and
 * messages match its name, each device's ranges gap-free; `v/` only 12-digit folders holding
 * just `state.json`, numbered 1..n without holes, each the child of the one before and only
 * appending to its tasks; `staging/` empty or absent.
 */
export function expectLayout(files: ActorFiles, actor: string): void {
  const top = files.top.map((entry) => `${entry.name}${entry.collection ? '/' : ''}`);
  for (const name of top) expect(['log/', 'v/', 'staging/']).toContain(name);

  for (const name of files.logNames) {
    expect(files.segments.map((segment) => segment.name)).toContain(name);
  }
  const byDevice = new Map<string, RemoteSegment[]>();
  for (const segment of files.segments) {
    expect(hash8(segment.body), `hash8 of ${segment.name}`).toBe(segment.hash8);
    const body = JSON.parse(segment.body) as {
      actorId: string;
      deviceId: string;
      first: number;
      last: number;
      messages: { seq: number; key: string }[];
    };
    expect(body).toMatchObject({
      actorId: actor,
      deviceId: segment.deviceId,
      first: segment.first,
      last: segment.last,
    });
    expect(body.messages.map((message) => message.seq)).toEqual(range(segment.first, segment.last));
    byDevice.set(segment.deviceId, [...(byDevice.get(segment.deviceId) ?? []), segment]);
  }
  for (const [deviceId, segments] of byDevice) {
    const sorted = segments.toSorted((a, b) => a.first - b.first);
    sorted.forEach((segment, index) => {
      if (index === 0) return;
      expect(segment.first, `segments of ${deviceId} are gap-free`).toBe(
        (sorted[index - 1]?.last ?? 0) + 1,
      );
    });
  }

  // Format 2 (DESIGN.md §6a): the versions before the head's checkpoint chain may be removed, each
  // leaving only its tombstone, so its number stays taken; the live ones run without a gap to the head.
  const live: number[] = [];
  for (const folder of files.versionFolders) {
    expect(folder.name).toMatch(/^\d{12}$/);
    expect(folder.collection).toBe(true);
    const names = folder.children.map((child) => child.name);
    if (names.includes('state.json')) {
      // claim.json names the nonce of the claim, so a cached version is checked without reading it all.
      expect(names).toEqual(['claim.json', 'state.json']);
      live.push(Number(folder.name));
    } else {
      expect(names, `${folder.name} is a tombstone`).toEqual(['gone.json']);
      expect(live, 'removed versions are older than every live one').toEqual([]);
    }
  }
  expect(files.versionFolders.map((folder) => Number(folder.name))).toEqual(
    range(1, files.versionFolders.length),
  );
  expect(files.versions.map((version) => version.version)).toEqual(live);
  files.versions.forEach((version, index) => {
    expect(version.parent).toBe(version.version - 1);
    const before = files.versions[index - 1];
    if (before === undefined) return;
    // A fold only appends: the history of version n-1 is a prefix of version n's.
    expect(taskKeys(version).slice(0, taskKeys(before).length)).toEqual(taskKeys(before));
  });

  expect(files.staging ?? [], 'staging/ is empty or absent').toEqual([]);
}

/**
 * Reads the actor's files, checks the layout, and checks the head holds every key of `keys`
 * exactly once, in `state.tasks` and in the key registry, and nothing else. Returns the files.
 */
export async function expectSynced(
  remote: RemoteReader,
  actor: string,
  keys: readonly string[],
): Promise<ActorFiles & { head: VersionFile }> {
  const files = await readActorFiles(remote, actor);
  expectLayout(files, actor);
  const head = files.versions.at(-1);
  if (head === undefined) throw new Error(`no version of ${actor} is claimed`);
  expectEachOnce(head, keys);
  return { ...files, head };
}

/** The head's tasks are exactly `keys`, each once (in any order), and the registry knows each. */
export function expectEachOnce(head: VersionFile, keys: readonly string[]): void {
  const seen = taskKeys(head);
  const counts = new Map<string, number>();
  for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
  const twice = [...counts].filter(([, count]) => count > 1).map(([key]) => key);
  expect(twice, 'keys applied more than once').toEqual([]);
  expect(seen.toSorted()).toEqual([...keys].sort());
  expect([...head.keys.entries()].map(([key]) => key).sort()).toEqual([...keys].sort());
}

function range(first: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
}
