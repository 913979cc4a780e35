/**
 * The agent workspace (issue 12 item 2): my queues and Next on the left with my claimed
 * interactions, the open interaction on the right (`#/workspace/<id>`).
 */
import { useParams } from 'react-router';
import { EmptyState, PageHeader } from '../../../components/ui/index.ts';
import { useCaller } from '../../../lib/authorization.tsx';
import { ClaimsPanel } from '../components/claims-panel.tsx';
import { InteractionPanel } from '../components/interaction-panel.tsx';
import { QueuePanel } from '../components/queue-panel.tsx';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';

/** The workspace page. */
export function WorkspacePage() {
  const t = useWorkspaceT();
  const { me } = useCaller();
  const { interactionId } = useParams();
  const agentId = me?.user.username ?? '';
  if (!me) return null;
  return (
    <>
      <PageHeader title={t('workspace.title')}>{!me.agent && <p className="muted">{t('workspace.notAgent')}</p>}</PageHeader>
      <div className="workspace">
        <div>
          <QueuePanel agentId={agentId} />
          <ClaimsPanel agentId={agentId} current={interactionId} />
        </div>
        <div>
          {interactionId ? (
            <InteractionPanel key={interactionId} id={interactionId} agentId={agentId} />
          ) : (
            <EmptyState>{t('workspace.pick')}</EmptyState>
          )}
        </div>
      </div>
    </>
  );
}
