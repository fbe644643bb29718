/** One line of the results table: a figure, its baseline from the same run, and the goal. */
export interface ResultRow {
  metric: string;
  actordav: number;
  baseline: number;
  baselineName: string;
  /** Median of the per-repetition ratios actordav / baseline. */
  ratio: number;
  /** Smallest and largest per-repetition ratio. */
  ratioRange: [number, number];
  goal: string;
  /** Undefined for a row with no goal. */
  met: boolean | undefined;
  /** Decimals for the two figures. */
  digits: number;
}

const columns = [
  { title: 'metric', width: 42, align: 'left' },
  { title: 'actordav', width: 9, align: 'right' },
  { title: 'baseline', width: 9, align: 'right' },
  { title: 'baseline is', width: 30, align: 'left' },
  { title: 'ratio', width: 7, align: 'right' },
  { title: 'range', width: 11, align: 'left' },
  { title: 'goal', width: 15, align: 'left' },
  { title: '', width: 6, align: 'left' },
] as const;

function cell(text: string, index: number): string {
  const column = columns[index];
  if (column === undefined) return text;
  return column.align === 'left' ? text.padEnd(column.width) : text.padStart(column.width);
}

const ratioText = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;

/** The table as text, one row per line, a header and a rule first. */
export function formatTable(rows: readonly ResultRow[]): string {
  const header = columns.map((column, index) => cell(column.title, index)).join(' ');
  const lines = rows.map((row) =>
    [
      row.metric,
      row.actordav.toFixed(row.digits),
      row.baseline.toFixed(row.digits),
      row.baselineName,
      ratioText(row.ratio),
      `${row.ratioRange[0].toFixed(2)}–${row.ratioRange[1].toFixed(2)}`,
      row.goal,
      row.met === undefined ? '' : row.met ? 'met' : 'MISSED',
    ]
      .map(cell)
      .join(' ')
      .trimEnd(),
  );
  return [header.trimEnd(), '-'.repeat(header.trimEnd().length), ...lines].join('\n');
}
