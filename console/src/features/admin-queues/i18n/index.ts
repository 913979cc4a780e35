/** The queues page's texts in every language, for `useT` (lib/i18n). */
import type { Dictionaries } from '../../../lib/i18n/types.ts';
import { de } from './de.ts';
import { en, type QueueKey } from './en.ts';
import { ja } from './ja.ts';

export type { QueueKey };
export const queueTexts: Dictionaries<QueueKey> = { en, de, ja };
