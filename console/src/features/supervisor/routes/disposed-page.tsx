/**
 * Disposed mail: disconnected (spam, virus) and set-aside (auto-replies, bounces, list mail)
 * interactions, newest first, each with its disposition. Read only: they are recorded, not worked.
 */
import { EmptyState, PageHeader, Table } from '../../../components/ui/index.ts';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useDisposed } from '../api/disposed.ts';
import { Pager, useCursorPages } from '../../../components/data/pager.tsx';
import { QueryState } from '../../../components/data/query-state.tsx';
import { supervisorTexts, type SupervisorKey } from '../i18n/index.ts';

/** The disposed mail page (`#/supervisor/disposed`). */
export function DisposedPage() {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const pages = useCursorPages();
  const list = useDisposed(pages.cursor);
  return (
    <>
      <PageHeader title={t('tabs.disposed')} />
      <QueryState query={list}>
        {(data) =>
          data.interactions.length === 0 ? (
            <EmptyState>{t('disposed.empty')}</EmptyState>
          ) : (
            <>
              <Table
                caption={t('disposed.caption')}
                rows={data.interactions}
                rowKey={(i) => i.id}
                columns={[
                  { header: t('common.received'), cell: (i) => format.dateTime(i.receivedAt) },
                  { header: t('common.from'), cell: (i) => i.from?.address ?? i.mailFrom },
                  { header: t('common.subject'), cell: (i) => i.subject },
                  { header: t('disposed.state'), cell: (i) => t(`state.${i.state}` as SupervisorKey) },
                  { header: t('common.reason'), cell: (i) => <code>{i.disposition.reason}</code> },
                  { header: t('common.detail'), cell: (i) => i.disposition.detail },
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
