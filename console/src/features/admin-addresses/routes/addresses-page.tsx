/**
 * `#/admin/addresses`: the e-mail addresses Postroom receives for, each with its From, where its
 * mail goes and its spam handling; add, edit, remove.
 */
import { useState } from 'react';
import { Button, EmptyState, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { useAddressMutations, useAddresses, type AddressRoute } from '../api/addresses.ts';
import { AddressDialog } from '../components/address-dialog.tsx';
import { addressTexts } from '../i18n/index.ts';

/** The addresses page. */
export function AddressesPage() {
  const t = useT(addressTexts);
  const errorText = useErrorText();
  const toast = useToast();
  const addresses = useAddresses();
  const { remove } = useAddressMutations();
  const [editing, setEditing] = useState<AddressRoute | 'new'>();
  const confirm = useConfirm();
  const onRemove = (a: AddressRoute) =>
    void confirm({ title: t('remove'), message: t('confirmRemove', { address: a.address }), confirmLabel: t('remove') }).then((ok) => {
      if (ok) remove.mutate(a.address, { onSuccess: () => toast(t('removed', { address: a.address }), 'success'), onError: (e) => toast(errorText(e), 'error') });
    });
  const routed = (a: AddressRoute) =>
    a.routing.kind === 'queue'
      ? t('routedQueue', { queue: a.routing.queueId, priority: a.routing.priority })
      : a.routing.kind === 'flow'
        ? t('routedFlow', { flow: a.routing.flowId })
        : t('routing.none');
  return (
    <>
      <PageHeader title={t('title')} actions={<Button variant="primary" onClick={() => setEditing('new')}>{t('add')}</Button>} />
      <QueryState query={addresses}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('empty')}</EmptyState>
          ) : (
            <Table
              caption={t('caption')}
              rows={rows}
              rowKey={(a) => a.address}
              columns={[
                { header: t('address'), cell: (a) => a.address },
                { header: t('from'), cell: (a) => `${a.fromName} <${a.fromAddress}>` },
                { header: t('routing'), cell: routed },
                { header: t('spam'), cell: (a) => (a.spamRouting?.kind === 'flow' ? t('spam.flow', { flow: a.spamRouting.flowId }) : a.spamRouting?.kind === 'disconnect' ? t('spam.disconnect') : t('spam.default')) },
                {
                  header: t('actions'),
                  cell: (a) => (
                    <div className="row-actions">
                      <Button onClick={() => setEditing(a)} aria-label={`${t('edit')}: ${a.address}`}>{t('edit')}</Button>
                      <Button variant="danger" onClick={() => onRemove(a)} aria-label={`${t('remove')}: ${a.address}`}>{t('remove')}</Button>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryState>
      {editing && <AddressDialog {...(editing !== 'new' && { route: editing })} onClose={() => setEditing(undefined)} />}
    </>
  );
}
