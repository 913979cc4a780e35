/**
 * The items of the DynamoDB tables and their key formats. The key schema and index names themselves
 * are part of the deployment contract (contract/tables.ts), shared with the CDK constructs, so that
 * every environment creates the very same tables.
 *
 * Interactions table (single-table for ingest data):
 * - `pk = I#<interactionId>`: an interaction
 * - `pk = M#<transportKey>`: the ingest ledger record of one received message (decision 4)
 * - GSI `byBucket` (`bucket`, `orderKey`): `bucket = Q#<queueId>` for waiting interactions, sorted
 *   by the fixed order key of decision 6; `bucket = QUARANTINE` for quarantined ones, sorted by
 *   receipt time; `bucket = A#<agentId>` for interactions an agent has claimed (they keep their
 *   order key). The index is sparse: items without `bucket` (closed ones) are not in it.
 *
 * - `pk = DL#<deadLetterId>`: a dead letter (an inbound record that exhausted its retries), in
 *   `byBucket` under `DL#dead` or `DL#redriven`, newest first (dead-letter-store.ts)
 * - `pk = OUT#<outboxId>`: an outbox record (a message to send), in `byBucket` under `OUT#<state>`
 *   (a pending record an SMTP integration in error holds stays under `OUT#pending`, with `heldBy`), sort key its creation time
 *   in epoch ms; it expires 30 days after enqueue and again 30 days after its final state
 *   (outbox-store.ts)
 *
 * - `pk = SUP#<address>`: a suppressed recipient (hard bounce, complaint), lower-cased, without TTL,
 *   in `byBucket` under `SUPPRESSED`, newest first (suppression-store.ts)
 *
 * - `pk = SRCH#S#<interactionId>` in `byBucket` under `SENDER#<sender address>` and
 *   `pk = SRCH#D#<interactionId>` under `SUBJ#<yyyy-mm-dd>` (with the normalized subject, expiring
 *   once past the days subject search reads): the interaction search index, newest first
 *   (search-index.ts; core/search.ts)
 *
 * Also in the interactions table, operational records that expire through the table's TTL
 * attribute `expiresAt` (epoch seconds): `MID#<message-id>` (threading and probable-duplicate
 * index), `ACK#<sender>` (auto-acknowledgement rate limit), `OUT#<id>` (outbox records), and
 * `TOK#<reference token>` (threading by the token in subjects; thread-index.ts), and
 * `UIDL#<serverId>#<sha256 of the UIDL>` (the POP3 pollers' seen-set: `state` fetched, expiring
 * after 30 days, or skipped, outside the first poll's backfill window and kept without TTL while
 * the mail stays on the server; poll-state-store.ts).
 * `RATE#<serverId>` is an SMTP integration's messages-per-minute token bucket (`tat`, the earliest
 * time the next message may go, epoch ms; expiring a day after its last use; send-rate-limiter.ts).
 *
 * Queues table: `id = <queueId>`, one item per queue.
 *
 * Config table: `pk = ADDR#<address>` (e-mail address routes), `FLOW#<flowId>` and
 * `FLOWV#<flowId>#<version>` (versioned flows), `AGENT#<agentId>` (agents), `TEMPLATE#<templateId>`
 * (stored auto-acknowledgement templates), `DOMAIN#<name>` (served e-mail domains, the whole record
 * in a `domain` map; domain-store.ts), `SRV#<id>` (registered mail servers: settings in a `server`
 * map, health in a `health` map) and `SRVROLE#template` (the guard naming the one template server;
 * mail-server-store.ts), `POLL#<serverId>#<folder>` (an IMAP poller's cursor: UIDVALIDITY, last
 * UID, backfill bounds; replaced by conditional puts on its old value) and `POLL3#<serverId>` (a
 * POP3 server's first-poll backfill is complete; poll-state-store.ts), `SMTPI#<serverId>` (an SMTP
 * server's sending settings and state: messagesPerMinute, preset, state valid|error, lastError;
 * smtp-integration-store.ts). Flow pointers and templates carry `usedBy`, the
 * references of the routes (flow versions) naming them, and routes and flow pointers the key of
 * their write (`refKey`, `refAt`); routes a `revision` (config-references.ts).
 */
import { BY_BUCKET_INDEX, CONFIG_KEY, INTERACTIONS_KEY, QUEUES_KEY } from '../../../contract/tables.ts';

export const interactionPk = (id: string): string => `I#${id}`;
export const ledgerPk = (transportKey: string): string => `M#${transportKey}`;
export const queueBucket = (queueId: string): string => `Q#${queueId}`;
export const QUARANTINE_BUCKET = 'QUARANTINE';
/** Disconnected (spam, virus, flow) and set-aside (automatic mail) interactions, newest first. */
export const DISPOSED_BUCKET = 'DISPOSED';
/** `byBucket` partition of the interactions an agent has claimed ("my interactions" is one query). */
export const agentBucket = (agentId: string): string => `A#${agentId}`;
/** A dead letter's item, and its `byBucket` partition per state (newest first). */
export const deadLetterPk = (id: string): string => `DL#${id}`;
export const deadLetterBucket = (state: 'dead' | 'redriven'): string => `DL#${state}`;
/** A suppressed recipient's item (lower-cased address) and the `byBucket` partition of all of them. */
export const suppressionPk = (address: string): string => `SUP#${address}`;
export const SUPPRESSED_BUCKET = 'SUPPRESSED';
export const agentPk = (agentId: string): string => `AGENT#${agentId}`;
/** A local console user's item (role, enabled, email; never its password hash: adapters/users). */
export const userPk = (username: string): string => `USER#${username}`;
/** An outbox record's item, and its `byBucket` partition per state (unheld). */
export const outboxPk = (id: string): string => `OUT#${id}`;
export const outboxBucket = (state: 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain'): string => `OUT#${state}`;
/** The `byBucket` partition of the pending outbox records an SMTP integration in error holds. */

/** CreateTable inputs for environments without CloudFormation (local runtime, tests). */
export function createTableInputs(names: { interactions: string; queues: string; config?: string }) {
  return [
    {
      TableName: names.interactions,
      BillingMode: 'PAY_PER_REQUEST' as const,
      AttributeDefinitions: [
        { AttributeName: INTERACTIONS_KEY.partitionKey, AttributeType: 'S' as const },
        { AttributeName: BY_BUCKET_INDEX.partitionKey, AttributeType: 'S' as const },
        { AttributeName: BY_BUCKET_INDEX.sortKey, AttributeType: 'N' as const },
      ],
      KeySchema: [{ AttributeName: INTERACTIONS_KEY.partitionKey, KeyType: 'HASH' as const }],
      GlobalSecondaryIndexes: [
        {
          IndexName: BY_BUCKET_INDEX.name,
          KeySchema: [
            { AttributeName: BY_BUCKET_INDEX.partitionKey, KeyType: 'HASH' as const },
            { AttributeName: BY_BUCKET_INDEX.sortKey, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
    },
    {
      TableName: names.queues,
      BillingMode: 'PAY_PER_REQUEST' as const,
      AttributeDefinitions: [{ AttributeName: QUEUES_KEY.partitionKey, AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: QUEUES_KEY.partitionKey, KeyType: 'HASH' as const }],
    },
    ...(names.config
      ? [
          {
            TableName: names.config,
            BillingMode: 'PAY_PER_REQUEST' as const,
            AttributeDefinitions: [{ AttributeName: CONFIG_KEY.partitionKey, AttributeType: 'S' as const }],
            KeySchema: [{ AttributeName: CONFIG_KEY.partitionKey, KeyType: 'HASH' as const }],
          },
        ]
      : []),
  ];
}
