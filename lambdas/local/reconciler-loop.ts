/**
 * The reconciler in the local runtime (ARCHITECTURE.md decision 11), as graphile-worker pairs
 * `runOnce` with a long-lived `run`: once at start, before SMTP accepts mail, with no grace (the
 * local queue is in memory and new, so every stored message without a finished ingest record must
 * go back on it: that is what makes `kill -9` lose nothing), then every minute with a grace of a
 * few minutes for notifications that are lost while the runtime runs.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { reconcile, type ReconcileReport } from '../core/reconcile/reconcile.ts';
import { documentClient } from '../adapters/aws-clients.ts';
import { reconcilePorts } from '../adapters/reconcile-deps.ts';
import { MTA_NAME } from './ses-receiving.ts';

/** How often the periodic run happens. */
export const LOCAL_RECONCILE_INTERVAL_MS = 60_000;
/**
 * The periodic run's grace: far beyond a local ingest (milliseconds to seconds) and the local
 * queue's retries (5 receives x 10 s visibility), so it repairs lost mail, not slow mail.
 */
export const LOCAL_RECONCILE_GRACE_MS = 3 * 60_000;

export interface ReconcilerLoopOptions {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly mailBucket: string;
  readonly interactionsTable: string;
  readonly inboundQueueUrl: string;
  /** Where the served domains are stored, for the To/Cc fallback. */
  readonly configTable: string;
  readonly log: (line: string) => void;
  /** @default LOCAL_RECONCILE_INTERVAL_MS */
  readonly intervalMs?: number;
  /** @default LOCAL_RECONCILE_GRACE_MS */
  readonly graceMs?: number;
}

export interface ReconcilerLoop {
  /** One run now with the given grace; what the periodic run and the start-up run call. */
  runOnce(graceMs: number): Promise<ReconcileReport>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the start-up reconcile (grace 0; awaited, so call it before accepting SMTP) and starts the
 * periodic one. Needs the handler environment configured (the DynamoDB endpoint).
 */
export async function startReconcilerLoop(o: ReconcilerLoopOptions): Promise<ReconcilerLoop> {
  const ports = reconcilePorts(o.s3, documentClient(), o.sqs, {
    mailBucket: o.mailBucket,
    interactionsTable: o.interactionsTable,
    inboundQueueUrl: o.inboundQueueUrl,
    configTable: o.configTable,
    authServId: MTA_NAME,
  });
  let running: Promise<unknown> = Promise.resolve();
  const runOnce = (graceMs: number): Promise<ReconcileReport> => {
    const run = running.then(() => reconcile(ports, { now: new Date(), graceMs }));
    running = run.then(
      (report) => logReport(report, o.log),
      (err: Error) => o.log(`reconciler: run failed: ${err.message}`),
    );
    return run;
  };
  await runOnce(0).catch(() => undefined);
  const timer = setInterval(() => void runOnce(o.graceMs ?? LOCAL_RECONCILE_GRACE_MS).catch(() => undefined), o.intervalMs ?? LOCAL_RECONCILE_INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function logReport(r: ReconcileReport, log: (line: string) => void): void {
  if (r.repaired === 0 && r.errors.length === 0) return;
  log(
    `reconciler: re-enqueued ${r.repaired} stored message(s) without a finished ingest (checked ${r.checked}, finished ${r.finished}, ` +
      `dead-lettered ${r.deadLettered}, in grace ${r.young})` +
      (r.errors.length > 0 ? `; ${r.errors.length} could not be re-enqueued (first: ${r.errors[0]!.key}: ${r.errors[0]!.detail})` : ''),
  );
}
