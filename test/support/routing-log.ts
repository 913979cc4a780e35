/**
 * What the routing handler logged per SQS message, for tests of the local runtime that must see an
 * outcome the API does not show (a `duplicate`) or a failure that a retry would hide.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { onTestFinished, vi } from 'vitest';

/** One `ingested` line of the routing handler: the outcome of one SQS message. */
export interface LoggedOutcome {
  readonly outcome: string;
  readonly interactionId: string;
}

/** The routing log from now until the end of the current test. */
export interface RoutingLog {
  /** The outcomes of the SQS messages `ids`, in the order they were logged, once each has one; else undefined. */
  outcomes(ids: readonly string[]): LoggedOutcome[] | undefined;
  /** The `record failed` lines of the SQS messages `ids` (every failed attempt, retried or not). */
  failures(ids: readonly string[]): unknown[];
}

/**
 * Spies on the Powertools logger the routing handler writes `ingested` and `record failed` with
 * (a spy sees calls below the log level too); the spies end with the test.
 */
export function watchRouting(): RoutingLog {
  const info = vi.spyOn(Logger.prototype, 'info');
  const error = vi.spyOn(Logger.prototype, 'error');
  onTestFinished(() => {
    info.mockRestore();
    error.mockRestore();
  });
  const logged = (spy: typeof info, message: string, ids: readonly string[]) =>
    spy.mock.calls.filter(([m, extra]) => m === message && ids.includes((extra as { sqsMessageId?: string } | undefined)?.sqsMessageId ?? ''));
  return {
    outcomes(ids) {
      const calls = logged(info, 'ingested', ids);
      if (calls.length < ids.length) return undefined;
      return calls.map(([, extra]) => {
        const { outcome, interactionId } = extra as unknown as LoggedOutcome;
        return { outcome, interactionId };
      });
    },
    failures: (ids) => logged(error, 'record failed', ids).map(([, extra]) => extra),
  };
}
