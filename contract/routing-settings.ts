/**
 * The deployment's routing settings that the CDK context, the routing Lambda's environment and
 * `postroom dev` all accept: their defaults, bounds and the one parser of the language list, so
 * the three accept the same values. Pure and dependency-free, so the CLI loads it without a
 * schema library.
 */

/** Replies after this many days open a new interaction; also the thread index's TTL. */
export const DEFAULT_THREAD_WINDOW_DAYS = 30;
/** The product promises threading for at most 30 days; index records never live longer. */
export const MAX_THREAD_WINDOW_DAYS = 30;
/** A shorter window would split conversations whose customer answers the next day. */
export const MIN_THREAD_WINDOW_DAYS = 1;

/**
 * The languages an organisation serves when the deployment names none (CDK context
 * `postroom:languages`, env `ROUTING_LANGUAGES`, `postroom dev --language`).
 */
export const DEFAULT_LANGUAGES: readonly string[] = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja'];

/**
 * A comma-separated list of two-letter language codes (`en,de,fr`), lower-cased and de-duplicated;
 * undefined when an entry is not a two-letter code or the list is empty.
 */
export function parseLanguageList(raw: string): string[] | undefined {
  const codes = [...new Set(raw.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean))];
  return codes.length > 0 && codes.every((c) => /^[a-z]{2}$/.test(c)) ? codes : undefined;
}
