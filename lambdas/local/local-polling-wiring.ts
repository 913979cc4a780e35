/**
 * The local runtime's mailbox polling wiring: the deployed dispatcher and poller (polling-deps.ts)
 * over the local tables, bucket and queues, with the registry's own secrets file and credentials,
 * and the runtime's log where the deployed stack has EventBridge (no bus runs locally).
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalMailServers } from './local-mail-servers.ts';
import type { MailboxLoopOptions } from './mailbox-loop.ts';

export interface LocalPollingWiringOptions {
  readonly sqs: SQSClient;
  readonly configTable: string;
  readonly interactionsTable: string;
  readonly mailBucket: string;
  readonly inboundQueueUrl: string;
  readonly mailServers: LocalMailServers;
  /** Extra trusted CA certificates in PEM (`dev --mail-ca`); empty for the system's trust. */
  readonly mailCa: readonly string[];
  readonly log: (line: string) => void;
}

/** The `wiring` of {@link MailboxLoopOptions} for the local runtime. */
export function localPollingWiring(o: LocalPollingWiringOptions): MailboxLoopOptions['wiring'] {
  return async (queues) => {
    const { dispatcherDeps, pollerDeps } = await import('../adapters/mailboxes/polling-deps.ts');
    const env = { configTable: o.configTable, interactionsTable: o.interactionsTable, mailBucket: o.mailBucket, inboundQueueUrl: o.inboundQueueUrl, eventBusName: 'default' };
    return {
      dispatcher: dispatcherDeps({ configTable: o.configTable, pollJobQueueUrl: queues.jobUrl, pollTickQueueUrl: queues.tickUrl }, o.sqs, {
        secrets: o.mailServers.secrets,
        publishExpiring: async (events) => events.forEach((e) => o.log(`mail server ${e.serverName}: ${e.message}`)),
      }),
      // No EventBridge locally: the transitions an operator must hear of go to the runtime's log.
      poller: pollerDeps(env, {
        ...(o.mailCa.length > 0 && { ca: o.mailCa }),
        credentials: o.mailServers.credentials,
        events: { publish: async (events) => events.forEach((e) => o.log(`mail server ${e.name} (${e.host}): ${e.kind}${e.message ? `: ${e.message}` : ''}`)) },
      }),
    };
  };
}
