/**
 * "Re-route …" of a quarantined interaction: into the queue its address routes to (the default) or
 * one picked from `GET /queues`; a refusal stays in the dialog with the choice kept.
 */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, Field, useToast } from '../../../components/ui/index.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { useCommonT, useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { useLiveQueues } from '../api/live-queues.ts';
import { useReroute } from '../api/quarantine.ts';
import type { QuarantinedView } from '../api/types.ts';
import { supervisorTexts } from '../i18n/index.ts';

/** The re-route dialog, open while `item` is set. */
export function RerouteDialog(props: { readonly item: QuarantinedView | undefined; readonly onClose: () => void }) {
  const t = useT(supervisorTexts);
  const common = useCommonT();
  const errorText = useErrorText();
  const toast = useToast();
  const queues = useLiveQueues();
  const reroute = useReroute();
  const [queueId, setQueueId] = useState('');
  const fieldError = reroute.error instanceof ApiError ? reroute.error.fields.queueId : undefined;
  const { item } = props;

  const close = () => {
    reroute.reset();
    props.onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!item) return;
    reroute.mutate({ id: item.id, ...(queueId && { queueId }) }, { onSuccess: () => (toast(t('quarantine.done'), 'success'), close()) });
  };

  return (
    <Dialog open={item !== undefined} title={t('quarantine.rerouteTitle', { subject: item?.subject ?? '' })} onClose={close} closeLabel={common('app.close')}>
      <form onSubmit={submit}>
        <Field label={t('quarantine.queue')} error={fieldError}>
          {(control) => (
            <select {...control} value={queueId} onChange={(e) => setQueueId(e.target.value)}>
              <option value="">{t('quarantine.queueDefault')}</option>
              {(queues.data ?? []).map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name} ({q.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        {reroute.isError && !fieldError && (
          <p role="alert" className="error-text">
            {errorText(reroute.error)}
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={reroute.isPending}>
            {t('quarantine.submit')}
          </Button>
          <Button onClick={close}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
