/** The flows and templates pages' texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type FlowKey } from './en.ts';
import { ja } from './ja.ts';

export type { FlowKey };
export const flowTexts: Dictionaries<FlowKey> = { en, de, ja };
