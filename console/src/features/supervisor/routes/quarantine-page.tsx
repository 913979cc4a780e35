/**
 * Quarantine review (issue 12 item 3): what was set aside and why, newest first, and "Re-route…"
 * for a false positive: back into routing, into its address's queue or one the supervisor picks.
 */
import { useState } from 'react';
import { Button, EmptyState, PageHeader, Table } from '../../../components/ui/index.ts';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useQuarantine } from '../api/quarantine.ts';
import type { QuarantinedView } from '../api/types.ts';
import { Pager, useCursorPages } from '../../../components/data/pager.tsx';
import { QueryState } from '../../../components/data/query-state.tsx';
import { RerouteDialog } from '../components/reroute-dialog.tsx';
import { supervisorTexts } from '../i18n/index.ts';

/** The quarantine page (`#/supervisor/quarantine`). */
export function QuarantinePage() {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const pages = useCursorPages();
  const list = useQuarantine(pages.cursor);
  const [rerouting, setRerouting] = useState<QuarantinedView>();
  return (
    <>
      <PageHeader title={t('tabs.quarantine')} />
      <QueryState query={list}>
        {(data) =>
          data.interactions.length === 0 ? (
            <EmptyState>{t('quarantine.empty')}</EmptyState>
          ) : (
            <>
              <Table
                caption={t('quarantine.caption')}
                rows={data.interactions}
                rowKey={(i) => i.id}
                columns={[
                  { header: t('common.received'), cell: (i) => format.dateTime(i.receivedAt) },
                  { header: t('common.from'), cell: (i) => i.from?.address ?? i.mailFrom },
                  { header: t('common.subject'), cell: (i) => i.subject },
                  { header: t('common.reason'), cell: (i) => <code>{i.quarantine.reason}</code> },
                  { header: t('common.detail'), cell: (i) => i.quarantine.detail },
                  {
                    header: t('common.actions'),
                    cell: (i) => (
                      <Button onClick={() => setRerouting(i)} aria-label={`${t('quarantine.reroute')} ${i.subject}`}>
                        {t('quarantine.reroute')}
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
      <RerouteDialog item={rerouting} onClose={() => setRerouting(undefined)} />
    </>
  );
}
