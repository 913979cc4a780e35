/** The outbound pages' texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type OutboundKey } from './en.ts';
import { ja } from './ja.ts';

export type { OutboundKey };
export const outboundTexts: Dictionaries<OutboundKey> = { en, de, ja };
