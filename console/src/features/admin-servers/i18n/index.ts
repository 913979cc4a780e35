/** The mail servers page's texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type ServerKey } from './en.ts';
import { ja } from './ja.ts';

export type { ServerKey };
export const serverTexts: Dictionaries<ServerKey> = { en, de, ja };
