/** The domains pages' texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type DomainKey } from './en.ts';
import { ja } from './ja.ts';

export type { DomainKey };
export const domainTexts: Dictionaries<DomainKey> = { en, de, ja };
