/**
 * `#/admin/queues`: the queues with their waiting counts; add one (id, name, description, with
 * their limits), remove an empty, unused one.
 */
import { useState, type FormEvent } from 'react';
import { Button, EmptyState, Field, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { QUEUE_FORM_LIMITS as L, useQueueMutations, useQueues, type Queue } from '../api/queues.ts';
import { queueTexts } from '../i18n/index.ts';

/** The queues page. */
export function QueuesPage() {
  const t = useT(queueTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const queues = useQueues();
  const { add, remove } = useQueueMutations();
  const [v, setV] = useState({ id: '', name: '', description: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ id: v.id, name: v.name, ...(v.description && { description: v.description }) }, {
      onSuccess: () => (toast(t('saved', { id: v.id }), 'success'), setV({ id: '', name: '', description: '' })),
    });
  };
  const confirm = useConfirm();
  const onRemove = (q: Queue) =>
    void confirm({ title: t('remove'), message: t('confirmRemove', { id: q.id }), confirmLabel: t('remove') }).then((ok) => {
      if (ok) remove.mutate(q.id, { onSuccess: () => toast(t('removed', { id: q.id }), 'success'), onError: (e) => toast(errorText(e), 'error') });
    });
  return (
    <>
      <PageHeader title={t('title')} />
      <QueryState query={queues}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('empty')}</EmptyState>
          ) : (
            <Table
              caption={t('caption')}
              rows={rows}
              rowKey={(q) => q.id}
              columns={[
                { header: t('id'), cell: (q) => <code>{q.id}</code> },
                { header: t('name'), cell: (q) => q.name },
                { header: t('description'), cell: (q) => q.description ?? '' },
                { header: t('waiting'), numeric: true, cell: (q) => format.number(q.waiting) },
                { header: t('actions'), cell: (q) => <Button variant="danger" onClick={() => onRemove(q)} aria-label={`${t('remove')}: ${q.id}`}>{t('remove')}</Button> },
              ]}
            />
          )
        }
      </QueryState>
      <form onSubmit={submit} noValidate aria-labelledby="queue-add-title">
        <h2 id="queue-add-title">{t('addTitle')}</h2>
        <FormErrors error={add.error} claimed={['id', 'name', 'description']} />
        <Field label={t('id')} error={fieldError(add.error, 'id')} hint={t('idHint', { max: L.maxIdChars })}>
          {(c) => <input {...c} value={v.id} onChange={(e) => setV({ ...v, id: e.target.value })} required autoComplete="off" />}
        </Field>
        <Field label={t('name')} error={fieldError(add.error, 'name')} hint={t('limit', { max: L.maxNameChars })}>
          {(c) => <input {...c} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} required />}
        </Field>
        <Field label={t('description')} error={fieldError(add.error, 'description')} hint={t('limit', { max: L.maxDescriptionChars })}>
          {(c) => <input {...c} value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={add.isPending}>{t('add')}</Button>
        </div>
      </form>
    </>
  );
}
