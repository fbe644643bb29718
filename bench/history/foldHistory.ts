import { atClock, fold, type FoldInput } from '../../src/sync/fold.ts';
import type { Segment } from '../../src/sync/segmentFile.ts';
import { encodeVersion } from '../../src/sync/storedVersion.ts';
import { genesisVersion, type VersionFile } from '../../src/sync/versionFile.ts';
import { benchCommands } from '../app/benchCommands.ts';
import { Format1Sizes } from './format1Sizes.ts';
import {
  seqAfter,
  versionClock,
  versionCount,
  versionDevice,
  versionSegment,
  type HistoryPlan,
} from './historyPlan.ts';

const day = 24 * 60 * 60 * 1000;
/** The host's defaults (`remoteKeyTtlMs`, `retireAfterMs`, `checkpointEvery`). */
const forgetting = { remoteKeyTtlMs: 30 * day, retireAfterMs: 30 * day };
export const checkpointEvery = 2000;

/** One claimed version as the remote stores it. */
export interface StoredFile {
  n: number;
  body: string;
  nonce: string;
  /** The device that claimed it (its `claim.json` names it). */
  deviceId: string;
}

/** The remote an actor with this history has, as its devices would have left it. */
export interface FoldedHistory {
  /** The head's checkpoint and its deltas; the versions before it are removed (tombstones). */
  files: StoredFile[];
  /** The first version of the chain the checkpoint ended: a device that has not seen it removes from there. */
  previous: number;
  /** The head's content. */
  head: VersionFile;
  /** What format 1 would have stored for the same history (computed, not measured). */
  format1: Format1Sizes;
}

/**
 * Folds the history with the project's own `fold` and `atClock`, version by
 * version as its devices did, and encodes the head's checkpoint and the
 * `chain` deltas after it with `encodeVersion`. The versions before the
 * checkpoint are removed on such a remote, so they are folded but not
 * encoded. The checkpoint
 * ends a chain of the length the byte rule gives at this history (capped at
 * `checkpointEvery`), so its `previous` is the one a real remote would have.
 */
export async function foldHistory(plan: HistoryPlan, chain: number): Promise<FoldedHistory> {
  const versions = versionCount(plan);
  const base = versions - chain;
  if (base < 2) throw new RangeError(`a history of ${versions} versions has no room for ${chain}`);
  const format1 = new Format1Sizes();
  let head = genesisVersion();
  for (let k = 1; k < base; k++) {
    const segment = versionSegment(plan, k);
    const next = await foldVersion(plan, head, segment);
    format1.addKeys(segment, next.keys.addedTo(head.keys));
    format1.addVersion(next);
    head = next;
  }
  // The checkpoint and its chain, folded onto the whole registry.
  const contents: VersionFile[] = [];
  let parent = head;
  for (let k = base; k <= versions; k++) {
    const segment = versionSegment(plan, k);
    const next = await foldVersion(plan, parent, segment);
    format1.addKeys(segment, next.keys.addedTo(parent.keys));
    format1.addVersion(next);
    contents.push(next);
    parent = next;
  }
  // How many deltas like the first fit in the checkpoint's bytes: the cycle that ended at it.
  const [checkpoint, delta] = encodeChain(plan, head, contents.slice(0, 2), base - 1);
  const cycle = Math.min(
    checkpointEvery,
    Math.floor(byteLength(checkpoint?.body ?? '') / byteLength(delta?.body ?? '1')),
  );
  const previous = Math.max(1, base - cycle);
  return {
    files: encodeChain(plan, head, contents, previous),
    previous,
    head: parent,
    format1,
  };
}

function foldVersion(plan: HistoryPlan, head: VersionFile, segment: Segment): Promise<VersionFile> {
  const k = versionOf(plan, segment);
  const d = plan.devices.indexOf(segment.deviceId);
  const clock = versionClock(plan, k);
  const input: FoldInput = {
    head,
    segments: [segment],
    actorId: plan.actorId,
    commands: benchCommands,
    commandsVersion: 0,
    scope: plan.scope,
    turnTimeoutMs: 5000,
    ...forgetting,
    // The device read the answers of its previous version when it confirmed it.
    self: { deviceId: segment.deviceId, acked: seqAfter(plan, d, k - 1) },
    nonce: crypto.randomUUID(),
    clock,
  };
  return fold(input).then(({ next }) => {
    if (next === undefined) throw new Error(`version ${k} folded nothing`);
    return atClock(next, head, clock, forgetting);
  });
}

/** The version a segment belongs to (each version folds one device's `perVersion` messages). */
function versionOf(plan: HistoryPlan, segment: Segment): number {
  const d = plan.devices.indexOf(segment.deviceId);
  const turn = (segment.first - 1) / plan.perVersion;
  return turn * plan.devices.length + d + 1;
}

/**
 * The checkpoint (the first of `contents`) and its deltas, as `encodeVersion`
 * writes them. The checkpoint's parent is given the chain that ended at it
 * (from `previous`), full, so `encodeVersion` writes a checkpoint naming it.
 */
function encodeChain(
  plan: HistoryPlan,
  parent: VersionFile,
  contents: readonly VersionFile[],
  previous: number,
): StoredFile[] {
  let last: VersionFile = {
    ...parent,
    chain: {
      base: previous,
      baseBytes: 0,
      chainBytes: 0,
      previous,
      prior: previous,
      ids: [],
    },
  };
  return contents.map((content, index) => {
    // Its writer had removed the chain before that one, as every device does once per cycle.
    const { body, version } = encodeVersion(content, last, checkpointEvery, previous);
    if (index === 0 && version.chain?.base !== content.version) {
      throw new Error('the chain does not start with a checkpoint');
    }
    last = version;
    return {
      n: content.version,
      body,
      nonce: content.nonce,
      deviceId: versionDevice(plan, content.version),
    };
  });
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
