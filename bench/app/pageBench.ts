import type { BenchApi, RequestSpec, StatusCounts } from './benchApi.ts';

function fill(template: string, spec: RequestSpec, i: number): string {
  const filled = template
    .replaceAll('{i}', String(i))
    .replaceAll('{a}', String(i % (spec.actors ?? 1)));
  if (!filled.includes('{p}')) return filled;
  // Knuth's multiplicative hash: neighbouring indexes land far apart.
  const scrambled = Number((BigInt(i) * 2654435761n) % 4294967296n) % (spec.pick ?? 1);
  return filled.replaceAll('{p}', String(scrambled));
}

// One request, its whole answer read: what a client of the worker waits for.
async function send(spec: RequestSpec, i: number): Promise<string> {
  const headers: Record<string, string> = {};
  if (spec.key !== undefined) headers['idempotency-key'] = JSON.stringify(fill(spec.key, spec, i));
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(fill(spec.path, spec, i), {
    method: spec.method,
    headers,
    ...(spec.body === undefined ? {} : { body: fill(spec.body, spec, i) }),
  });
  await response.arrayBuffer();
  return response.headers.get('idempotent-replayed') === 'true'
    ? `${response.status} replayed`
    : String(response.status);
}

function count(statuses: StatusCounts, status: string): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

/** The page side of the benchmarks: timing happens here, next to `fetch`. */
export const pageBench: BenchApi = {
  async sequential(spec, from, n) {
    const times: number[] = [];
    const statuses: StatusCounts = {};
    for (let i = from; i < from + n; i++) {
      const start = performance.now();
      count(statuses, await send(spec, i));
      times.push(performance.now() - start);
    }
    return { times, statuses };
  },

  async concurrent(spec, n, concurrency) {
    const statuses: StatusCounts = {};
    let next = 0;
    const sender = async () => {
      for (let i = next++; i < n; i = next++) count(statuses, await send(spec, i));
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, sender));
    return { ms: performance.now() - start, statuses };
  },

  async read(paths) {
    return Promise.all(
      paths.map(async (path) => {
        const response = await fetch(path);
        return (await response.json()) as unknown;
      }),
    );
  },

  async control(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  },
};
