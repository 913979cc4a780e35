/**
 * How many messages of a POP3 maildrop the first poll's bounded backfill would fetch, for the
 * connection test (issue 10 items 2 and 5). POP3 has no search: each message's Date header is read
 * with TOP n 0, newest first, so the count is bounded by {@link MAX_POP3_BACKFILL_PROBES}.
 */
import type { Pop3Client } from './session-types.ts';

/**
 * Most TOP commands one connection test sends: about 200 round trips take a few seconds, well
 * inside the whole test's time limit, and a mailbox with more recent mail than that is reported as
 * "at least" instead of being read header by header.
 */
export const MAX_POP3_BACKFILL_PROBES = 200;

/**
 * Messages older than the window in a row after which the scan stops: a maildrop lists messages
 * in arrival order, so a run of old ones means the rest is older still (a few misdated ones
 * must not end the scan early).
 */
const OLD_RUN_TO_STOP = 20;

/** The count, and whether it is a lower bound (the probe limit was reached before the window ended). */
export interface Pop3BackfillCount {
  readonly count: number;
  readonly atLeast: boolean;
  readonly probed: number;
}

/**
 * Counts the messages among `total` whose Date header is at or after `since`, newest (highest
 * number) first. A message without a readable Date counts as recent: the poller cannot date it
 * either and would fetch it.
 */
export async function countPop3Backfill(client: Pop3Client, total: number, since: Date): Promise<Pop3BackfillCount> {
  let count = 0;
  let oldRun = 0;
  let probed = 0;
  for (let n = total; n >= 1; n -= 1) {
    if (probed >= MAX_POP3_BACKFILL_PROBES) return { count, atLeast: true, probed };
    probed += 1;
    const date = headerDate(await client.top(n, 0));
    if (date === undefined || date >= since.getTime()) {
      count += 1;
      oldRun = 0;
    } else if ((oldRun += 1) >= OLD_RUN_TO_STOP) {
      break;
    }
  }
  return { count, atLeast: false, probed };
}

/** The Date header (RFC 5322 3.6.1, folded lines unfolded) as epoch milliseconds, or undefined. */
export function headerDate(header: Buffer): number | undefined {
  const text = header.toString('latin1');
  const match = /^Date:[ \t]*((?:[^\r\n]|\r\n[ \t])*)/im.exec(text);
  if (!match?.[1]) return undefined;
  const ms = Date.parse(match[1].replace(/\r\n/g, '').replace(/\([^)]*\)/g, '').trim());
  return Number.isNaN(ms) ? undefined : ms;
}
