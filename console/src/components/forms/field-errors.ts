/**
 * The API's per-field messages (`error.fields`, keyed by JSON path: `name`, `routing.address`,
 * `additionalSenders[2]`, `rules[0].then[1].queueId`) found for one form field, so each message is
 * shown at the field it is about and none is lost: a form shows what no field claimed above itself.
 */
import { ApiError } from '../../lib/api-client.ts';

/** The field messages of `error`; empty for anything but an ApiError. */
export function fieldMessages(error: unknown): Readonly<Record<string, string>> {
  return error instanceof ApiError ? error.fields : {};
}

/**
 * The message(s) for `path` and everything under it (`path.x`, `path[3]`), joined; undefined when none.
 * `path[3]: must be an e-mail address` keeps the index, so a list field says which item is wrong.
 */
export function fieldError(error: unknown, path: string): string | undefined {
  const found = Object.entries(fieldMessages(error)).filter(([k]) => k === path || k.startsWith(`${path}.`) || k.startsWith(`${path}[`));
  if (found.length === 0) return undefined;
  return found.map(([k, m]) => (k === path ? m : `${k.slice(path.length).replace(/^\./, '')}: ${m}`)).join('; ');
}

/** The messages of `error` whose path none of `claimed` covers (shown as a list above the form). */
export function unclaimedFieldErrors(error: unknown, claimed: readonly string[]): [string, string][] {
  const covered = (k: string) => claimed.some((p) => k === p || k.startsWith(`${p}.`) || k.startsWith(`${p}[`));
  return Object.entries(fieldMessages(error)).filter(([k]) => !covered(k));
}
