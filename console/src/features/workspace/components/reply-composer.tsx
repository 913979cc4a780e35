/**
 * The reply composer: reply, reply-all or forward; From as the address route sends it; recipients
 * counted against the 50-recipient limit (the route's fixed BCC included); templates as canned
 * responses with the interaction's variables; attachments uploaded before sending; the API's field
 * errors shown at their fields. A failed send keeps everything typed.
 */
import { useMemo, useState } from 'react';
import { Button, Field, useToast } from '../../../components/ui/index.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { useErrorText } from '../../../lib/i18n/index.tsx';
import { useAddresses } from '../api/get-addresses.ts';
import { useTemplates } from '../api/get-templates.ts';
import { useSendReply } from '../api/send-reply.ts';
import type { InteractionDetail } from '../api/types.ts';
import { uploadFile } from '../api/upload-file.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';
import { countRecipients, formatAddressList, MAX_RECIPIENTS, parseAddressList, referenceOf, replyDefaults, routeFor, templateVariables, type ReplyMode } from '../model/compose.ts';
import { fieldErrors } from '../model/field-errors.ts';
import { applyTemplate } from './template-draft.ts';

interface Draft {
  readonly mode: ReplyMode;
  readonly to: string;
  readonly cc: string;
  readonly bcc: string;
  readonly subject: string;
  /** True once the agent typed the subject: a template then leaves it alone. */
  readonly subjectTyped: boolean;
  readonly text: string;
  readonly files: readonly File[];
}

/** The composer of the interaction in `detail`, held by `agentId`. */
export function ReplyComposer({ detail, agentId }: { readonly detail: InteractionDetail; readonly agentId: string }) {
  const t = useWorkspaceT();
  const errorText = useErrorText();
  const toast = useToast();
  const addresses = useAddresses();
  const templates = useTemplates();
  const reply = useSendReply(detail.interaction.id, agentId);
  const routes = addresses.data ?? [];
  const route = routeFor(detail.interaction, routes);
  const blank = (mode: ReplyMode): Draft => {
    const d = replyDefaults(mode, detail.interaction, routes);
    return { mode, to: formatAddressList(d.to), cc: formatAddressList(d.cc), bcc: '', subject: '', subjectTyped: false, text: '', files: [] };
  };
  const [draft, setDraft] = useState<Draft>(() => blank('reply'));
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [general, setGeneral] = useState('');
  const [uploading, setUploading] = useState(false);
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());

  const lists = useMemo(() => [draft.to, draft.cc, draft.bcc].map(parseAddressList), [draft.to, draft.cc, draft.bcc]);
  const count = countRecipients(lists, route?.bcc?.length ?? 0);
  const over = count > MAX_RECIPIENTS;
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    // A changed message is a new request; an unchanged retry keeps the id and cannot send twice.
    setRequestId(crypto.randomUUID());
  };

  const chooseTemplate = (templateId: string) => {
    const template = templates.data?.find((x) => x.id === templateId);
    if (!template) return;
    set(applyTemplate(draft, template, templateVariables(detail.interaction, lists[0]?.[0]?.address ?? '', referenceOf(detail.interaction, detail.outbox))));
  };

  const submit = async () => {
    setErrors({});
    setGeneral('');
    try {
      setUploading(true);
      const attachments = await Promise.all(draft.files.map(uploadFile)).finally(() => setUploading(false));
      const [to, cc, bcc] = lists as [typeof lists[0], typeof lists[0], typeof lists[0]];
      await reply.mutateAsync({ mode: draft.mode, to, cc, bcc, ...(draft.subject && { subject: draft.subject }), text: draft.text, attachments, requestId });
      toast(t('composer.queued'), 'success');
      setDraft(blank(draft.mode));
      setRequestId(crypto.randomUUID());
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setErrors(fieldErrors(err.fields));
      setGeneral(errorText(err));
    }
  };

  return (
    <section className="panel composer" aria-labelledby="composer-heading">
      <h3 id="composer-heading">{t('composer.title')}</h3>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="row">
          <legend>{t('composer.mode')}</legend>
          {(['reply', 'reply-all', 'forward'] as const).map((mode) => (
            <label key={mode}>
              <input type="radio" name="mode" value={mode} checked={draft.mode === mode} onChange={() => setDraft({ ...blank(mode), subject: draft.subject, subjectTyped: draft.subjectTyped, text: draft.text, files: draft.files })} /> {t(`composer.mode.${mode}`)}
            </label>
          ))}
        </fieldset>
        <p>
          <strong>{t('composer.from')}</strong>{' '}
          {route ? `${route.fromName} <${route.fromAddress}>` : <span className="error-text">{addresses.isLoading ? '…' : t('composer.noRoute')}</span>}
        </p>
        {errors.from && <p className="field-error" role="alert">{errors.from}</p>}
        <Field label={t('composer.to')} error={errors.to} hint={t('composer.addressHint')}>
          {(p) => <input {...p} type="text" value={draft.to} onChange={(e) => set({ to: e.target.value })} autoComplete="off" />}
        </Field>
        <Field label={t('composer.cc')} error={errors.cc}>
          {(p) => <input {...p} type="text" value={draft.cc} onChange={(e) => set({ cc: e.target.value })} autoComplete="off" />}
        </Field>
        <Field label={t('composer.bcc')} error={errors.bcc}>
          {(p) => <input {...p} type="text" value={draft.bcc} onChange={(e) => set({ bcc: e.target.value })} autoComplete="off" />}
        </Field>
        <p aria-live="polite" className={over ? 'counter-over' : 'muted'}>
          {t('composer.recipients', { count, max: MAX_RECIPIENTS })}
          {route?.bcc?.length ? ` ${t('composer.fixedBcc', { count: route.bcc.length })}` : ''}
          {over ? ` ${t('composer.overLimit')}` : ''}
        </p>
        <Field label={t('composer.subject')} error={errors.subject} hint={t('composer.subjectHint')}>
          {(p) => <input {...p} type="text" value={draft.subject} onChange={(e) => set({ subject: e.target.value, subjectTyped: e.target.value !== '' })} />}
        </Field>
        {(templates.data?.length ?? 0) > 0 && (
          <Field label={t('composer.template')}>
            {(p) => (
              <select {...p} value="" onChange={(e) => chooseTemplate(e.target.value)}>
                <option value="">{t('composer.templateChoose')}</option>
                {templates.data!.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t('composer.text')} error={errors.text}>
          {(p) => <textarea {...p} value={draft.text} onChange={(e) => set({ text: e.target.value })} rows={10} />}
        </Field>
        <Field label={t('composer.attachments')} error={errors.attachments}>
          {(p) => <input {...p} type="file" multiple onChange={(e) => set({ files: [...draft.files, ...Array.from(e.target.files ?? [])] })} />}
        </Field>
        {draft.files.length > 0 && (
          <ul>
            {draft.files.map((file, i) => (
              <li key={`${file.name}-${i}`}>
                {file.name}{' '}
                <Button variant="link" onClick={() => set({ files: draft.files.filter((_, n) => n !== i) })}>
                  {t('composer.removeFile', { name: file.name })}
                </Button>
              </li>
            ))}
          </ul>
        )}
        {general && (
          <p className="error-text" role="alert">
            {general}
          </p>
        )}
        <Button type="submit" variant="primary" busy={reply.isPending || uploading} disabled={over || !route}>
          {t('composer.send')}
        </Button>
      </form>
    </section>
  );
}
