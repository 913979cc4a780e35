/**
 * Reconciler Lambda (ARCHITECTURE.md decision 11), run by an EventBridge schedule every 5 minutes:
 * re-enqueues stored raw messages that have no finished ingest record after the grace period, logs
 * the report and emits it as metrics (`RepairedMessages`, `ReconcileErrors`, ...). It stops listing
 * 30 s before its timeout; the next run starts over. Then it sweeps the outbox (outbox-sweep.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { RECONCILE_DEFAULTS, reconcile, type ReconcileReport } from '../core/reconcile/reconcile.ts';
import { documentClient, s3Client } from '../adapters/aws-clients.ts';
import { reconcilerEnv } from '../adapters/env.ts';
import { emfLine } from '../adapters/metrics/emf.ts';
import { reconcilePorts } from '../adapters/reconcile-deps.ts';
import { DynamoOutboxStore } from '../adapters/dynamodb/outbox-store.ts';
import { sdkBatchCall, SqsOutboundNotifier } from '../adapters/outbound/notifier.ts';
import { sweepOutbox } from '../core/outbound/outbox-sweep.ts';

/** Listing stops when less than this remains, leaving time to finish the batch in hand and log. */
const STOP_BEFORE_TIMEOUT_MS = 30_000;

const env = reconcilerEnv();
const logger = new Logger({ serviceName: 'postroom-reconciler' });
const sqs = new SQSClient({});
const ports = reconcilePorts(s3Client(), documentClient(), sqs, env);
// The outbox sweep (issue 11): lost notices announced again, expired leases made uncertain.
const outbox = env.outboundQueueUrl ? { store: new DynamoOutboxStore(documentClient(), env.interactionsTable), notifier: new SqsOutboundNotifier(sdkBatchCall(sqs), env.outboundQueueUrl) } : undefined;

export async function handler(_event: unknown, context: Context): Promise<ReconcileReport> {
  const report = await reconcile(ports, {
    now: new Date(),
    ...RECONCILE_DEFAULTS,
    deadline: () => context.getRemainingTimeInMillis() < STOP_BEFORE_TIMEOUT_MS,
  });
  const swept = outbox ? await sweepOutbox(outbox.store, outbox.notifier, new Date()) : undefined;
  if (swept && swept.renotified + swept.uncertain > 0) logger.warn('outbox swept', { ...swept });
  const { repairedKeys, errors, ...counts } = report;
  if (report.repaired > 0 || errors.length > 0) logger.warn('reconciled with repairs', { ...counts, repairedKeys, errors: errors.slice(0, 20) });
  else logger.info('reconciled', counts);
  // EMF goes to stdout as its own line; CloudWatch Logs extracts the metrics.
  process.stdout.write(
    `${emfLine('reconciler', {
      CheckedMessages: report.checked,
      RepairedMessages: report.repaired,
      DeadLetteredMessages: report.deadLettered,
      ReconcileErrors: errors.length,
      IncompleteReconcileRuns: report.complete ? 0 : 1,
      ...(swept && { OutboxRenotified: swept.renotified, OutboxUncertain: swept.uncertain }),
    })}\n`,
  );
  return report;
}
