/**
 * One queue's waiting line in score order (served first at the top), each with "Assign…" to hand
 * it to an agent who takes work from the queue.
 */
import { useState } from 'react';
import { Button, EmptyState, Table } from '../../../components/ui/index.ts';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import type { LiveQueue } from '../api/live-queues.ts';
import type { WaitingEntry } from '../api/types.ts';
import { supervisorTexts } from '../i18n/index.ts';
import { AssignDialog } from './assign-dialog.tsx';

/** The waiting interactions of `queue` (its head, as the live query read it). */
export function WaitingTable({ queue }: { readonly queue: LiveQueue }) {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const [assigning, setAssigning] = useState<WaitingEntry>();
  if (queue.head.length === 0) return <EmptyState>{t('waiting.empty')}</EmptyState>;
  return (
    <>
      <Table
        caption={t('waiting.caption', { queue: queue.name })}
        rows={queue.head}
        rowKey={(e) => e.id}
        columns={[
          { header: t('waiting.from'), cell: (e) => (e.from?.name ? `${e.from.name} <${e.from.address}>` : (e.from?.address ?? '')) },
          { header: t('waiting.subject'), cell: (e) => e.subject },
          { header: t('waiting.age'), numeric: true, cell: (e) => t('queues.minutes', { minutes: format.number(e.ageMinutes) }) },
          { header: t('waiting.priority'), numeric: true, cell: (e) => format.number(e.priority) },
          { header: t('waiting.score'), numeric: true, cell: (e) => format.number(e.score) },
          {
            header: t('waiting.actions'),
            cell: (e) => (
              <Button onClick={() => setAssigning(e)} aria-label={`${t('assign.button')} ${e.subject}`}>
                {t('assign.button')}
              </Button>
            ),
          },
        ]}
      />
      <AssignDialog entry={assigning} queue={queue} onClose={() => setAssigning(undefined)} />
    </>
  );
}
