/**
 * The console's languages (issue 12 item 5): English, German and Japanese, chosen from the
 * browser's `navigator.languages` unless the user picked one with the switch (kept in
 * localStorage). Texts come from typed dictionaries, one set per feature
 * (`features/<f>/i18n/{en,de,ja}.ts`, en being the type and the others complete copies, checked by
 * test/unit/console/i18n-parity.test.ts) plus the app-wide one in `lib/i18n/common`. Dates and
 * numbers go through Intl with the chosen locale. API failures read `errors.<reason>`.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api-client.ts';
import { common, type CommonKey } from './common/index.ts';
import { chooseLocale, fill } from './locale.ts';
import type { Dictionaries, Locale } from './types.ts';

export { LOCALES, type Dictionaries, type Dictionary, type Locale } from './types.ts';
export { chooseLocale, fill } from './locale.ts';
/** Looks up a key and fills its `{placeholders}`. */
export type Translate<K extends string> = (key: K, vars?: Readonly<Record<string, string | number>>) => string;

const STORAGE_KEY = 'postroom.locale';

interface I18nState {
  readonly locale: Locale;
  readonly setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18nState>({ locale: 'en', setLocale: () => undefined });

/** Provides the chosen locale; sets `<html lang>` so screen readers pronounce the right language. */
export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [locale, setState] = useState<Locale>(() => {
    const initial = chooseLocale(navigator.languages ?? [navigator.language], localStorage.getItem(STORAGE_KEY));
    document.documentElement.lang = initial;
    return initial;
  });
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The chosen locale and its setter. */
export function useLocale(): I18nState {
  return useContext(I18nContext);
}

/** The translate function of a feature's dictionaries in the chosen locale. */
export function useT<K extends string>(dictionaries: Dictionaries<K>): Translate<K> {
  const { locale } = useLocale();
  return useCallback<Translate<K>>((key, vars) => fill(dictionaries[locale][key] ?? dictionaries.en[key] ?? key, vars), [dictionaries, locale]);
}

/** The app-wide texts (navigation, buttons every page has, errors). */
export function useCommonT(): Translate<CommonKey> {
  return useT(common);
}

/** The routing trail's step name (`trail.<step>`) in the chosen locale; an unknown step stays as the API sends it. */
export function useTrailStep(): (step: string) => string {
  const { locale } = useLocale();
  return useCallback((step: string) => common[locale][`trail.${step}` as CommonKey] ?? step, [locale]);
}

/** Turns a failure into text: `errors.<reason>` when the dictionary has it, else the API's own message. */
export function useErrorText(): (error: unknown) => string {
  const t = useCommonT();
  const { locale } = useLocale();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        const key = `errors.${error.reason}` as CommonKey;
        return common[locale][key] ?? (error.message || t('errors.unknown'));
      }
      if (error instanceof TypeError) return t('errors.network');
      return error instanceof Error && error.message ? error.message : t('errors.unknown');
    },
    [t, locale],
  );
}

/** Dates, numbers and durations in the chosen locale. */
export function useFormat() {
  const { locale } = useLocale();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const number = new Intl.NumberFormat(locale);
    const minutes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 0 });
    const hours = new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 });
    return {
      /** An ISO time or epoch ms as date and time; '' when absent. */
      dateTime: (value: string | number | undefined) => (value === undefined ? '' : dateTime.format(new Date(value))),
      number: (n: number) => number.format(n),
      /** A duration in milliseconds as minutes (under two hours) or hours. */
      duration: (ms: number) => (ms < 7_200_000 ? minutes.format(Math.max(0, ms) / 60_000) : hours.format(ms / 3_600_000)),
      bytes: (n: number) =>
        n < 1024 ? `${number.format(n)} B` : n < 1_048_576 ? `${number.format(Math.round(n / 1024))} KB` : `${number.format(Math.round(n / 104_857.6) / 10)} MB`,
    };
  }, [locale]);
}
