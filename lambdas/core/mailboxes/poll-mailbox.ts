/**
 * The one entry point the scheduled poll job calls (issue 10 items 4-5): poll a server's mailbox
 * over an open session, by its protocol. The session is opened and closed by the caller
 * (adapters/mailboxes/poll-server.ts), so a failure here never leaks a connection.
 */
import { PermanentError } from '../errors.ts';
import { pollImap } from './imap-poll.ts';
import type { ImapFolder, PollBudget, PollDeps, PolledServer, PollResult, Pop3Mailbox } from './poll-ports.ts';
import { pollPop3 } from './pop3-poll.ts';

/** An open, authenticated session: an IMAP folder (not yet selected) or a POP3 maildrop. */
export type MailboxSession = { readonly kind: 'imap'; readonly folder: ImapFolder } | { readonly kind: 'pop3'; readonly mailbox: Pop3Mailbox };

/**
 * Polls `server` over `session` until drained or `budget.deadline` (epoch ms) nears; see
 * imap-poll.ts and pop3-poll.ts. Throws a PermanentError for a server that is not inbound, has
 * no routing plan, or does not match the session's protocol.
 */
export async function pollMailbox(server: PolledServer, session: MailboxSession, deps: PollDeps, budget: PollBudget): Promise<PollResult> {
  if (server.type !== session.kind) throw new PermanentError('poll-protocol-mismatch', `mail server ${server.id} is ${server.type}, the session ${session.kind}`);
  return session.kind === 'imap' ? pollImap(server, session.folder, deps, budget) : pollPop3(server, session.mailbox, deps, budget);
}
