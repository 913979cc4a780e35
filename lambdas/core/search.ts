/**
 * Searching interactions for a supervisor (issue 12 item 3): by sender address, by reference token
 * or by words of the subject, across open and closed interactions.
 *
 * Why not a full-text index: the tables are DynamoDB (decision 7 keeps them emulator-compatible),
 * which has none, and a Scan of the interactions table grows with every mail ever received. So
 * each kind of query has its own bounded path, and the answer says how far it looked:
 * - sender: exact and case-insensitive, through a small search entry written for every new
 *   interaction under its sender (newest first); mail from before those entries existed is not found;
 * - token: the `TOK#` record threading keeps (one read); it lives as long as the thread window,
 *   so an older token is not found;
 * - subject words: the day entries of the newest {@link SEARCH_LIMITS.subjectDays} days, read
 *   newest first with every word required, at most {@link SEARCH_LIMITS.maxEntriesRead} entries a
 *   page; the cursor goes on from where a page stopped.
 * Each candidate is then read itself, so the state filter is the interaction's current state.
 */
import type { Interaction, InteractionState } from './interaction.ts';
import type { Page } from './ports.ts';
import { findTokensInSubject } from './routing/reference-token.ts';
import type { TokenMatch } from './routing/thread-ports.ts';

export const SEARCH_LIMITS = {
  /** Subject search looks this many days back: a supervisor looks for recent mail; older by sender or token. */
  subjectDays: 30,
  /** Index entries one subject page reads at most, so a rare word costs bounded reads (about 1 MB of small items). */
  maxEntriesRead: 2_000,
  /** Words of a subject query: more narrows nothing real and only lengthens the filter. */
  maxQueryWords: 8,
  /** Subject text kept on an entry for matching; subjects are short, a longer one is spam. */
  maxEntrySubjectChars: 256,
  /** Query text accepted; a sender address is at most 254 characters (RFC 5321). */
  maxQueryChars: 256,
} as const;

/** Which interactions a search returns, by state now. */
export type SearchState = 'open' | 'closed' | 'all';

/** What a query looks for. */
export type SearchQuery =
  | { readonly by: 'sender'; readonly address: string }
  | { readonly by: 'token'; readonly tokens: readonly string[] }
  | { readonly by: 'subject'; readonly words: readonly string[] };

/** The search entry of one interaction, written when it is created. */
export interface SearchEntry {
  readonly interactionId: string;
  /** Lower-cased From address, else the envelope sender; absent for the null sender. */
  readonly sender?: string;
  /** Normalized subject ({@link normalizeSubject}). */
  readonly subject: string;
  readonly receivedAt: string;
}

/** How far a search looked, so an empty answer is never mistaken for "there is none". */
export interface SearchCoverage {
  readonly by: SearchQuery['by'];
  /** Sender and subject: since when entries exist or were read (day granularity for subjects). */
  readonly from?: string;
  readonly to?: string;
  /** What the index cannot find, in words. */
  readonly note: string;
}

/** The search index port (adapters/dynamodb/search-index.ts). */
export interface InteractionSearchIndex {
  /** Writes the entries of one interaction; idempotent (a retried ingest writes the same). */
  record(entry: SearchEntry): Promise<void>;
  /** Interaction ids of `sender`, newest first. */
  bySender(sender: string, limit: number, cursor?: string): Promise<Page<string>>;
  /** Ids whose subject contains every word, newest first, from `days` days up to `now`. */
  bySubject(words: readonly string[], options: { readonly now: Date; readonly days: number; readonly limit: number; readonly cursor?: string }): Promise<Page<string> & { readonly oldestDay: string }>;
}

/** What a search reads. */
export interface SearchDeps {
  readonly index: Pick<InteractionSearchIndex, 'bySender' | 'bySubject'>;
  readonly tokens: { lookupTokens(tokens: readonly string[]): Promise<readonly TokenMatch[]> };
  readonly interactions: { get(id: string): Promise<Interaction | undefined> };
  readonly now: () => Date;
}

/** A page of results and how far it looked. */
export interface SearchResult extends Page<Interaction> {
  readonly searched: SearchCoverage;
}

/** Lower-cased, whitespace folded, cut to {@link SEARCH_LIMITS.maxEntrySubjectChars}: what entries store and words match. */
export function normalizeSubject(subject: string): string {
  return subject.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, SEARCH_LIMITS.maxEntrySubjectChars);
}

/** The entry of an interaction: its sender, subject and receipt. */
export function searchEntryOf(i: Interaction): SearchEntry {
  const sender = (i.message.from?.address || i.message.mailFrom || '').toLowerCase();
  return { interactionId: i.id, ...(sender && { sender }), subject: normalizeSubject(i.message.subject ?? ''), receivedAt: i.message.receivedAt || i.createdAt };
}

/**
 * What `q` asks for: an address (one `@`, no spaces) is a sender; text with a reference token is
 * that token; anything else is subject words (at most {@link SEARCH_LIMITS.maxQueryWords}).
 */
export function parseSearchQuery(q: string): SearchQuery {
  const text = q.trim();
  if (/^[^\s@]+@[^\s@]+$/.test(text)) return { by: 'sender', address: text.toLowerCase() };
  const tokens = findTokensInSubject(text);
  if (tokens.length) return { by: 'token', tokens };
  const words = [...new Set(normalizeSubject(text).split(' ').filter(Boolean))].slice(0, SEARCH_LIMITS.maxQueryWords);
  return { by: 'subject', words };
}

/** Whether an interaction in `state` is one `filter` asks for: open is waiting or claimed. */
export function matchesState(state: InteractionState, filter: SearchState): boolean {
  if (filter === 'all') return true;
  const open = state === 'waiting' || state === 'claimed';
  return filter === 'open' ? open : state === 'closed';
}

/** Runs one page of a search; see the module comment for what each kind can and cannot find. */
export async function searchInteractions(deps: SearchDeps, q: string, options: { readonly state: SearchState; readonly limit: number; readonly cursor?: string }): Promise<SearchResult> {
  const query = parseSearchQuery(q);
  const now = deps.now();
  let ids: Page<string>;
  let searched: SearchCoverage;
  if (query.by === 'sender') {
    ids = await deps.index.bySender(query.address, options.limit, options.cursor);
    searched = { by: 'sender', note: 'exact address (From, else the envelope sender), any case; mail received before the search index existed is not found' };
  } else if (query.by === 'token') {
    const matches = await deps.tokens.lookupTokens(query.tokens);
    ids = { items: [...new Set(matches.map((m) => m.interactionId))] };
    searched = { by: 'token', note: 'reference tokens are kept as long as replies thread (the thread window); an older token is not found' };
  } else {
    const page = await deps.index.bySubject(query.words, { now, days: SEARCH_LIMITS.subjectDays, limit: options.limit, ...(options.cursor !== undefined && { cursor: options.cursor }) });
    ids = page;
    searched = {
      by: 'subject',
      from: page.oldestDay,
      to: now.toISOString().slice(0, 10),
      note: `every word in the subject, mail of the last ${SEARCH_LIMITS.subjectDays} days; older mail by sender or reference token`,
    };
  }
  const found = await Promise.all(ids.items.map((id) => deps.interactions.get(id)));
  const items = found.filter((i): i is Interaction => i !== undefined && matchesState(i.state, options.state));
  return { items, ...(ids.cursor !== undefined && { cursor: ids.cursor }), searched };
}
