/**
 * Dead letters (decision 11): messages that exhausted their retries, newest first with their
 * reason, and "Redrive" once the cause is fixed.
 */
import { Button, EmptyState, PageHeader, Table, useToast } from '../../../components/ui/index.ts';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useDeadLetters, useRedrive } from '../api/dead-letters.ts';
import { Pager, useCursorPages } from '../../../components/data/pager.tsx';
import { QueryState } from '../../../components/data/query-state.tsx';
import { supervisorTexts } from '../i18n/index.ts';

/** The dead letters page (`#/supervisor/dead-letters`). */
export function DeadLettersPage() {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const pages = useCursorPages();
  const list = useDeadLetters(pages.cursor);
  const redrive = useRedrive();
  const onRedrive = (id: string) =>
    redrive.mutate(id, { onSuccess: () => toast(t('deadLetters.done'), 'success'), onError: (e) => toast(errorText(e), 'error') });
  return (
    <>
      <PageHeader title={t('tabs.deadLetters')} />
      <QueryState query={list}>
        {(data) =>
          data.deadLetters.length === 0 ? (
            <EmptyState>{t('deadLetters.empty')}</EmptyState>
          ) : (
            <>
              <Table
                caption={t('deadLetters.caption')}
                rows={data.deadLetters}
                rowKey={(d) => d.id}
                columns={[
                  { header: t('deadLetters.at'), cell: (d) => format.dateTime(d.deadLetteredAt) },
                  { header: t('common.reason'), cell: (d) => (<><code>{d.reason.code}</code> {d.reason.message}</>) },
                  { header: t('deadLetters.attempts'), numeric: true, cell: (d) => format.number(d.receiveCount) },
                  { header: t('deadLetters.interaction'), cell: (d) => (d.interactionId ? <code>{d.interactionId}</code> : '–') },
                  {
                    header: t('common.actions'),
                    cell: (d) => (
                      <Button busy={redrive.isPending && redrive.variables === d.id} onClick={() => onRedrive(d.id)} aria-label={`${t('deadLetters.redrive')} ${d.id}`}>
                        {t('deadLetters.redrive')}
                      </Button>
                    ),
                  },
                ]}
              />
              <Pager nextCursor={data.cursor} pages={pages} labels={{ next: t('common.next'), first: t('common.first') }} />
            </>
          )
        }
      </QueryState>
    </>
  );
}
