/**
 * `#/admin/suppressions`: the recipients the outbox refuses (hard bounces, complaints), newest
 * first, each with why and when; "Lift" lets mail go to the address again.
 */
import { Button, EmptyState, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { Pager, useCursorPages } from '../../../components/data/pager.tsx';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useLiftSuppression, useSuppressions } from '../api/suppressions.ts';
import { outboundTexts, type OutboundKey } from '../i18n/index.ts';

/** The suppressions page. */
export function SuppressionsPage() {
  const t = useT(outboundTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const pages = useCursorPages();
  const list = useSuppressions(pages.cursor);
  const lift = useLiftSuppression();
  const confirm = useConfirm();
  const onLift = (address: string) =>
    void confirm({ title: t('suppressions.lift'), message: t('suppressions.confirmLift', { address }), confirmLabel: t('suppressions.lift') }).then((ok) => {
      if (ok) lift.mutate(address, { onSuccess: () => toast(t('suppressions.lifted', { address }), 'success'), onError: (e) => toast(errorText(e), 'error') });
    });
  return (
    <>
      <PageHeader title={t('suppressions.title')} />
      <QueryState query={list}>
        {(data) =>
          data.suppressions.length === 0 ? (
            <EmptyState>{t('suppressions.empty')}</EmptyState>
          ) : (
            <>
              <Table
                caption={t('suppressions.caption')}
                rows={data.suppressions}
                rowKey={(s) => s.address}
                columns={[
                  { header: t('suppressions.address'), cell: (s) => s.address },
                  { header: t('suppressions.reason'), cell: (s) => t(`suppressions.reason.${s.reason}` as OutboundKey) },
                  { header: t('suppressions.detail'), cell: (s) => s.detail },
                  { header: t('suppressions.at'), cell: (s) => format.dateTime(s.at) },
                  { header: t('suppressions.actions'), cell: (s) => <Button onClick={() => onLift(s.address)} aria-label={`${t('suppressions.lift')}: ${s.address}`}>{t('suppressions.lift')}</Button> },
                ]}
              />
              <Pager nextCursor={data.cursor} pages={pages} labels={{ next: t('next'), first: t('first') }} />
            </>
          )
        }
      </QueryState>
    </>
  );
}
