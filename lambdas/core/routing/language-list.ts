/**
 * The organisation's language list as deployments write it (`en,de,fr`): one parser shared by the
 * CDK context reader, the routing Lambda's environment and `postroom dev --language`, so all three
 * accept the same values. Pure and dependency-free, so the CLI loads it without a schema library.
 */

/**
 * A comma-separated list of two-letter language codes, lower-cased and de-duplicated; undefined
 * when an entry is not a two-letter code or the list is empty.
 */
export function parseLanguageList(raw: string): string[] | undefined {
  const codes = [...new Set(raw.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean))];
  return codes.length > 0 && codes.every((c) => /^[a-z]{2}$/.test(c)) ? codes : undefined;
}
