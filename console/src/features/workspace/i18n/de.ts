import type { Dictionary } from '../../../lib/i18n/types.ts';
import type { WorkspaceKey } from './en.ts';

/** Die deutschen Texte des Arbeitsplatzes. */
export const de: Dictionary<WorkspaceKey> = {
  'workspace.title': 'Arbeitsplatz',
};
