/**
 * One integration's sending rate: a preset (Microsoft 365 30/min, Google Workspace 20/min) or a
 * custom number of messages per minute within the API's bounds; the API's field message shows here.
 */
import { useState, type FormEvent } from 'react';
import { Button, Field, useToast } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { SMTP_FORM_LIMITS as L, useUpdateSmtpIntegration, type SmtpIntegration, type SmtpPreset } from '../api/smtp-integrations.ts';
import { outboundTexts } from '../i18n/index.ts';

/** The rate form of `integration`. */
export function RateForm({ integration }: { readonly integration: SmtpIntegration }) {
  const t = useT(outboundTexts);
  const errorText = useErrorText();
  const toast = useToast();
  const update = useUpdateSmtpIntegration();
  const [preset, setPreset] = useState<SmtpPreset>(integration.preset);
  const [rate, setRate] = useState(String(integration.messagesPerMinute));
  const rateError = fieldError(update.error, 'messagesPerMinute');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { id: integration.serverId, preset, messagesPerMinute: Number(rate) },
      { onSuccess: () => toast(t('smtp.saved', { name: integration.name }), 'success'), onError: (err) => fieldError(err, 'messagesPerMinute') || toast(errorText(err), 'error') },
    );
  };
  return (
    <form onSubmit={submit} className="form-inline" aria-label={t('smtp.rateOf', { name: integration.name })}>
      <Field label={t('smtp.preset')} error={fieldError(update.error, 'preset')}>
        {(c) => (
          <select {...c} value={preset} onChange={(e) => setPreset(e.target.value as SmtpPreset)}>
            <option value="microsoft365">Microsoft 365 (30/min)</option>
            <option value="google-workspace">Google Workspace (20/min)</option>
            <option value="custom">{t('smtp.custom')}</option>
          </select>
        )}
      </Field>
      {preset === 'custom' && (
        <Field label={t('smtp.rate')} error={rateError} hint={t('smtp.rateHint', { min: L.minMessagesPerMinute, max: L.maxMessagesPerMinute })}>
          {(c) => <input {...c} type="number" min={L.minMessagesPerMinute} max={L.maxMessagesPerMinute} value={rate} onChange={(e) => setRate(e.target.value)} />}
        </Field>
      )}
      <Button type="submit" busy={update.isPending}>
        {t('smtp.save')}
      </Button>
    </form>
  );
}
