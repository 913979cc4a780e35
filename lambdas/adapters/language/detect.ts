/**
 * Language detection for routing (ADR-6: an interaction needs an agent who speaks its language).
 * franc-min knows the ~80 most spoken languages by trigram statistics and answers ISO 639-3
 * (`deu`); Postroom speaks ISO 639-1 (`de`), so the languages a contact center staffs for are
 * mapped and anything else, or anything franc is unsure of (`und`), is "unknown".
 */
import { francAll } from 'franc-min';
import { DEFAULT_LANGUAGES } from '../../../contract/routing-settings.ts';
import type { LanguageDetection } from '../../core/routing/routing-ports.ts';

/**
 * Detection reads at most this many characters. Why: trigram statistics settle within a few
 * hundred characters, and a 40 MB body must not cost 40 MB of scanning (mail is hostile input).
 */
export const MAX_DETECT_CHARS = 2_000;

/**
 * Below this many characters franc's guesses are noise ("OK thanks" is not Tagalog, "Please refund
 * my last order, it was broken." is not German); we say undetermined.
 */
export const MIN_DETECT_CHARS = 40;

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
 * The least lead of the best language over the second (franc scores the best 1 and the others
 * relative to it) for texts of up to {@link MARGIN_REFERENCE_CHARS}. Why 0.1: short English reads
 * as German with the second (Dutch) at 0.97, and no wrong guess in our samples led by 0.1.
 */
export const MIN_DETECT_MARGIN = 0.1;

/**
 * franc normalizes a distance by the text's length, so leads shrink as texts grow (a clear 2,000
 * character English mail leads by ~0.02). Beyond this many characters the required lead shrinks
 * in proportion: `MIN_DETECT_MARGIN * MARGIN_REFERENCE_CHARS / length`.
 */
export const MARGIN_REFERENCE_CHARS = 100;

const ISO_639_1_TO_3: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ISO_639_3_TO_1).map(([three, one]) => [one, three]),
);

/**
 * A detector restricted to the organisation's languages. Detection answers a language only with
 * enough text ({@link MIN_DETECT_CHARS} characters, {@link MIN_DETECT_CHARS_KANA_HANGUL} for Kana
 * and Hangul), only among `languages` (franc's `only`), and only when the best score leads the
 * second by {@link MIN_DETECT_MARGIN} (less for long texts, {@link MARGIN_REFERENCE_CHARS}); otherwise the text is undetermined. With one configured
 * language franc compares against all it knows, so a text in another language stays undetermined.
 * Reads at most {@link MAX_DETECT_CHARS} characters.
 * @param languages ISO 639-1 codes; codes franc-min does not know are ignored. Default {@link DEFAULT_LANGUAGES}
 */
export function languageDetector(languages: readonly string[] = DEFAULT_LANGUAGES): (text: string) => LanguageDetection {
  const candidates = [...new Set(languages.map((l) => ISO_639_1_TO_3[l.trim().toLowerCase()]).filter((l): l is string => l !== undefined))];
  const served = new Set(candidates);
  return (text) => {
    if (candidates.length === 0) return { explanation: 'language undetermined: none of the configured languages can be detected' };
    const sample = text.slice(0, MAX_DETECT_CHARS).replace(/\s+/g, ' ').trim();
    const minLength = KANA_HANGUL.test(sample) ? MIN_DETECT_CHARS_KANA_HANGUL : MIN_DETECT_CHARS;
    if (sample.length < minLength) {
      return { explanation: `language undetermined: ${sample.length} characters of text, detection needs ${minLength}` };
    }
    const scores = francAll(sample, { minLength, ...(candidates.length > 1 && { only: candidates }) });
    const [best, second] = scores;
    if (!best || best[0] === 'und') return { explanation: 'language undetermined: the text has no recognizable language' };
    const language = ISO_639_3_TO_1[best[0]];
    if (!served.has(best[0]) || language === undefined) {
      return { explanation: `language undetermined: the text reads as ${language ?? best[0]}, which is not one of the configured languages` };
    }
    const margin = best[1] - (second?.[1] ?? 0);
    const needed = MIN_DETECT_MARGIN * Math.min(1, MARGIN_REFERENCE_CHARS / sample.length);
    if (margin < needed) {
      const other = ISO_639_3_TO_1[second![0]] ?? second![0];
      return { explanation: `language undetermined: ${language} leads ${other} by ${margin.toFixed(3)}, detection needs ${needed.toFixed(3)}` };
    }
    return { language, explanation: `language ${language} detected (leads by ${margin.toFixed(3)}, needs ${needed.toFixed(3)})` };
  };
}

/**
 * The ISO 639-1 code of the language `text` is written in among {@link DEFAULT_LANGUAGES}, or
 * undefined when undetermined; see {@link languageDetector}.
 */
export function detectLanguage(text: string): string | undefined {
  return defaultDetector(text).language;
}

const defaultDetector = languageDetector();
