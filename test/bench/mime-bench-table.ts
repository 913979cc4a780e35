/**
 * Shared bits of the MIME benchmarks: a result table in the agreed shape (medians: report.ts).
 * Benchmarks print figures; they never assert (targets are reported as met or not).
 */

/** One line of a benchmark table: our figure, the baseline's, and the target on their ratio. */
export interface BenchRow {
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  /** The ratio we aim for, e.g. 3 for ">= 3x", or undefined for an informational row. */
  readonly target?: number;
  /** `higher`: ours / baseline must reach the target; `lower`: ours must stay at or below it. */
  readonly better: 'higher' | 'lower';
  readonly unit: string;
}

/** Prints `name | ours | baseline | ratio | target | met?` with aligned columns. */
export function printTable(title: string, rows: readonly BenchRow[]): void {
  const lines = [['name', 'ours', 'baseline', 'ratio', 'target', 'met?']];
  for (const row of rows) {
    const ratio = row.better === 'higher' ? row.ours / row.baseline : row.ours;
    const target = row.target === undefined ? '-' : row.better === 'higher' ? `>= ${row.target}x` : `<= ${row.target}x`;
    const met = row.target === undefined ? '-' : (row.better === 'higher' ? ratio >= row.target : ratio <= row.target) ? 'yes' : 'NO';
    lines.push([row.name, `${fmt(row.ours)} ${row.unit}`, `${fmt(row.baseline)} ${row.unit}`, `${ratio.toFixed(2)}x`, target, met]);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  console.log(`\n${title}`);
  for (const [i, line] of lines.entries()) {
    console.log(line.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}
