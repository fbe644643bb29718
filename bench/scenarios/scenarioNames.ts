/** The parts of a run; `BENCH_ONLY=latency,bundle` runs just those (all by default). */
export const scenarioNames = [
  'latency',
  'throughput',
  'backlog',
  'lookup',
  'bundle',
  'history',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

/** The scenarios `BENCH_ONLY` asks for; throws a RangeError naming an unknown one. */
export function selectedScenarios(only = process.env['BENCH_ONLY'] ?? ''): Set<ScenarioName> {
  if (only.trim() === '') return new Set(scenarioNames);
  const picked = only.split(',').map((name) => name.trim());
  for (const name of picked) {
    if (!(scenarioNames as readonly string[]).includes(name)) {
      throw new RangeError(
        `BENCH_ONLY: unknown scenario "${name}" (known: ${scenarioNames.join(', ')})`,
      );
    }
  }
  return new Set(picked as ScenarioName[]);
}
