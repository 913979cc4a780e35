/**
 * The live queues (issue 12 item 3): each queue's waiting count, oldest wait and longest-waiting
 * score, the waiting line of one queue with "Assign…", and what each agent holds with "Force
 * release". Everything is polled every 10 s (api/poll.ts).
 */
import { useState } from 'react';
import { Button, EmptyState, PageHeader, Table } from '../../../components/ui/index.ts';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useLiveQueues } from '../api/live-queues.ts';
import { ClaimsTable } from '../components/claims-table.tsx';
import { QueryState } from '../../../components/data/query-state.tsx';
import { WaitingTable } from '../components/waiting-table.tsx';
import { supervisorTexts } from '../i18n/index.ts';

/** The live queues page (`#/supervisor`). */
export function LiveQueuesPage() {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const queues = useLiveQueues();
  const [selected, setSelected] = useState<string>();
  const shown = queues.data?.find((q) => q.id === selected);
  const minutes = (m: number | undefined) => (m === undefined ? '–' : t('queues.minutes', { minutes: format.number(m) }));
  return (
    <>
      <PageHeader title={t('tabs.queues')}>
        <p className="muted">{t('live.refreshing')}</p>
      </PageHeader>
      <QueryState query={queues}>
        {(data) =>
          data.length === 0 ? (
            <EmptyState>{t('queues.none')}</EmptyState>
          ) : (
            <Table
              caption={t('queues.caption')}
              rows={data}
              rowKey={(q) => q.id}
              columns={[
                {
                  header: t('queues.queue'),
                  cell: (q) => (
                    <Button variant="link" aria-pressed={q.id === selected} aria-label={t('queues.show', { queue: q.name })} onClick={() => setSelected(q.id)}>
                      {q.name}
                    </Button>
                  ),
                },
                { header: t('queues.waiting'), numeric: true, cell: (q) => format.number(q.waiting) },
                { header: t('queues.oldest'), numeric: true, cell: (q) => minutes(q.oldestMinutes) },
                { header: t('queues.topScore'), numeric: true, cell: (q) => (q.topScore === undefined ? '–' : format.number(q.topScore)) },
              ]}
            />
          )
        }
      </QueryState>
      {shown && <WaitingTable queue={shown} />}
      <ClaimsTable />
    </>
  );
}
