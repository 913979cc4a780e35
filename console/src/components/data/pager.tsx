/**
 * Paging by the API's cursors: the cursors of the pages visited so far, so "next" follows the
 * answer's cursor and "first" starts over (the lists are newest first and change while one reads).
 */
import { useState } from 'react';
import { Button } from '../ui/index.ts';

/** The current page's cursor and the moves between pages. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    onFirstPage: cursors.length === 0,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    first: () => setCursors([]),
  };
}

/** "First page" / "Next page" under a paged table; `nextCursor` from the current answer. */
export function Pager(props: {
  readonly nextCursor: string | undefined;
  readonly pages: ReturnType<typeof useCursorPages>;
  readonly labels: { readonly next: string; readonly first: string };
}) {
  const { nextCursor, pages } = props;
  if (pages.onFirstPage && nextCursor === undefined) return null;
  return (
    <div className="pager">
      {!pages.onFirstPage && <Button onClick={pages.first}>{props.labels.first}</Button>}
      {nextCursor !== undefined && <Button onClick={() => pages.next(nextCursor)}>{props.labels.next}</Button>}
    </div>
  );
}
