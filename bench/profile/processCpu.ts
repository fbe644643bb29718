import { readdir, readFile } from 'node:fs/promises';

/** CPU seconds used so far by a process tree, by Chromium process kind. */
export type CpuByKind = Record<string, number>;

const ticksPerSecond = 100;

async function readProc(
  pid: string,
): Promise<{ ppid: number; cpu: number; kind: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Chromium rewrites its children's titles into one space-separated string.
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
    const flag = (name: string) => new RegExp(`--${name}=(\\S+)`).exec(cmdline)?.[1];
    const type = flag('type') ?? 'browser';
    const sub = flag('utility-sub-type');
    return {
      ppid: Number(fields[1]),
      cpu: (Number(fields[11]) + Number(fields[12])) / ticksPerSecond,
      kind: sub === undefined ? type : `${type}:${sub.split('.')[0] ?? sub}`,
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds of `root` and all its descendants, summed by kind (`renderer`, `utility:storage`, …). */
export async function processCpu(root: number): Promise<CpuByKind> {
  const all = new Map<number, { ppid: number; cpu: number; kind: string }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = await readProc(name);
    if (info !== undefined) all.set(Number(name), info);
  }
  const inTree = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = all.get(at)?.ppid) {
      if (at === root) return true;
    }
    return false;
  };
  const byKind: CpuByKind = {};
  for (const [pid, info] of all) {
    if (inTree(pid)) byKind[info.kind] = (byKind[info.kind] ?? 0) + info.cpu;
  }
  return byKind;
}

/** What each kind used between two snapshots. */
export function cpuBetween(before: CpuByKind, after: CpuByKind): CpuByKind {
  const used: CpuByKind = {};
  for (const [kind, seconds] of Object.entries(after)) used[kind] = seconds - (before[kind] ?? 0);
  return used;
}
