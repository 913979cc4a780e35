/** The agent's queues with waiting counts and oldest wait, and the Next button. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Spinner, Table } from '../../../components/ui/index.ts';
import { useErrorText, useFormat } from '../../../lib/i18n/index.tsx';
import { useQueues, type QueueWithOldest } from '../api/get-queues.ts';
import { useTakeNext } from '../api/take-next.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';

/** The queue table and Next; `agentId` is the caller's username. */
export function QueuePanel({ agentId }: { readonly agentId: string }) {
  const t = useWorkspaceT();
  const f = useFormat();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queues = useQueues();
  const next = useTakeNext(agentId);
  const [note, setNote] = useState<string>('');

  const onNext = () => {
    setNote('');
    next.mutate(undefined, {
      onSuccess: (interaction) => {
        if (interaction) navigate(`/workspace/${encodeURIComponent(interaction.id)}`);
        else setNote(t('next.nothing'));
      },
      onError: (err) => setNote(errorText(err)),
    });
  };

  return (
    <section className="panel" aria-labelledby="queues-heading">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="queues-heading">{t('queues.title')}</h2>
        <Button variant="primary" onClick={onNext} busy={next.isPending}>
          {t('next.button')}
        </Button>
      </div>
      <div role="status" className="muted">
        {note}
      </div>
      {queues.isLoading && <Spinner label={t('queues.loading')} />}
      {queues.error && <p className="error-text">{errorText(queues.error)}</p>}
      {queues.data && queues.data.length === 0 && <p className="muted">{t('queues.none')}</p>}
      {queues.data && queues.data.length > 0 && (
        <Table<QueueWithOldest>
          caption={t('queues.caption')}
          captionHidden
          rows={queues.data}
          rowKey={(q) => q.id}
          columns={[
            { header: t('queues.name'), cell: (q) => q.name },
            { header: t('queues.waiting'), numeric: true, cell: (q) => f.number(q.waiting) },
            { header: t('queues.oldest'), numeric: true, cell: (q) => (q.oldestMinutes === undefined ? '–' : f.duration(q.oldestMinutes * 60_000)) },
          ]}
        />
      )}
    </section>
  );
}
