/**
 * One poll of one registered server, wired end to end (issue 10 items 4-5): open the session
 * (connectImap / connectPop3: TLS, login), poll it with core's pollMailbox into S3 and the inbound
 * queue with the DynamoDB poll state, and always end the session. The scheduling side calls this
 * from its FIFO poll job and records the result (or the error) as the server's health.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PostroomError } from '../../core/errors.ts';
import type { MailCredentials } from '../../core/mailboxes/connection.ts';
import { pollMailbox } from '../../core/mailboxes/poll-mailbox.ts';
import type { PollBudget, PollDeps, PollResult } from '../../core/mailboxes/poll-ports.ts';
import { DEFAULT_IMAP_FOLDER, type MailServer } from '../../core/mailboxes/server.ts';
import { DynamoPollStateStore } from '../dynamodb/poll-state-store.ts';
import { classifyConnectionError } from './connection-errors.ts';
import { ImapFlowFolder } from './imap-folder.ts';
import { connectImap } from './imap-connect.ts';
import { endpointOf } from './mail-endpoint.ts';
import { connectPop3 } from './pop3-client.ts';
import { S3RawMailSink } from './s3-raw-mail-sink.ts';
import type { ConnectOptions } from './session-types.ts';

/** Where polled mail and poll state go; clients are created once per container and passed in. */
export interface PollWiring {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly doc: DynamoDBDocumentClient;
  readonly mailBucket: string;
  /** The inbound queue the routing Lambda reads. */
  readonly inboundQueueUrl: string;
  /** Holds the IMAP cursors (`POLL#...`). */
  readonly configTable: string;
  /** Holds the POP3 seen-set (`UIDL#...`). */
  readonly interactionsTable: string;
  /** Extra CAs and timeouts of the session. @default the system's CAs, 30 s */
  readonly connect?: ConnectOptions;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The poll dependencies of `wiring`: a fresh sink (its part buffers live for this poll) and the DynamoDB poll state. */
export function pollDeps(wiring: PollWiring): PollDeps {
  return {
    sink: new S3RawMailSink(wiring.s3, wiring.sqs, { bucket: wiring.mailBucket, queueUrl: wiring.inboundQueueUrl }),
    state: new DynamoPollStateStore(wiring.doc, { config: wiring.configTable, interactions: wiring.interactionsTable }),
    now: wiring.now ?? Date.now,
  };
}

/**
 * Polls `server` once until drained or `budget.deadline` (epoch ms) nears. The session is always
 * ended: IMAP by LOGOUT (else closed); POP3 by the poll's own QUIT, or closed without QUIT when the
 * poll failed, so that nothing is deleted that a later poll has not accounted for.
 * @throws MailConnectionError for a session failure (connect, login, a dropped connection mid-poll); storage errors as they are
 */
export async function pollServer(server: MailServer, credentials: MailCredentials, wiring: PollWiring, budget: PollBudget): Promise<PollResult> {
  const deps = pollDeps(wiring);
  const endpoint = endpointOf(server, wiring.connect ?? {});
  if (server.type === 'imap') {
    const folder = server.imapFolder ?? DEFAULT_IMAP_FOLDER;
    const client = await connectImap(server, credentials, wiring.connect);
    try {
      return await pollMailbox(server, { kind: 'imap', folder: new ImapFlowFolder(client, folder) }, deps, budget);
    } catch (err) {
      throw sessionError(err, { host: endpoint.host, port: endpoint.port, credentials, folder });
    } finally {
      // Must happen whatever the poll did: a leaked session holds the mailbox and a Lambda socket.
      await client.logout().catch(() => client.close());
    }
  }
  const client = await connectPop3(server, credentials, wiring.connect);
  try {
    return await pollMailbox(server, { kind: 'pop3', mailbox: client }, deps, budget);
  } catch (err) {
    client.close(); // no QUIT: the deletions of a failed poll are not committed
    throw sessionError(err, { host: endpoint.host, port: endpoint.port, credentials });
  }
}

/** A protocol failure as the connection adapters word it; our own (storage, queue) errors unchanged. */
function sessionError(err: unknown, ctx: Parameters<typeof classifyConnectionError>[1]): unknown {
  return err instanceof PostroomError ? err : classifyConnectionError(err, ctx);
}
