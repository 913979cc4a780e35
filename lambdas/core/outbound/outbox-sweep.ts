/**
 * The outbox sweep (ARCHITECTURE.md decision 8; the lock-reset sweep of graphile/worker), run by
 * the reconciler: a pending record whose notice was lost (a crash between the write and the
 * notice, a notice that went to the DLQ) is announced again, and a record whose sender died in
 * `sending` becomes `uncertain` once its lease ran out, so agents see it without a redelivery.
 */
import type { OutboundNotifier, OutboxTransitions } from './outbound-ports.ts';

export const OUTBOX_SWEEP_DEFAULTS = {
  /** A pending record untouched this long lost its notice: the sender takes seconds, its backoffs are written to the record. */
  stalePendingMs: 5 * 60_000,
} as const;

/** What one sweep did. */
export interface OutboxSweepReport {
  /** Pending records announced again. */
  readonly renotified: number;
  /** Records whose lease had run out, now uncertain. */
  readonly uncertain: number;
}

/**
 * One sweep at `now`. A pending record counts as stale when it was neither created nor changed
 * (released after a failure, resent) within `stalePendingMs`: one waiting out a backoff is left
 * to its notice.
 * @param stalePendingMs @default OUTBOX_SWEEP_DEFAULTS.stalePendingMs (5 minutes)
 */
export async function sweepOutbox(outbox: OutboxTransitions, notifier: OutboundNotifier, now: Date, stalePendingMs: number = OUTBOX_SWEEP_DEFAULTS.stalePendingMs): Promise<OutboxSweepReport> {
  const olderThan = new Date(now.getTime() - stalePendingMs);
  const stale = await outbox.listStale(olderThan, now);
  const quiet = (at: string | undefined) => at === undefined || at < olderThan.toISOString();
  const pending = stale.filter((r) => r.state === 'pending' && !r.heldBy && quiet(r.updatedAt)).map((r) => r.id);
  const expired = stale.filter((r) => r.state === 'sending').map((r) => r.id);
  if (pending.length > 0) await notifier.notify(pending);
  for (const id of expired) await outbox.markUncertain(id, now);
  return { renotified: pending.length, uncertain: expired.length };
}
