import type { ReactNode } from 'react';

/** One column: its header and how a row shows in it. */
export interface Column<T> {
  readonly header: ReactNode;
  readonly cell: (row: T) => ReactNode;
  /** Right-aligns numbers. @default false */
  readonly numeric?: boolean;
}

/**
 * A data table with a caption (screen readers announce it; hidden visually when `captionHidden`).
 * `rowKey` gives React a stable key per row.
 */
export function Table<T>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
}: {
  readonly caption: ReactNode;
  readonly captionHidden?: boolean;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c, i) => (
                <td key={i} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
