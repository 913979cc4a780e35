/** The addresses page's texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type AddressKey } from './en.ts';
import { ja } from './ja.ts';

export type { AddressKey };
export const addressTexts: Dictionaries<AddressKey> = { en, de, ja };
