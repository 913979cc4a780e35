/**
 * Environment of the mailbox dispatcher and poller Lambdas (lib/constructs/mailbox-polling.ts sets
 * it), read once at cold start: a missing variable fails the cold start with its name.
 */
import { ENV } from '../../../contract/environment.ts';

function read(name: string, source: NodeJS.ProcessEnv): string {
  const value = source[name]?.trim();
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

/** The dispatcher's: the mail servers (config table), the poll-job queue and the tick queue. */
export interface DispatcherEnv {
  readonly configTable: string;
  readonly pollJobQueueUrl: string;
  readonly pollTickQueueUrl: string;
  /** Where the hourly housekeeping's `Mail Server Secret Expiring` events go. @default 'default' */
  readonly eventBusName?: string;
}

export function dispatcherEnv(source: NodeJS.ProcessEnv = process.env): DispatcherEnv {
  return {
    configTable: read(ENV.configTable, source),
    pollJobQueueUrl: read(ENV.pollJobQueueUrl, source),
    pollTickQueueUrl: read(ENV.pollTickQueueUrl, source),
    eventBusName: source[ENV.eventBus]?.trim() || 'default',
  };
}

/** The poller's: the mail servers and poll state, where mail goes, and where events go. */
export interface PollerEnv {
  readonly configTable: string;
  /** The POP3 UIDL seen-set's table. */
  readonly interactionsTable: string;
  readonly mailBucket: string;
  readonly inboundQueueUrl: string;
  /** @default 'default' (the account's default bus) */
  readonly eventBusName: string;
}

export function pollerEnv(source: NodeJS.ProcessEnv = process.env): PollerEnv {
  return {
    configTable: read(ENV.configTable, source),
    interactionsTable: read(ENV.interactionsTable, source),
    mailBucket: read(ENV.mailBucket, source),
    inboundQueueUrl: read(ENV.inboundQueueUrl, source),
    eventBusName: source[ENV.eventBus]?.trim() || 'default',
  };
}

/**
 * POLL_JOB_QUEUE_URL of a function that may ask for an immediate poll (the API's onSaved hook),
 * or undefined when it is not set (no polling wired: saving a server then polls at the next slot).
 */
export function pollNowQueueUrl(source: NodeJS.ProcessEnv = process.env): string | undefined {
  return source[ENV.pollJobQueueUrl]?.trim() || undefined;
}
