/** The supervisor view's texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type SupervisorKey } from './en.ts';
import { ja } from './ja.ts';

export type { SupervisorKey };
export const supervisorTexts: Dictionaries<SupervisorKey> = { en, de, ja };
