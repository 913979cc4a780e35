/** The app-wide dictionaries in every language. */
import { de } from './de.ts';
import { en, type CommonKey } from './en.ts';
import { ja } from './ja.ts';

export type { CommonKey };
export const common = { en, de, ja } as const;
