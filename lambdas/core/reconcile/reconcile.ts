/**
 * The reconciler (ARCHITECTURE.md decision 11): every stored raw message must reach exactly one
 * outcome. It lists raw messages under `inbound/` (and the pollers' `polled/`), asks the ingest ledger about each one that is
 * old enough, and puts back on the inbound queue those without a finished ingest record, so a lost
 * SNS notification, a wiped local queue or a crash between "stored" and "ingested" cannot lose mail.
 *
 * Redelivery is always safe: ingest is exactly-once by transport identity (decision 4), so a
 * message that was in fact still in flight ends as a `duplicate`, never as a second interaction.
 */
import { RAW_MAIL_PREFIX } from '../../../contract/mail-bucket.ts';
import { PostroomError } from '../errors.ts';
import { transportKey } from '../message.ts';
import { polledTransportOfKey } from '../mailboxes/polled-key.ts';
import {
  MAX_REQUEUE_BATCH,
  MAX_STATUS_BATCH,
  type ReconcilePorts,
  type RequeueFailure,
  type StoredRawMessage,
} from './ports.ts';

/**
 * Deployed defaults. Grace: SES notifies within seconds and routing retries a record for up to
 * 5 receives x 6 minutes of visibility; 15 minutes lets a normal first attempt finish, so the
 * reconciler repairs what is lost, not what is merely slow (a slow one would only be a duplicate).
 * Horizon: listing still walks the whole prefix (S3 cannot filter by date; one LIST per 1,000
 * objects), but ledger reads and repairs stop at 7 days, long enough to outlive a weekend outage
 * and the 14-day DLQ is the record for anything older; it keeps each run's DynamoDB cost bounded
 * by a week of mail instead of growing with the bucket.
 */
export const RECONCILE_DEFAULTS = { graceMs: 15 * 60_000, horizonMs: 7 * 24 * 3_600_000 } as const;

/** How many repaired keys a report lists by name; the counts are always complete. */
const MAX_LISTED_KEYS = 100;

export interface ReconcileOptions {
  /** The run's clock reading; every age is measured from it. */
  readonly now: Date;
  /** Objects modified less than this long before `now` are left alone (in flight). */
  readonly graceMs: number;
  /** Objects modified more than this long before `now` are not checked. @default unbounded */
  readonly horizonMs?: number;
  /** Stop listing (and report `complete: false`) once the clock passes this. @default never */
  readonly deadline?: () => boolean;
}

export interface ReconcileError {
  readonly key: string;
  readonly code: string;
  readonly detail: string;
}

/** What one run saw and did; every listed object is counted in exactly one of the first six. */
export interface ReconcileReport {
  /** Objects listed under `inbound/`. */
  readonly checked: number;
  /** Not a raw message key (a nested key, SES's setup notification object). */
  readonly ignored: number;
  /** Inside the grace period: may still be in flight. */
  readonly young: number;
  /** Older than the horizon: not checked. */
  readonly beyondHorizon: number;
  /** The ledger says `done`. */
  readonly finished: number;
  /** Recorded as dead-lettered (`deadLetteredAt`): waiting for an operator's redrive, not for us. */
  readonly deadLettered: number;
  /** Put back on the inbound queue. */
  readonly repaired: number;
  /** The first {@link MAX_LISTED_KEYS} repaired object keys, for the log. */
  readonly repairedKeys: readonly string[];
  /** Objects (or ledger batches) that could not be checked or put back; the next run retries. */
  readonly errors: readonly ReconcileError[];
  /** False when the deadline stopped the listing early. */
  readonly complete: boolean;
}

/**
 * The transport key of a stored raw message (`ses:<message id>`; `imap:...` or `pop3:...` for a
 * poller's object under `polled/`, polled-key.ts), or undefined when the key is not one SES or a
 * poller writes for a message. SES also stores `inbound/AMAZON_SES_SETUP_NOTIFICATION` when the
 * rule is created; that is not mail.
 */
export function rawMessageTransportKey(objectKey: string): string | undefined {
  // A poller's stored message (issue 10): its key is its transport identity.
  const polled = polledTransportOfKey(objectKey);
  if (polled) return transportKey(polled);
  if (!objectKey.startsWith(RAW_MAIL_PREFIX)) return undefined;
  const messageId = objectKey.slice(RAW_MAIL_PREFIX.length);
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(messageId) || messageId === 'AMAZON_SES_SETUP_NOTIFICATION') return undefined;
  return transportKey({ kind: 'ses', messageId });
}

/**
 * One reconciler run: lists every page, checks candidates against the ledger in batches of 100,
 * re-enqueues the unfinished ones in batches of 10. A failing batch is reported in `errors` and
 * the run goes on; the next run retries it.
 */
export async function reconcile(ports: ReconcilePorts, options: ReconcileOptions): Promise<ReconcileReport> {
  const counts = { checked: 0, ignored: 0, young: 0, beyondHorizon: 0, finished: 0, deadLettered: 0, repaired: 0 };
  const repairedKeys: string[] = [];
  const errors: ReconcileError[] = [];
  const youngAfter = options.now.getTime() - options.graceMs;
  const oldBefore = options.horizonMs === undefined ? -Infinity : options.now.getTime() - options.horizonMs;

  let cursor: string | undefined;
  let complete = true;
  do {
    if (options.deadline?.()) {
      complete = false;
      break;
    }
    const page = await ports.lister.listPage(cursor);
    const candidates: { message: StoredRawMessage; transportKey: string }[] = [];
    for (const message of page.items) {
      counts.checked++;
      const key = rawMessageTransportKey(message.key);
      const modified = message.lastModified.getTime();
      if (key === undefined) counts.ignored++;
      else if (modified > youngAfter) counts.young++;
      else if (modified < oldBefore) counts.beyondHorizon++;
      else candidates.push({ message, transportKey: key });
    }
    for (const batch of chunks(candidates, MAX_STATUS_BATCH)) {
      let statuses;
      try {
        statuses = await ports.ledger.read(batch.map((c) => c.transportKey));
      } catch (err) {
        errors.push(...batch.map((c) => errorOf(c.message.key, err)));
        continue;
      }
      const unfinished: StoredRawMessage[] = [];
      for (const c of batch) {
        const status = statuses.get(c.transportKey);
        if (status?.deadLettered) counts.deadLettered++;
        else if (status?.status === 'done') counts.finished++;
        else unfinished.push(c.message);
      }
      for (const requeue of chunks(unfinished, MAX_REQUEUE_BATCH)) {
        let failures: readonly RequeueFailure[];
        try {
          failures = await ports.requeuer.requeue(requeue);
        } catch (err) {
          failures = requeue.map((m) => errorOf(m.key, err));
        }
        const failed = new Set(failures.map((f) => f.key));
        errors.push(...failures);
        for (const m of requeue) {
          if (failed.has(m.key)) continue;
          counts.repaired++;
          if (repairedKeys.length < MAX_LISTED_KEYS) repairedKeys.push(m.key);
        }
      }
    }
    cursor = page.cursor;
  } while (cursor !== undefined);

  return { ...counts, repairedKeys, errors, complete };
}

function errorOf(key: string, err: unknown): ReconcileError {
  const code = err instanceof PostroomError ? err.code : 'unexpected';
  return { key, code, detail: err instanceof Error ? err.message : String(err) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
