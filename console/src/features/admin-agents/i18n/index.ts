/** The agents and users pages' texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type AgentKey } from './en.ts';
import { ja } from './ja.ts';

export type { AgentKey };
export const agentTexts: Dictionaries<AgentKey> = { en, de, ja };
