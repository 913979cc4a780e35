/** The workspace's dictionaries in every language. */
import { de } from './de.ts';
import { en, type WorkspaceKey } from './en.ts';
import { ja } from './ja.ts';

export type { WorkspaceKey };
export const workspaceText = { en, de, ja } as const;
