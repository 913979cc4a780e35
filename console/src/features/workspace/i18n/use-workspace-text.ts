/** The workspace's translate function. */
import { useT, type Translate } from '../../../lib/i18n/index.tsx';
import { workspaceText, type WorkspaceKey } from './index.ts';

/** Translates the workspace's keys in the chosen language. */
export function useWorkspaceT(): Translate<WorkspaceKey> {
  return useT(workspaceText);
}
