/**
 * Languages, as ISO 639-1 codes: what agents speak, what an interaction needs, what a flow sets or
 * tests. Why the real list and not a two-letter shape: `zz` would be stored, never detected and
 * never matched, so mail routed to it would wait for an agent who cannot exist.
 */

/** The 183 ISO 639-1 codes (Library of Congress registry, current; no withdrawn codes such as `iw`, `in`, `mo`). */
export const ISO_639_1_CODES = [
  'aa', 'ab', 'ae', 'af', 'ak', 'am', 'an', 'ar', 'as', 'av', 'ay', 'az', 'ba', 'be', 'bg', 'bi', 'bm', 'bn',
  'bo', 'br', 'bs', 'ca', 'ce', 'ch', 'co', 'cr', 'cs', 'cu', 'cv', 'cy', 'da', 'de', 'dv', 'dz', 'ee', 'el',
  'en', 'eo', 'es', 'et', 'eu', 'fa', 'ff', 'fi', 'fj', 'fo', 'fr', 'fy', 'ga', 'gd', 'gl', 'gn', 'gu', 'gv',
  'ha', 'he', 'hi', 'ho', 'hr', 'ht', 'hu', 'hy', 'hz', 'ia', 'id', 'ie', 'ig', 'ii', 'ik', 'io', 'is', 'it',
  'iu', 'ja', 'jv', 'ka', 'kg', 'ki', 'kj', 'kk', 'kl', 'km', 'kn', 'ko', 'kr', 'ks', 'ku', 'kv', 'kw', 'ky',
  'la', 'lb', 'lg', 'li', 'ln', 'lo', 'lt', 'lu', 'lv', 'mg', 'mh', 'mi', 'mk', 'ml', 'mn', 'mr', 'ms', 'mt',
  'my', 'na', 'nb', 'nd', 'ne', 'ng', 'nl', 'nn', 'no', 'nr', 'nv', 'ny', 'oc', 'oj', 'om', 'or', 'os', 'pa',
  'pi', 'pl', 'ps', 'pt', 'qu', 'rm', 'rn', 'ro', 'ru', 'rw', 'sa', 'sc', 'sd', 'se', 'sg', 'si', 'sk', 'sl',
  'sm', 'sn', 'so', 'sq', 'sr', 'ss', 'st', 'su', 'sv', 'sw', 'ta', 'te', 'tg', 'th', 'ti', 'tk', 'tl', 'tn',
  'to', 'tr', 'ts', 'tt', 'tw', 'ty', 'ug', 'uk', 'ur', 'uz', 've', 'vi', 'vo', 'wa', 'wo', 'xh', 'yi', 'yo',
  'za', 'zh', 'zu',
] as const;

/** One ISO 639-1 code, lower-case. */
export type LanguageCode = (typeof ISO_639_1_CODES)[number];

const CODES: ReadonlySet<string> = new Set(ISO_639_1_CODES);

/** True for a lower-case ISO 639-1 code (`ja`, `de`, `en`); `zz`, `EN` and `eng` are not. */
export function isLanguageCode(value: string): value is LanguageCode {
  return CODES.has(value);
}

/** The one message every edge shows for a value that is not a language code. */
export const LANGUAGE_CODE_MESSAGE = 'must be an ISO 639-1 code such as en, de or ja';
