/**
 * Prints benchmark rows as an aligned table: each figure beside its same-run baseline and the
 * ratio, with the target and whether this run met it; and the one median the benchmarks report.
 */
export interface BenchRow {
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  readonly unit: string;
  /** `ratio >= target` when higher is better, `ratio <= target` otherwise. */
  readonly target?: { readonly ratio: number; readonly higherIsBetter: boolean };
  readonly note?: string;
}

export function printRows(title: string, rows: readonly BenchRow[]): void {
  const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
  const table = rows.map((r) => {
    const ratio = r.baseline === 0 ? NaN : r.ours / r.baseline;
    const met = r.target ? (r.target.higherIsBetter ? ratio >= r.target.ratio : ratio <= r.target.ratio) : undefined;
    return [
      r.name,
      `${fmt(r.ours)} ${r.unit}`,
      `${fmt(r.baseline)} ${r.unit}`,
      `${fmt(ratio)}x`,
      r.target ? `${r.target.higherIsBetter ? '>=' : '<='} ${r.target.ratio}x` : '-',
      met === undefined ? '-' : met ? 'yes' : 'NO',
      r.note ?? '',
    ];
  });
  const head = ['benchmark', 'ours', 'baseline', 'ratio', 'target', 'met', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  console.log(title);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of table) console.log(line(row));
}

/** The median of a non-empty list; robust against a noisy, shared machine. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
