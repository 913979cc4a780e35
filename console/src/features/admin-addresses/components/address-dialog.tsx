/**
 * Add or replace an address route: the address (fixed once added), the From name and address,
 * Reply-To, up to 5 fixed BCC addresses, where its mail goes (a queue with skills, language and
 * priority; a flow; nowhere) and what happens to its spam. Field messages (`routing.queueId`,
 * `bcc[1]`, …) land at their fields; the typed values stay on a failed save.
 */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, Field, useToast } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useCommonT, useT } from '../../../lib/i18n/index.tsx';
import { ADDRESS_FORM_LIMITS as L, useAddressMutations, useRouteTargets, type AddressInput, type AddressRoute } from '../api/addresses.ts';
import { addressTexts } from '../i18n/index.ts';

const PATHS = ['address', 'fromName', 'fromAddress', 'replyTo', 'bcc', 'routing', 'spamRouting'];
const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** The dialog; `route` undefined adds one. Mount it only while open. */
export function AddressDialog({ route, onClose }: { readonly route?: AddressRoute; readonly onClose: () => void }) {
  const t = useT(addressTexts);
  const common = useCommonT();
  const toast = useToast();
  const targets = useRouteTargets();
  const { save } = useAddressMutations();
  const r = route?.routing;
  const [v, setV] = useState({
    address: route?.address ?? '',
    fromName: route?.fromName ?? '',
    fromAddress: route && route.fromAddress !== route.address ? route.fromAddress : '',
    replyTo: route?.replyTo ?? '',
    bcc: route?.bcc.join(', ') ?? '',
    kind: r?.kind ?? 'queue',
    queueId: r?.kind === 'queue' ? r.queueId : '',
    skills: r?.kind === 'queue' ? r.skills.join(', ') : '',
    language: r?.kind === 'queue' ? (r.language ?? '') : '',
    priority: r?.kind === 'queue' ? String(r.priority) : '0',
    flowId: r?.kind === 'flow' ? r.flowId : '',
    spam: route?.spamRouting?.kind === 'flow' ? route.spamRouting.flowId : route?.spamRouting?.kind === 'disconnect' ? ':disconnect' : '',
  });
  const set = (patch: Partial<typeof v>) => setV((o) => ({ ...o, ...patch }));
  const err = (p: string) => fieldError(save.error, p);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const routing =
      v.kind === 'queue'
        ? { kind: 'queue' as const, queueId: v.queueId, skills: list(v.skills), ...(v.language && { language: v.language }), priority: Number(v.priority) }
        : v.kind === 'flow'
          ? { kind: 'flow' as const, flowId: v.flowId }
          : { kind: 'none' as const };
    const input: AddressInput = {
      address: v.address,
      fromName: v.fromName,
      fromAddress: v.fromAddress || v.address,
      ...(v.replyTo && { replyTo: v.replyTo }),
      bcc: list(v.bcc),
      routing,
      ...(v.spam && { spamRouting: v.spam === ':disconnect' ? { kind: 'disconnect' as const } : { kind: 'flow' as const, flowId: v.spam } }),
    };
    save.mutate({ input, editing: route !== undefined }, { onSuccess: () => (toast(t('saved', { address: v.address }), 'success'), onClose()) });
  };
  const text = (key: keyof typeof v, label: string, path: string, hint?: string, type = 'text') => (
    <Field label={label} error={err(path)} hint={hint}>
      {(c) => <input {...c} type={type} value={v[key]} onChange={(e) => set({ [key]: e.target.value })} autoComplete="off" />}
    </Field>
  );

  return (
    <Dialog open title={route ? t('editTitle', { address: route.address }) : t('addTitle')} onClose={onClose} closeLabel={common('app.close')}>
      <form onSubmit={submit} noValidate>
        <FormErrors error={save.error} claimed={PATHS} />
        <Field label={t('address')} error={err('address')} hint={t('addressHint', { max: L.maxAddressChars })}>
          {(c) => <input {...c} type="email" value={v.address} onChange={(e) => set({ address: e.target.value })} readOnly={route !== undefined} required autoComplete="off" />}
        </Field>
        {text('fromName', t('fromName'), 'fromName', t('limit', { max: L.maxFromNameChars }))}
        {text('fromAddress', t('fromAddress'), 'fromAddress', t('fromAddressHint'), 'email')}
        {text('replyTo', t('replyTo'), 'replyTo', undefined, 'email')}
        {text('bcc', t('bcc'), 'bcc', t('bccHint', { max: L.maxBcc }))}
        <fieldset>
          <legend>{t('routing')}</legend>
          <Field label={t('routingKind')} error={v.kind === 'none' ? err('routing') : undefined}>
            {(c) => (
              <select {...c} value={v.kind} onChange={(e) => set({ kind: e.target.value as typeof v.kind })}>
                <option value="queue">{t('routing.queue')}</option>
                <option value="flow">{t('routing.flow')}</option>
                <option value="none">{t('routing.none')}</option>
              </select>
            )}
          </Field>
          {v.kind === 'queue' && (
            <>
              <Field label={t('queue')} error={err('routing.queueId')}>
                {(c) => (
                  <select {...c} value={v.queueId} onChange={(e) => set({ queueId: e.target.value })} required>
                    <option value="">—</option>
                    {(targets.data?.queues ?? []).map((q) => <option key={q.id} value={q.id}>{q.name} ({q.id})</option>)}
                  </select>
                )}
              </Field>
              {text('skills', t('skills'), 'routing.skills', t('skillsHint'))}
              {text('language', t('language'), 'routing.language', t('languageHint'))}
              {text('priority', t('priority'), 'routing.priority', t('priorityHint'), 'number')}
            </>
          )}
          {v.kind === 'flow' && (
            <Field label={t('flow')} error={err('routing.flowId')}>
              {(c) => (
                <select {...c} value={v.flowId} onChange={(e) => set({ flowId: e.target.value })} required>
                  <option value="">—</option>
                  {(targets.data?.flows ?? []).map((f) => <option key={f.id} value={f.id}>{f.name} ({f.id})</option>)}
                </select>
              )}
            </Field>
          )}
        </fieldset>
        <Field label={t('spam')} error={err('spamRouting')} hint={t('spamHint')}>
          {(c) => (
            <select {...c} value={v.spam} onChange={(e) => set({ spam: e.target.value })}>
              <option value="">{t('spam.default')}</option>
              <option value=":disconnect">{t('spam.disconnect')}</option>
              {(targets.data?.flows ?? []).map((f) => <option key={f.id} value={f.id}>{t('spam.flow', { flow: f.name })}</option>)}
            </select>
          )}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>{common('app.save')}</Button>
          <Button onClick={onClose}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
