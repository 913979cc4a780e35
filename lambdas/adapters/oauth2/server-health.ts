/**
 * Health fields the OAuth2 code writes. `MailServerStore.setHealth` writes only the fields it is
 * given and removes those given as undefined (adapters/dynamodb/mail-server-store.ts), so the poll
 * counters (last success, messages fetched, backlog) stay as the pollers recorded them.
 */
import type { MailServerHealth } from '../../core/mailboxes/server.ts';

/**
 * A new consent heals the server: its last error, failure count and backoff are removed, so the
 * next dispatcher run polls it at once.
 */
export const CLEARED_FAILURE: Partial<MailServerHealth> = { lastError: undefined, lastErrorReason: undefined, consecutiveFailures: undefined, nextPollAt: undefined };
