/**
 * Language detection for routing (ADR-6: an interaction needs an agent who speaks its language).
 * franc-min knows the ~80 most spoken languages by trigram statistics and answers ISO 639-3
 * (`deu`); Postroom speaks ISO 639-1 (`de`), so the languages a contact center staffs for are
 * mapped and anything else, or anything franc is unsure of (`und`), is "unknown".
 */
import { franc } from 'franc-min';

/**
 * Detection reads at most this many characters. Why: trigram statistics settle within a few
 * hundred characters, and a 40 MB body must not cost 40 MB of scanning (mail is hostile input).
 */
export const MAX_DETECT_CHARS = 2_000;

/** Below this many letters franc's guesses are noise ("OK thanks" is not Tagalog); we say unknown. */
export const MIN_DETECT_CHARS = 20;

/**
 * Kana and Hangul name their language by script alone, and a whole Japanese or Korean request fits
 * in a few characters, so these need only this many.
 */
export const MIN_DETECT_CHARS_KANA_HANGUL = 4;
const KANA_HANGUL = /[\u3040-\u30ff\uac00-\ud7af]/;

/** ISO 639-3 (franc-min) to ISO 639-1 for the languages franc-min knows that have a two-letter code. */
export const ISO_639_3_TO_1: Readonly<Record<string, string>> = {
  eng: 'en', deu: 'de', fra: 'fr', spa: 'es', por: 'pt', ita: 'it', nld: 'nl', swe: 'sv', pol: 'pl',
  ces: 'cs', ron: 'ro', hun: 'hu', tur: 'tr', rus: 'ru', ukr: 'uk', bel: 'be', bul: 'bg', srp: 'sr',
  hrv: 'hr', bos: 'bs', ell: 'el', heb: 'he', arb: 'ar', pes: 'fa', urd: 'ur', hin: 'hi', mar: 'mr',
  npi: 'ne', ben: 'bn', pan: 'pa', guj: 'gu', ori: 'or', tam: 'ta', tel: 'te', kan: 'kn', mal: 'ml',
  sin: 'si', tha: 'th', lao: 'lo', khm: 'km', mya: 'my', kat: 'ka', hye: 'hy', amh: 'am', jpn: 'ja',
  kor: 'ko', cmn: 'zh', vie: 'vi', ind: 'id', zlm: 'ms', jav: 'jv', sun: 'su', tgl: 'tl', swh: 'sw',
  hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', som: 'so', kin: 'rw', run: 'rn', nya: 'ny', lin: 'ln',
  uzn: 'uz', kaz: 'kk', azj: 'az', ckb: 'ku', pbu: 'ps', uig: 'ug', plt: 'mg',
};

/**
 * The ISO 639-1 code of the language `text` is written in, or undefined when the text is too
 * short, franc is unsure, or the language has no two-letter code. Reads at most
 * {@link MAX_DETECT_CHARS} characters.
 */
export function detectLanguage(text: string): string | undefined {
  const sample = text.slice(0, MAX_DETECT_CHARS).replace(/\s+/g, ' ').trim();
  const minLength = KANA_HANGUL.test(sample) ? MIN_DETECT_CHARS_KANA_HANGUL : MIN_DETECT_CHARS;
  if (sample.length < minLength) return undefined;
  const iso3 = franc(sample, { minLength });
  return iso3 === 'und' ? undefined : ISO_639_3_TO_1[iso3];
}
