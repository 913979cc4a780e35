/**
 * The health half of a server record: what `MailServerStore.setHealth` replaces. The OAuth2 code
 * changes one or two health fields (state, last error) and must keep the rest (last success,
 * messages fetched, backlog) that the pollers recorded.
 */
import type { MailServer, MailServerHealth } from '../../core/mailboxes/server.ts';

const HEALTH_KEYS = ['state', 'lastSuccessAt', 'lastError', 'lastErrorReason', 'lastPollAt', 'consecutiveFailures', 'nextPollAt', 'messagesFetched', 'backlog', 'lastFetchAt'] as const satisfies readonly (keyof MailServerHealth)[];

/** The health fields `server` has set, and only those. */
export function healthOf(server: MailServer): MailServerHealth {
  const health: Record<string, unknown> = {};
  for (const key of HEALTH_KEYS) if (server[key] !== undefined) health[key] = server[key];
  return health as unknown as MailServerHealth;
}
