/**
 * "The customer replied": an interaction the agent holds whose `lastMessageAt` moved since the
 * agent last opened it (issue 12: the console compares, no new route). What the agent saw is kept
 * per agent in localStorage, so the signal survives a reload and a new tab.
 */

/** What the agent saw: interaction id -> its lastMessageAt then ('' when it had none). */
export type SeenMarks = Readonly<Record<string, string>>;

/** Kept marks per agent: enough for a day's work; older marks are dropped first. */
export const MAX_SEEN_MARKS = 500;

/** The part of Web Storage the marks use (typed here so the model needs no DOM types). */
export interface MarkStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const keyOf = (agentId: string) => `postroom.seen.${agentId}`;

/** True when a message arrived after the agent last opened the interaction. */
export function customerReplied(interaction: { readonly id: string; readonly lastMessageAt?: string }, seen: SeenMarks): boolean {
  const mark = seen[interaction.id];
  if (mark === undefined) return false;
  return (interaction.lastMessageAt ?? '') > mark;
}

/** The marks with `id` seen at `lastMessageAt`, bounded to {@link MAX_SEEN_MARKS}. */
export function markSeen(seen: SeenMarks, id: string, lastMessageAt: string | undefined): SeenMarks {
  const { [id]: _old, ...rest } = seen;
  const entries = Object.entries(rest);
  const kept = entries.length >= MAX_SEEN_MARKS ? entries.slice(entries.length - MAX_SEEN_MARKS + 1) : entries;
  return { ...Object.fromEntries(kept), [id]: lastMessageAt ?? '' };
}

/** Reads an agent's marks (none when storage is empty or unreadable). */
export function loadSeen(storage: Pick<MarkStorage, 'getItem'>, agentId: string): SeenMarks {
  try {
    const parsed = JSON.parse(storage.getItem(keyOf(agentId)) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as SeenMarks) : {};
  } catch {
    return {};
  }
}

/** Writes an agent's marks. */
export function saveSeen(storage: Pick<MarkStorage, 'setItem'>, agentId: string, seen: SeenMarks): void {
  storage.setItem(keyOf(agentId), JSON.stringify(seen));
}
