/** The shapes of the console's dictionaries (imported by every dictionary, so kept apart from the provider). */

export const LOCALES = ['en', 'de', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];
/** One language's texts for the keys `K`; `{name}` in a text is replaced by `vars.name`. */
export type Dictionary<K extends string> = Readonly<Record<K, string>>;
/** A feature's texts in every language. */
export type Dictionaries<K extends string> = Readonly<Record<Locale, Dictionary<K>>>;
