import { access, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { versionName } from '../../src/sync/remotePaths.ts';
import type { RequestSpec } from '../app/benchApi.ts';
import { foldHistory, type FoldedHistory } from '../history/foldHistory.ts';
import { contentBytes, contentOnDisk, isCheckpoint, storedFile } from '../history/headOnDisk.ts';
import { historyPlan, roundBody, versionCount } from '../history/historyPlan.ts';
import { listingBytes } from '../history/listingBytes.ts';
import { plantHistory } from '../history/plantHistory.ts';
import { remoteBytes } from '../history/remoteBytes.ts';
import { historyDevices } from '../history/historyPlan.ts';
import type { CountingProxy, RemoteCounts } from '../server/countingProxy.ts';
import type { PageSession } from '../server/rpcSessions.ts';
import { checkStatuses } from './checkStatuses.ts';

/** What one sync round cost at the remote (counted at the proxy) and took (in the worker). */
export interface RoundCost {
  /** Requests, CORS preflights left out. */
  requests: number;
  /** With the preflights. */
  allRequests: number;
  bytesUp: number;
  bytesDown: number;
  ms: number;
  /** The version the round claimed, the bytes of its file, and whether it is a checkpoint. */
  version: number;
  fileBytes: number;
  checkpoint: boolean;
  /** Segments `log/` held when the round listed it. */
  listed: number;
}

/** One history's measurements. */
export interface HistoryRun {
  messages: number;
  /** The new device's first pull. */
  pull: RoundCost;
  /**
   * The rounds after the pull in which the new device still removed the chain its first head's
   * checkpoint ended (every device removes each chain once; a new one has not yet).
   */
  warmUp: RoundCost[];
  /**
   * One checkpoint cycle as a device that has synced all along pays it: every round after the
   * warm-up up to the browser's first checkpoint (inclusive), then those until it has removed the
   * chain that checkpoint ended.
   */
  cycle: RoundCost[];
  /** Bytes of the checkpoint and deltas the new device found (its head's chain). */
  chainAtJoin: number;
  /** Bytes of the head's content at joining, after the checkpoint, and at the end. */
  contentAtJoin: number;
  contentAtCheckpoint: number;
  contentAtEnd: number;
  /** Bytes the remote stored (the actor's folder) at joining, right after the checkpoint, at the end. */
  storedAtJoin: number;
  storedAtCheckpoint: number;
  storedAtEnd: number;
  /** PROPFIND Depth 1 answers on the planted remote: `v/` (every version's folder), `log/`, an empty folder. */
  listings: { versions: number; log: number; logEntries: number; empty: number };
  format1: FoldedHistory['format1'];
  versions: number;
  /** Versions between the checkpoints the browser met (its cycle). */
  cycleVersions: number;
  buildMs: number;
}

/** Where the history's remote is: the WebDAV server's folder, its URL (direct), and the proxy the browser uses. */
export interface HistoryRemote {
  davRoot: string;
  directUrl: string;
  proxy: CountingProxy;
}

const actorId = 'hist';
const scope = '/hist/actors/';
const perRound = 10;
/** Deltas after the checkpoint when the browser joins: it meets a chain begun, as a device joining any day would. */
const chainAtJoin = 2;
/** Enough for a whole cycle at the longest chain (`checkpointEvery`), its removal and the warm-up. */
const maxRounds = 2200;

/** Folds the history in Node and writes it into the server's folder; run before the browser starts. */
export async function buildHistory(remote: HistoryRemote, messages: number) {
  const start = performance.now();
  const plan = historyPlan(messages, actorId, scope);
  const history = await foldHistory(plan, chainAtJoin);
  await plantHistory(remote.davRoot, actorId, history);
  const listed = async (path: string) => listingBytes(`${remote.directUrl}${actorId}/${path}`);
  const [versions, log, empty] = await Promise.all([
    listed('v/'),
    listed('log/'),
    listed('staging/'),
  ]);
  return {
    plan,
    history,
    listings: {
      versions: versions.bytes,
      log: log.bytes,
      logEntries: log.entries - 1,
      empty: empty.bytes,
    },
    buildMs: performance.now() - start,
  };
}

/**
 * A new device (the browser, on a fresh profile) joins an actor with this
 * history: its first pull, then rounds of ten new messages, each synced in
 * one round, through one whole checkpoint cycle and until the chain that
 * cycle ended is removed.
 */
export async function measureHistory(
  page: PageSession,
  remote: HistoryRemote,
  built: Awaited<ReturnType<typeof buildHistory>>,
  log: (line: string) => void,
): Promise<HistoryRun> {
  const { plan, history } = built;
  const folder = join(remote.davRoot, actorId);
  const versions = versionCount(plan);
  const contentAtJoin = contentBytes(history.head);
  const storedAtJoin = (await remoteBytes(folder)).bytes;

  const counted = async (route: string, body: unknown): Promise<RoundCost> => {
    const listed = await segmentsListed(folder);
    remote.proxy.reset();
    const { ms } = (await page.call('control', route, body)) as { ms: number };
    const counts = structuredClone(remote.proxy.counts);
    const [status] = (await page.call('read', [`${scope}${actorId}/status`])) as {
      version: number;
      pending: number;
      lastError: unknown;
    }[];
    if (status === undefined || status.pending !== 0 || status.lastError !== null) {
      throw new Error(`${route}: the round left ${JSON.stringify(status)}`);
    }
    const file = await storedFile(folder, status.version);
    return {
      ...cost(counts),
      ms,
      version: status.version,
      fileBytes: Buffer.byteLength(file),
      checkpoint: await isCheckpoint(folder, status.version),
      listed,
    };
  };

  const base = versions - chainAtJoin;
  // Removal goes oldest first: the new device has caught up once it has rewritten the last tombstone.
  const lastTombstone = join(folder, 'v', versionName(base - 1), 'gone.json');
  const planted = (await stat(lastTombstone)).mtimeMs;
  const caughtUp = async () => (await stat(lastTombstone)).mtimeMs !== planted;
  const pull = await counted('/bench/hist-pull', { actorId });
  if (pull.version !== versions) throw new Error(`pulled version ${pull.version} of ${versions}`);
  log(`${plan.messages} messages: pulled version ${versions} (${kb(pull.bytesDown)} received)`);

  const round = async (r: number): Promise<RoundCost> => {
    const spec: RequestSpec = {
      method: 'POST',
      path: `${scope}${actorId}/execute`,
      key: `round${r}-{i}`,
      body: JSON.stringify(roundBody),
    };
    const { statuses } = await page.call('concurrent', spec, perRound, perRound);
    checkStatuses('a round of messages', statuses, { '202': perRound });
    await page.call('control', '/bench/hist-settle');
    return counted('/bench/hist-round', {});
  };

  let rounds = 0;
  const next = async () => {
    if (rounds >= maxRounds) throw new Error(`no checkpoint after ${maxRounds} rounds`);
    const done = await round(rounds++);
    if (rounds % 100 === 0) log(`${plan.messages} messages: ${rounds} rounds`);
    return done;
  };
  const warmUp: RoundCost[] = [];
  while (!(await caughtUp())) warmUp.push(await next());
  const cycle: RoundCost[] = [];
  for (let done = await next(); ; done = await next()) {
    cycle.push(done);
    if (done.checkpoint) break;
  }
  const checkpoint = cycle.at(-1)?.version ?? 0;
  const storedAtCheckpoint = (await remoteBytes(folder)).bytes;
  const contentAtCheckpoint = cycle.at(-1)?.fileBytes ?? 0;
  // The history's devices delete their segments once they see a checkpoint that covers them.
  await dropHistorySegments(folder);
  const toCheckpoint = cycle.length;
  while (await exists(join(folder, 'v', versionName(checkpoint - 1), 'state.json'))) {
    cycle.push(await next());
  }
  const end = cycle.at(-1)?.version ?? checkpoint;
  log(
    `${plan.messages} messages: ${warmUp.length} rounds of warm-up, ${toCheckpoint} to the ` +
      `checkpoint at version ${checkpoint}, ${cycle.length - toCheckpoint} more to remove the chain before it`,
  );
  return {
    messages: plan.messages,
    pull,
    warmUp,
    cycle,
    chainAtJoin: history.files.reduce((sum, file) => sum + Buffer.byteLength(file.body), 0),
    contentAtJoin,
    contentAtCheckpoint,
    contentAtEnd: contentBytes(await contentOnDisk(folder, end)),
    storedAtJoin,
    storedAtCheckpoint,
    storedAtEnd: (await remoteBytes(folder)).bytes,
    listings: built.listings,
    format1: history.format1,
    versions,
    cycleVersions: checkpoint - base,
    buildMs: built.buildMs,
  };
}

function cost(counts: RemoteCounts) {
  const all = Object.values(counts.byMethod).reduce((sum, count) => sum + count, 0);
  return {
    requests: all - (counts.byMethod['OPTIONS'] ?? 0),
    allRequests: all,
    bytesUp: counts.bytesUp,
    bytesDown: counts.bytesDown,
  };
}

async function segmentsListed(folder: string): Promise<number> {
  return (await readdir(join(folder, 'log'))).length;
}

async function dropHistorySegments(folder: string): Promise<void> {
  const names = await readdir(join(folder, 'log'));
  const theirs = names.filter((name) => historyDevices.some((id) => name.startsWith(`${id}.`)));
  await Promise.all(theirs.map((name) => rm(join(folder, 'log', name))));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
