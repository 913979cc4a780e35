/** Choosing the language and filling a text's placeholders: pure, so unit tests run them in Node. */
import { LOCALES, type Locale } from './types.ts';

/** The first supported language among `preferred` (e.g. navigator.languages); `stored` wins. @default 'en' */
export function chooseLocale(preferred: readonly string[], stored?: string | null): Locale {
  if (stored && (LOCALES as readonly string[]).includes(stored)) return stored as Locale;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LOCALES as readonly string[]).includes(base ?? '')) return base as Locale;
  }
  return 'en';
}

/** Replaces `{name}` with `vars.name` (numbers formatted by the caller). */
export function fill(text: string, vars?: Readonly<Record<string, string | number>>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
