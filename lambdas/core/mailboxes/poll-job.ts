/**
 * One poll job (issue 10 items 4 to 6): load the server, get its credentials, poll it within a
 * deadline, record its health and announce transitions. A job never throws for the server's
 * sake: a failing server is recorded as failing and the job is done, so it neither blocks its
 * message group with retries nor delays other servers (each job has its own deadline; the queue's
 * batch size is 1).
 */
import type { CredentialSource, MailCredentials } from './connection.ts';
import { MailConnectionError } from './connection.ts';
import { isCoveredByLastPoll, isPollable, type PollJob } from './dispatch.ts';
import { healthAfterFailure, healthAfterSuccess, type MailServerEvent, type MailServerEventSink, type PollOutcome } from './poll-health.ts';
import { isInboundType, type MailServer, type MailServerHealth, type MailServerStore } from './server.ts';

/**
 * How long after its deadline a poll that has not returned is given up (and aborted): the
 * pollers stop by themselves at the deadline; this catches a host that stops answering mid-command.
 */
export const POLL_HANG_GRACE_MS = 15_000;

/** What a poll gets besides the server and credentials: when to stop, and a signal once it must. */
export interface PollBudget {
  /** Stop fetching and return by then; the next poll resumes where this one stopped. */
  readonly deadline: Date;
  /** Aborted {@link POLL_HANG_GRACE_MS} after the deadline: close the connection. */
  readonly signal: AbortSignal;
}

/** Polls one server (the pollers: pollServer / pollMailbox with their wiring bound). */
export type PollFunction = (server: MailServer, credentials: MailCredentials, budget: PollBudget) => Promise<PollOutcome>;

/** What a poll job needs. */
export interface PollJobDeps {
  readonly servers: Pick<MailServerStore, 'get' | 'setHealth'>;
  readonly credentials: CredentialSource;
  readonly poll: PollFunction;
  readonly events: MailServerEventSink;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** What a job did. */
export type PollJobReport =
  | { readonly outcome: 'skipped'; readonly why: 'gone' | 'not-pollable' | 'covered' }
  | {
      readonly outcome: 'polled' | 'failed';
      readonly fetched: number;
      readonly health: MailServerHealth;
      readonly events: readonly MailServerEvent[];
      /** Set when the events could not be published (the health was written regardless). */
      readonly eventError?: string;
      /** Set when the server was deleted while it was polled. */
      readonly healthNotStored?: true;
      /**
       * An unexpected failure's own words (name and message, at most 300 characters) for the
       * operator's log; the health says only "unexpected", as it may reach API answers.
       */
      readonly errorDetail?: string;
    };

/**
 * Runs `job` with `deadline`: skips a server that is gone, disabled, not inbound, or covered by a
 * poll that started after the job's slot; a scheduled job also skips a server backing off or
 * waiting for consent (an admin's save polls regardless). Otherwise polls, publishes the events,
 * then writes the health (events first: if the write fails, the next poll announces again rather
 * than never). Rejects only when the store or the credentials' store itself fails unexpectedly.
 */
export async function runPollJob(job: PollJob, deadline: Date, deps: PollJobDeps): Promise<PollJobReport> {
  const now = deps.now ?? (() => new Date());
  const server = await deps.servers.get(job.serverId);
  if (!server) return { outcome: 'skipped', why: 'gone' };
  if (!server.enabled || !isInboundType(server.type)) return { outcome: 'skipped', why: 'not-pollable' };
  if (job.cause === 'schedule' && !isPollable(server, now())) return { outcome: 'skipped', why: 'not-pollable' };
  if (isCoveredByLastPoll(job, server)) return { outcome: 'skipped', why: 'covered' };

  const startedAt = now();
  let update;
  let fetched = 0;
  let errorDetail: string | undefined;
  try {
    const credentials = await deps.credentials.credentialsFor(server);
    const outcome = await pollWithin(deps.poll, server, credentials, deadline);
    fetched = outcome.fetched;
    update = healthAfterSuccess(server, outcome, startedAt, now());
  } catch (err) {
    update = healthAfterFailure(server, err, startedAt, now());
    if (!(err instanceof MailConnectionError)) errorDetail = `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`.slice(0, 300);
  }
  let eventError: string | undefined;
  if (update.events.length > 0) {
    try {
      await deps.events.publish(update.events);
    } catch (err) {
      // The health write below still records the state; the failing-servers gauge alarms on it.
      eventError = (err as Error).message;
    }
  }
  const stored = await deps.servers.setHealth(server.id, update.health);
  return {
    outcome: update.health.state === 'ok' || update.health.lastErrorReason === 'stalled' ? 'polled' : 'failed',
    fetched,
    health: update.health,
    events: update.events,
    ...(eventError !== undefined && { eventError }),
    ...(stored === 'missing' && { healthNotStored: true as const }),
    ...(errorDetail !== undefined && { errorDetail }),
  };
}

/**
 * Runs `poll` and gives up {@link POLL_HANG_GRACE_MS} after `deadline`: aborts its signal and
 * rejects with MailConnectionError `timeout`, so a host that hangs costs this job its budget and
 * nothing more. The timer is always cleared (finally), or it would keep a local runtime alive.
 */
async function pollWithin(poll: PollFunction, server: MailServer, credentials: MailCredentials, deadline: Date): Promise<PollOutcome> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new MailConnectionError('timeout', `${server.host} did not answer within the poll's time budget`));
    }, Math.max(0, deadline.getTime() + POLL_HANG_GRACE_MS - Date.now()));
  });
  try {
    return await Promise.race([poll(server, credentials, { deadline, signal: abort.signal }), hang]);
  } finally {
    clearTimeout(timer);
  }
}
