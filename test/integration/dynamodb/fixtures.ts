/**
 * Shared fixtures of the DynamoDB, API and CLI integration suites: tables on a running emulator
 * and interactions built the way ingest builds them.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Interaction } from '../../../lambdas/core/interaction.ts';
import { orderKey } from '../../../lambdas/core/score.ts';
import { createTableInputs } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';

export interface Tables {
  readonly doc: DynamoDBDocumentClient;
  readonly interactions: string;
  readonly queues: string;
  readonly config: string;
  destroy(): void;
}

/** Creates a fresh set of tables with a unique prefix on the emulator at `endpoint`. */
export async function createTables(endpoint: string, prefix: string): Promise<Tables> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const suffix = randomUUID().slice(0, 8);
  const names = {
    interactions: `${prefix}-interactions-${suffix}`,
    queues: `${prefix}-queues-${suffix}`,
    config: `${prefix}-config-${suffix}`,
  };
  for (const input of createTableInputs(names)) await client.send(new CreateTableCommand(input));
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { doc, ...names, destroy: () => client.destroy() };
}

const VERDICTS = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const;

/** A waiting interaction as ingest creates it. */
export function waiting(
  id: string,
  options: { queueId?: string; enqueuedAt: Date; priority: number; subject?: string; from?: string },
): Interaction {
  const enqueuedAt = options.enqueuedAt.toISOString();
  const queueId = options.queueId ?? 'default';
  return {
    id,
    channel: 'email',
    state: 'waiting',
    createdAt: enqueuedAt,
    queueId,
    priority: options.priority,
    skills: [],
    enqueuedAt,
    orderKey: orderKey(options.enqueuedAt, options.priority),
    message: message(id, enqueuedAt, options.subject ?? `Subject of ${id}`, options.from ?? 'alice@customer.test'),
    trail: [
      { at: enqueuedAt, step: 'received', detail: 'ses message for support@example.test' },
      { at: enqueuedAt, step: 'queued', detail: `default queue ${queueId} with priority ${options.priority}` },
    ],
  };
}

/** A quarantined interaction as ingest creates it. */
export function quarantined(id: string, receivedAt: Date, reason: 'unparseable' | 'no-served-recipient' = 'unparseable'): Interaction {
  const iso = receivedAt.toISOString();
  return {
    id,
    channel: 'email',
    state: 'quarantined',
    createdAt: iso,
    priority: 0,
    skills: [],
    quarantine: { reason, detail: `${reason} detail` },
    message: { ...message(id, iso, '', 'mallory@bad.test'), mailFrom: '' },
    trail: [{ at: iso, step: 'quarantined', detail: `${reason}: detail` }],
  };
}

function message(id: string, receivedAt: string, subject: string, from: string): Interaction['message'] {
  return {
    transport: { kind: 'ses', messageId: `ses-${id}` },
    receivedAt,
    mailFrom: from,
    recipients: ['support@example.test'],
    messageId: `<${id}@customer.test>`,
    references: [],
    subject,
    from: { address: from, name: 'Alice Example' },
    to: [{ address: 'support@example.test' }],
    cc: [],
    textPreview: 'Hello, my order has not arrived.',
    attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 1234, inline: false }],
    verdicts: VERDICTS,
    raw: { bucket: 'mail', key: `inbound/${id}.eml`, size: 2048 },
  };
}
