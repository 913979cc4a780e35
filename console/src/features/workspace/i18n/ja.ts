import type { Dictionary } from '../../../lib/i18n/types.ts';
import type { WorkspaceKey } from './en.ts';

/** ワークスペースの日本語テキスト。 */
export const ja: Dictionary<WorkspaceKey> = {
  'workspace.title': 'ワークスペース',
};
