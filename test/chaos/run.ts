/**
 * `npm run chaos`: actordav under chaos, end to end. Real Chromium, two devices (persistent
 * profiles): device A with 4 tabs, device B with one, writing the same ~50 actors. Thousands of
 * tasks, a share of them resent with the same key (concurrently from another tab, or later);
 * the workers stopped through CDP again and again; the browsers closed or killed and reopened
 * on their profiles; a fault proxy in front of a real WebDAV server dropping connections,
 * delaying, answering 503 and losing acknowledgements. Then the faults stop, both devices
 * converge, and the remote's head of every actor is checked against the serial oracle: every
 * key sent exactly once in `state.tasks`.
 *
 * Environment: CHAOS_SEED (default 1), CHAOS_SIZE=default|ci, CHAOS_SERVER=embedded|lighttpd|apache,
 * CHAOS_BROWSER=chromium|firefox (WebKitGTK keeps no profile and cannot stop a worker, so it
 * cannot play a device here),
 * CHAOS_KEEP=1 keeps the profiles and the server's files, CHAOS_BROWSER_LOG=1 with
 * DEBUG=pw:browser shows Chromium's own log. Needs `npm run build:e2e` first.
 */
import { access, chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveApp } from '../../demo/server.ts';
import { startFaultProxy, type FaultKind } from '../servers/faultProxy.ts';
import { freePort } from '../servers/freePort.ts';
import { startWebdavServer } from '../servers/startWebdavServer.ts';
import type { WebdavServerKind } from '../servers/WebdavServer.ts';
import { listRemote, readHead, type RemoteReader } from '../e2e/support/remoteFiles.ts';
import { engineLimit, type EngineName } from '../e2e/support/engines.ts';
import { ChaosDevice, type ActorStatus } from './chaosDevice.ts';
import { checkOracle } from './checkOracle.ts';
import { runBatch, type SendReport } from './pageClient.ts';
import {
  faultKinds,
  makePlan,
  tabsA,
  type ChaosSize,
  type DeviceName,
  type Message,
  type RoundPlan,
} from './plan.ts';

const appDist = 'test/e2e/.app-dist';
const appName = 'chaos';
const scope = `/${appName}/actors/`;
/** Sends in flight per tab. */
const concurrency = 8;
/** How long a page keeps retrying one send before the runner carries it to the next round. */
const sendBudgetMs = 45_000;
/**
 * The workers' confirmTimeoutMs: short on device A (4 busy tabs: mostly tentative 202s), longer
 * on device B, so answers are a mix of final 201s and 202s.
 */
const confirmMs: Record<DeviceName, number> = { A: 400, B: 2500 };
const convergeTimeoutMs = 240_000;

const seed = Number(process.env['CHAOS_SEED'] ?? '1');
const size = (process.env['CHAOS_SIZE'] ?? 'default') as ChaosSize;
const serverKind = (process.env['CHAOS_SERVER'] ?? 'embedded') as WebdavServerKind;
const engine = (process.env['CHAOS_BROWSER'] ?? 'chromium') as EngineName;
if (!Number.isSafeInteger(seed)) throw new RangeError('CHAOS_SEED must be an integer');
if (size !== 'default' && size !== 'ci') throw new RangeError('CHAOS_SIZE must be default or ci');
if (!['embedded', 'lighttpd', 'apache'].includes(serverKind)) {
  throw new RangeError('CHAOS_SERVER must be embedded, lighttpd or apache');
}
for (const needed of ['persistentProfile', 'stopWorker'] as const) {
  const limit = engineLimit(engine, needed);
  if (limit !== undefined) throw new RangeError(`CHAOS_BROWSER=${engine} cannot run: ${limit}`);
}
if (engine !== 'chromium' && engine !== 'firefox') {
  throw new RangeError('CHAOS_BROWSER must be chromium or firefox');
}

/** Per device: what each send produced. */
interface Tally {
  sends: number;
  /** Answers by status (201, 202; anything else is a bug). */
  answers: Map<number, number>;
  replayed: number;
  /** Retries inside the page, by cause (`network`, `503`, …). */
  retried: Map<string, number>;
  gaveUp: number;
  /** Non-replayed answers per key: more than one is a second effect seen locally. */
  fresh: Map<string, number>;
  /** Keys with at least one 201/202 answer. */
  accepted: Set<string>;
  unexpected: string[];
}

const newTally = (): Tally => ({
  sends: 0,
  answers: new Map(),
  replayed: 0,
  retried: new Map(),
  gaveUp: 0,
  fresh: new Map(),
  accepted: new Set(),
  unexpected: [],
});

async function main(): Promise<number> {
  await access(join(appDist, 'sw.js')).catch(() => {
    throw new Error(`${appDist}/sw.js is missing: run \`npm run build:e2e\` first`);
  });
  const started = Date.now();
  const plan = makePlan(seed, size);
  const uniqueKeys = [...plan.oracle.values()].reduce((sum, keys) => sum + keys.size, 0);
  console.log(
    `actordav chaos: seed ${seed}, size ${size}, server ${serverKind}, ${plan.actors.length} actors, ` +
      `${plan.rounds.length} rounds, ${uniqueKeys} unique keys`,
  );

  const root = await mkdtemp(join(tmpdir(), 'actordav-chaos-'));
  // lighttpd and Apache drop to `nobody` when started as root: they must reach `remote/` inside.
  await chmod(root, 0o755);
  const server = await startWebdavServer(serverKind, { dataDir: join(root, 'remote') });
  const proxy = await startFaultProxy({ target: server.url });
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}/`;
  const app = await serveApp(appDist, '127.0.0.1', appPort, { single: true });
  const remote: RemoteReader = { url: server.url };

  const tallies: Record<DeviceName, Tally> = { A: newTally(), B: newTally() };
  /** Outstanding sends per batch: key → how many sends of it still have no report. */
  const outstanding = new Map<number, Map<string, number>>();
  const onReport = (device: DeviceName, report: SendReport) => {
    const tally = tallies[device];
    const left = outstanding.get(report.batch);
    const count = left?.get(report.key) ?? 0;
    if (count > 1) left?.set(report.key, count - 1);
    else left?.delete(report.key);
    for (const [why, times] of Object.entries(report.retried)) {
      tally.retried.set(why, (tally.retried.get(why) ?? 0) + times);
    }
    if (report.status === 0) {
      tally.gaveUp += 1;
      // Still outstanding: the runner sends it again in the next round.
      left?.set(report.key, (left.get(report.key) ?? 0) + 1);
      return;
    }
    tally.answers.set(report.status, (tally.answers.get(report.status) ?? 0) + 1);
    if (report.status !== 201 && report.status !== 202) {
      tally.unexpected.push(`${report.actor}/${report.key}: ${report.status} ${report.text}`);
      return;
    }
    if (report.bodyKey !== report.key) {
      tally.unexpected.push(`${report.actor}/${report.key}: body key ${String(report.bodyKey)}`);
    }
    const id = `${report.actor}/${report.key}`;
    tally.accepted.add(id);
    if (report.replayed) tally.replayed += 1;
    else tally.fresh.set(id, (tally.fresh.get(id) ?? 0) + 1);
  };

  const pagePath = (device: DeviceName) =>
    `/${appName}/?${new URLSearchParams({
      variant: 'sync',
      remote: proxy.url,
      confirm: String(confirmMs[device]),
    }).toString()}`;
  const devices: Record<DeviceName, ChaosDevice> = {
    A: new ChaosDevice({
      name: 'A',
      engine,
      profileDir: join(root, 'profile-a'),
      appUrl,
      pagePath: pagePath('A'),
      tabs: tabsA,
      onReport,
    }),
    B: new ChaosDevice({
      name: 'B',
      engine,
      profileDir: join(root, 'profile-b'),
      appUrl,
      pagePath: pagePath('B'),
      tabs: 1,
      onReport,
    }),
  };
  let failed = true;
  try {
    await Promise.all([devices.A.launch(), devices.B.launch()]);
    let batchIds = 0;
    const carry: Record<DeviceName, Message[]> = { A: [], B: [] };

    /** Sends one batch from one tab; whatever gets no report is carried to the next round. */
    const sendBatch = async (device: DeviceName, tab: number, messages: Message[]) => {
      if (messages.length === 0) return;
      const batch = ++batchIds;
      const left = new Map<string, number>();
      for (const { key } of messages) left.set(key, (left.get(key) ?? 0) + 1);
      outstanding.set(batch, left);
      tallies[device].sends += messages.length;
      const page = devices[device].pages[tab];
      try {
        if (page === undefined) throw new Error('the tab is gone');
        await runBatch(page, { batch, messages, scope, concurrency, budgetMs: sendBudgetMs });
      } catch {
        // The browser went away under the batch (a restart): the client sends the rest again.
      }
      outstanding.delete(batch);
      const byKey = new Map(messages.map((message) => [message.key, message]));
      for (const [key, count] of left) {
        const message = byKey.get(key);
        if (message === undefined) continue;
        for (let i = 0; i < count; i++) carry[device].push(message);
      }
      // Carried sends are counted again when they are sent again.
      tallies[device].sends -= [...left.values()].reduce((sum, count) => sum + count, 0);
    };

    const runRound = async (round: RoundPlan) => {
      proxy.clear();
      for (const rule of round.faults) proxy.inject(rule);
      const carriedA = carry.A.splice(0);
      const carriedB = carry.B.splice(0);
      const tabs = round.tabs.map((batch) => [...batch]);
      carriedA.forEach((message, index) => tabs[index % tabsA]?.unshift(message));
      const restarting: Record<DeviceName, Promise<void> | undefined> = {
        A: undefined,
        B: undefined,
      };
      const events: Promise<void>[] = [];
      const at = (ms: number, action: () => Promise<void>) => events.push(sleep(ms).then(action));
      for (const ms of round.stopsA) {
        at(ms, async () => {
          if (restarting.A === undefined) await devices.A.stopWorker();
        });
      }
      for (const ms of round.stopsB) {
        at(ms, async () => {
          if (restarting.B === undefined) await devices.B.stopWorker();
        });
      }
      for (const device of ['A', 'B'] as const) {
        const restart = device === 'A' ? round.restartA : round.restartB;
        if (restart === undefined) continue;
        at(restart.atMs, async () => {
          restarting[device] = devices[device].restart(restart.kind);
          await restarting[device];
          restarting[device] = undefined;
        });
      }
      const sends = [
        ...tabs.map((batch, tab) => sendBatch('A', tab, batch)),
        sendBatch('B', 0, [...carriedB, ...round.deviceB]),
      ];
      await Promise.all([...sends, ...events]);
    };

    for (const round of plan.rounds) {
      await runRound(round);
      const accepted = tallies.A.accepted.size + tallies.B.accepted.size;
      console.log(
        `round ${round.index + 1}/${plan.rounds.length}: ${accepted}/${uniqueKeys} keys accepted, ` +
          `carried ${carry.A.length + carry.B.length}, ${Math.round((Date.now() - started) / 1000)} s`,
      );
    }
    // Sends that never got an answer are sent again, faults off, until each has one.
    proxy.clear();
    const emptyRound = (index: number): RoundPlan => ({
      index,
      tabs: Array.from({ length: tabsA }, () => []),
      deviceB: [],
      faults: [],
      stopsA: [],
      stopsB: [],
      restartA: undefined,
      restartB: undefined,
    });
    for (let extra = 0; extra < 5 && carry.A.length + carry.B.length > 0; extra++) {
      await runRound(emptyRound(plan.rounds.length + extra));
    }
    const sendingDone = Date.now();

    // Converge: faults off, both devices sync until each is at the remote's head with nothing pending.
    proxy.clear();
    const convergeStarted = Date.now();
    let converged = false;
    let lastView = '';
    let lastTrigger = 0;
    // Two polls in a row with every actor at the head on both devices and nothing pending.
    for (let poll = 0, calm = 0; Date.now() - convergeStarted < convergeTimeoutMs; poll++) {
      const [statusA, statusB, heads] = await Promise.all([
        devices.A.statuses(scope, plan.actors),
        devices.B.statuses(scope, plan.actors),
        Promise.all(plan.actors.map((actor) => headVersion(remote, actor))),
      ]);
      const atHead = (status: ActorStatus | undefined, index: number) =>
        status !== undefined && status.pending === 0 && status.version === heads[index];
      const behind = plan.actors.filter(
        (_, index) => !atHead(statusA[index], index) || !atHead(statusB[index], index),
      );
      if (behind.length === 0) {
        calm += 1;
        if (calm >= 2) {
          converged = true;
          break;
        }
      } else {
        calm = 0;
        lastView = describeBehind(behind, plan.actors, statusA, statusB, heads);
        if (poll % 20 === 0) {
          console.log(
            `converging: ${behind.length} actors behind after ${((Date.now() - convergeStarted) / 1000).toFixed(0)} s\n${lastView}`,
          );
        }
        // What a page does when it comes online: ask the worker to sync (pull and push) every actor.
        if (Date.now() - lastTrigger > 3000) {
          lastTrigger = Date.now();
          await Promise.all([devices.A.triggerSync(), devices.B.triggerSync()]);
        }
      }
      await sleep(500);
    }
    const convergeMs = Date.now() - convergeStarted;

    // The check: every head against the oracle, each device's state against the head, receipts.
    const headTasks = new Map<string, string[]>();
    for (const actor of plan.actors) {
      const head = await readHead(remote, actor);
      const tasks = (head?.state['tasks'] ?? []) as { key: string }[];
      headTasks.set(
        actor,
        tasks.map((task) => task.key),
      );
    }
    const oracle = checkOracle(plan.oracle, headTasks);
    const disagree: string[] = [];
    for (const device of ['A', 'B'] as const) {
      const local = await devices[device].taskKeys(scope, plan.actors);
      for (const actor of plan.actors) {
        if (JSON.stringify(local[actor] ?? []) !== JSON.stringify(headTasks.get(actor) ?? [])) {
          disagree.push(`${device}:${actor}`);
        }
      }
    }
    const notDone: string[] = [];
    for (const device of ['A', 'B'] as const) {
      const receipts = await devices[device].receipts();
      for (const [actor, keys] of plan.oracle) {
        for (const key of keys) {
          if (!key.startsWith(device.toLowerCase())) continue;
          const receipt = receipts[`${actor}/${key}`];
          if (receipt?.[0] !== 'done' || receipt[1] !== 201) {
            notDone.push(`${device}:${actor}/${key} ${JSON.stringify(receipt ?? null)}`);
          }
        }
      }
    }
    const freshTwice = (['A', 'B'] as const).flatMap((device) =>
      [...tallies[device].fresh].filter(([, n]) => n > 1).map(([id, n]) => `${device}:${id} ×${n}`),
    );
    const unexpected = [...tallies.A.unexpected, ...tallies.B.unexpected];
    const accepted = tallies.A.accepted.size + tallies.B.accepted.size;

    const sends = tallies.A.sends + tallies.B.sends;
    const faults = proxy.faults;
    const retried = new Map<string, number>();
    for (const tally of [tallies.A, tallies.B]) {
      for (const [why, n] of tally.retried) retried.set(why, (retried.get(why) ?? 0) + n);
    }
    const answers = new Map<number, number>();
    for (const tally of [tallies.A, tallies.B]) {
      for (const [status, n] of tally.answers) answers.set(status, (answers.get(status) ?? 0) + n);
    }
    const lines = [
      '',
      `== actordav chaos: seed ${seed}, size ${size}, server ${serverKind}, browser ${engine} ==`,
      `messages:          ${sends} sends (device A ${tallies.A.sends} from ${tabsA} tabs, device B ${tallies.B.sends}) to ${plan.actors.length} actors`,
      `unique keys:       ${uniqueKeys} (accepted ${accepted})`,
      `resends:           ${sends - uniqueKeys} (${percent(sends - uniqueKeys, sends)} of sends; ${plan.resentKeys} keys = ${percent(plan.resentKeys, uniqueKeys)} planned to be resent, plus sends cut off by restarts)`,
      `answers:           ${[...answers].map(([status, n]) => `${status} ×${n}`).join(', ')}; replayed ${tallies.A.replayed + tallies.B.replayed}`,
      `page retries:      ${[...retried].map(([why, n]) => `${why} ×${n}`).join(', ') || 'none'}; gave up ${tallies.A.gaveUp + tallies.B.gaveUp}`,
      `worker stops:      ${devices.A.stops + devices.B.stops} (A ${devices.A.stops}, B ${devices.B.stops}) via ${engine === 'firefox' ? 'privileged BiDi' : 'CDP'}`,
      `restarts:          ${restartCount(devices.A) + restartCount(devices.B)} (A ${describeRestarts(devices.A)}; B ${describeRestarts(devices.B)})`,
      `storage wipes:     ${devices.A.wipes + devices.B.wipes} (a restart after which the browser had recreated the database empty: new device id)`,
      `faults:            ${faultKinds.map((kind: FaultKind) => `${kind} ${faults[kind]}`).join(', ')}`,
      `lost:              ${oracle.lost.length}`,
      `doubled:           ${oracle.doubled.length}`,
      `unknown keys:      ${oracle.unknown.length}`,
      `fresh twice:       ${freshTwice.length} (keys answered without Idempotent-Replayed more than once)`,
      `unexpected:        ${unexpected.length} (answers other than 201/202)`,
      `receipts not done: ${notDone.length}`,
      `devices agree:     ${disagree.length === 0 ? 'yes' : `no (${disagree.length} actor views differ)`}`,
      `time to converge:  ${converged ? `${(convergeMs / 1000).toFixed(1)} s` : `NOT CONVERGED after ${convergeMs / 1000} s`}`,
      `sending took:      ${((sendingDone - started) / 1000).toFixed(1)} s; total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ];
    console.log(lines.join('\n'));
    const show = (label: string, items: string[]) => {
      if (items.length === 0) return;
      console.log(`${label} (${items.length}):`);
      for (const item of items.slice(0, 50)) console.log(`  ${item}`);
      if (items.length > 50) console.log(`  … and ${items.length - 50} more`);
    };
    show('LOST', oracle.lost);
    show('DOUBLED', oracle.doubled);
    show('UNKNOWN', oracle.unknown);
    show('FRESH TWICE', freshTwice);
    show('UNEXPECTED', unexpected);
    show('RECEIPTS NOT DONE', notDone);
    show('DEVICES DISAGREE', disagree);
    if (!converged) console.log(`not converged:\n${lastView}`);
    failed =
      oracle.lost.length +
        oracle.doubled.length +
        oracle.unknown.length +
        freshTwice.length +
        unexpected.length +
        notDone.length +
        disagree.length >
        0 || !converged;
    console.log(`result:            ${failed ? 'FAIL' : 'PASS'}`);
    return failed ? 1 : 0;
  } finally {
    await Promise.allSettled([devices.A.close(), devices.B.close()]);
    await new Promise<void>((resolve) => app.close(() => resolve()));
    app.closeAllConnections();
    await proxy.close();
    await server.stop();
    if (failed || process.env['CHAOS_KEEP'] === '1') console.log(`kept for inspection: ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

/** The highest claimed version of an actor on the server (read past the proxy), 0 for none. */
async function headVersion(remote: RemoteReader, actor: string): Promise<number> {
  const entries = (await listRemote(remote, `${encodeURIComponent(actor)}/v/`)) ?? [];
  const numbers = entries
    .filter((entry) => /^\d{12}$/.test(entry.name))
    .map((entry) => Number(entry.name));
  return numbers.length === 0 ? 0 : Math.max(...numbers);
}

function describeBehind(
  behind: string[],
  actors: readonly string[],
  statusA: readonly ActorStatus[],
  statusB: readonly ActorStatus[],
  heads: readonly number[],
): string {
  return behind
    .slice(0, 10)
    .map((actor) => {
      const index = actors.indexOf(actor);
      const view = (status: ActorStatus | undefined) =>
        status === undefined
          ? '?'
          : `v${status.version} pending ${status.pending}${status.syncing ? ' syncing' : ''}${status.lastError ? ` ${status.lastError.code}: ${status.lastError.message}` : ''}`;
      return `  ${actor}: head v${heads[index] ?? '?'}; A ${view(statusA[index])}; B ${view(statusB[index])}`;
    })
    .join('\n');
}

function restartCount(device: ChaosDevice): number {
  return device.restarts.close + device.restarts.kill;
}

function describeRestarts(device: ChaosDevice): string {
  return `${device.restarts.close} closed, ${device.restarts.kill} killed`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(1)} %`;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 2;
});
