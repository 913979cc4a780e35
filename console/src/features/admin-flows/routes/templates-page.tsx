/**
 * `#/admin/templates`: the acknowledgement templates (canned texts flows send and agents insert),
 * add or edit one (id, name, one-line subject, body with {{placeholders}}), delete one no flow names.
 */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, EmptyState, Field, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useCommonT, useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { FLOW_FORM_LIMITS as L } from '../api/limits.ts';
import { useTemplateMutations, useTemplates, type Template } from '../api/templates.ts';
import { flowTexts } from '../i18n/index.ts';

/** The templates page. */
export function TemplatesPage() {
  const t = useT(flowTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const templates = useTemplates();
  const { remove } = useTemplateMutations();
  const [editing, setEditing] = useState<Template | 'new'>();
  const confirm = useConfirm();
  const onDelete = (x: Template) =>
    void confirm({ title: t('editor.delete'), message: t('templates.confirmDelete', { id: x.id }), confirmLabel: t('editor.delete') }).then((ok) => {
      if (ok) remove.mutate(x.id, { onSuccess: () => toast(t('templates.deleted', { id: x.id }), 'success'), onError: (e) => toast(errorText(e), 'error') });
    });
  return (
    <>
      <PageHeader title={t('templates.title')} actions={<Button variant="primary" onClick={() => setEditing('new')}>{t('templates.add')}</Button>} />
      <QueryState query={templates}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('templates.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('templates.caption')}
              rows={rows}
              rowKey={(x) => x.id}
              columns={[
                { header: t('editor.id'), cell: (x) => <code>{x.id}</code> },
                { header: t('editor.name'), cell: (x) => x.name },
                { header: t('templates.subject'), cell: (x) => x.subject },
                { header: t('versions.createdAt'), cell: (x) => format.dateTime(x.updatedAt) },
                {
                  header: t('versions.actions'),
                  cell: (x) => (
                    <div className="row-actions">
                      <Button onClick={() => setEditing(x)} aria-label={`${t('templates.edit')}: ${x.id}`}>{t('templates.edit')}</Button>
                      <Button variant="danger" onClick={() => onDelete(x)} aria-label={`${t('editor.delete')}: ${x.id}`}>{t('editor.delete')}</Button>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryState>
      {editing && <TemplateDialog {...(editing !== 'new' && { template: editing })} onClose={() => setEditing(undefined)} />}
    </>
  );
}

function TemplateDialog({ template, onClose }: { readonly template?: Template; readonly onClose: () => void }) {
  const t = useT(flowTexts);
  const common = useCommonT();
  const toast = useToast();
  const { save } = useTemplateMutations();
  const [v, setV] = useState({ id: template?.id ?? '', name: template?.name ?? '', subject: template?.subject ?? '', body: template?.body ?? '' });
  const err = (p: string) => fieldError(save.error, p);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(v, { onSuccess: () => (toast(t('templates.saved', { id: v.id }), 'success'), onClose()) });
  };
  return (
    <Dialog open title={template ? t('templates.editTitle', { id: template.id }) : t('templates.addTitle')} onClose={onClose} closeLabel={common('app.close')}>
      <form onSubmit={submit} noValidate>
        <FormErrors error={save.error} claimed={['id', 'name', 'subject', 'body']} />
        <Field label={t('editor.id')} error={err('id')} hint={t('editor.idHint', { max: L.maxIdChars })}>
          {(c) => <input {...c} value={v.id} onChange={(e) => setV({ ...v, id: e.target.value })} readOnly={template !== undefined} required autoComplete="off" />}
        </Field>
        <Field label={t('editor.name')} error={err('name')} hint={t('limit', { max: L.maxNameChars })}>
          {(c) => <input {...c} value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} required />}
        </Field>
        <Field label={t('templates.subject')} error={err('subject')} hint={t('templates.subjectHint', { max: L.maxAckSubjectChars })}>
          {(c) => <input {...c} value={v.subject} onChange={(e) => setV({ ...v, subject: e.target.value })} required />}
        </Field>
        <Field label={t('templates.body')} error={err('body')} hint={t('templates.bodyHint', { max: L.maxAckBodyChars })}>
          {(c) => <textarea {...c} value={v.body} onChange={(e) => setV({ ...v, body: e.target.value })} rows={8} required />}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>{common('app.save')}</Button>
          <Button onClick={onClose}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
