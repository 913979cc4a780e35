/**
 * `#/admin/agents`: the agents with their skills, languages and queues; add, update (the agent and
 * its claims stay) and remove (what it holds goes back to its queues).
 */
import { useState } from 'react';
import { Button, EmptyState, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { useAgentMutations, useAgents } from '../api/agents.ts';
import type { Agent } from '../api/types.ts';
import { AgentDialog } from '../components/agent-dialog.tsx';
import { agentTexts } from '../i18n/index.ts';

/** The agents page. */
export function AgentsPage() {
  const t = useT(agentTexts);
  const errorText = useErrorText();
  const toast = useToast();
  const agents = useAgents();
  const { remove } = useAgentMutations();
  const [editing, setEditing] = useState<Agent | 'new'>();
  const confirm = useConfirm();
  const onRemove = async (a: Agent) => {
    if (!(await confirm({ title: t('common.remove'), message: t('agents.confirmRemove', { id: a.id }), confirmLabel: t('common.remove') }))) return;
    remove.mutate(a.id, { onSuccess: (r) => toast(t('agents.removed', { id: a.id, released: r.released }), 'success'), onError: (e) => toast(errorText(e), 'error') });
  };
  return (
    <>
      <PageHeader title={t('agents.title')} actions={<Button variant="primary" onClick={() => setEditing('new')}>{t('agents.add')}</Button>} />
      <QueryState query={agents}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('agents.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('agents.caption')}
              rows={rows}
              rowKey={(a) => a.id}
              columns={[
                { header: t('agents.id'), cell: (a) => <code>{a.id}</code> },
                { header: t('agents.name'), cell: (a) => a.name },
                { header: t('agents.skills'), cell: (a) => a.skills.join(', ') || '–' },
                { header: t('agents.languages'), cell: (a) => a.languages.join(', ') },
                { header: t('agents.queues'), cell: (a) => a.queues.join(', ') },
                {
                  header: t('common.actions'),
                  cell: (a) => (
                    <div className="row-actions">
                      <Button onClick={() => setEditing(a)} aria-label={`${t('common.edit')}: ${a.id}`}>{t('common.edit')}</Button>
                      <Button variant="danger" onClick={() => void onRemove(a)} aria-label={`${t('common.remove')}: ${a.id}`}>{t('common.remove')}</Button>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryState>
      {editing && <AgentDialog {...(editing !== 'new' && { agent: editing })} onClose={() => setEditing(undefined)} />}
    </>
  );
}
