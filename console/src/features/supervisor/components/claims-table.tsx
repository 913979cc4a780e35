/**
 * What each agent holds, with "Force release" for an absent agent's interactions: the release
 * names the holder, so the API returns it to its queue with its wait time kept.
 */
import { Button, EmptyState, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useClaimsByAgent } from '../api/claimed-by-agent.ts';
import { useForceRelease } from '../api/force-release.ts';
import type { Agent, InteractionView } from '../api/types.ts';
import { supervisorTexts } from '../i18n/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';

/** One row: an agent and one interaction it holds (none for an idle agent). */
interface ClaimRow {
  readonly agent: Agent;
  readonly interaction?: InteractionView;
  readonly count: number;
}

/** The claims of every agent, polled. */
export function ClaimsTable() {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const claims = useClaimsByAgent();
  const release = useForceRelease();

  const confirm = useConfirm();
  const onRelease = async (i: InteractionView, agent: string) => {
    if (!(await confirm({ title: t('release.button'), message: t('release.confirm', { subject: i.message.subject, agent }), confirmLabel: t('release.button') }))) return;
    release.mutate(
      { id: i.id, holder: agent },
      { onSuccess: () => toast(t('release.done', { agent }), 'success'), onError: (e) => toast(errorText(e), 'error') },
    );
  };

  return (
    <QueryState query={claims}>
      {(data) => {
        if (data.length === 0) return <EmptyState>{t('claims.noAgents')}</EmptyState>;
        const rows: ClaimRow[] = data.flatMap(({ agent, claimed }) =>
          claimed.length === 0 ? [{ agent, count: 0 }] : claimed.map((interaction) => ({ agent, interaction, count: claimed.length })),
        );
        return (
          <Table
            caption={t('claims.caption')}
            rows={rows}
            rowKey={(r) => `${r.agent.id}/${r.interaction?.id ?? ''}`}
            columns={[
              { header: t('claims.agent'), cell: (r) => `${r.agent.name} (${r.agent.id})` },
              { header: t('claims.count'), numeric: true, cell: (r) => format.number(r.count) },
              {
                header: t('claims.interaction'),
                cell: (r) =>
                  r.interaction ? (
                    <>
                      {r.interaction.message.subject}
                      {r.interaction.customerReplied && <> <span className="badge badge-alert">{t('claims.replied')}</span></>}
                    </>
                  ) : (
                    t('claims.none')
                  ),
              },
              { header: t('claims.since'), cell: (r) => format.dateTime(r.interaction?.claimedAt) },
              {
                header: t('claims.actions'),
                cell: (r) =>
                  r.interaction && (
                    <Button
                      variant="danger"
                      busy={release.isPending && release.variables?.id === r.interaction.id}
                      onClick={() => r.interaction && void onRelease(r.interaction, r.agent.id)}
                      aria-label={`${t('release.button')}: ${r.interaction.message.subject} (${r.agent.id})`}
                    >
                      {t('release.button')}
                    </Button>
                  ),
              },
            ]}
          />
        );
      }}
    </QueryState>
  );
}
