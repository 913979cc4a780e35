/**
 * "Assign …": picks one of the agents who take work from the interaction's queue and assigns the
 * interaction to them; a refusal (someone claimed it first, the agent left the queue) is shown in
 * the dialog, which stays open with the choice kept.
 */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, Field, useToast } from '../../../components/ui/index.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { useCommonT, useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { useAssign } from '../api/assign.ts';
import { useClaimsByAgent } from '../api/claimed-by-agent.ts';
import type { LiveQueue } from '../api/live-queues.ts';
import type { WaitingEntry } from '../api/types.ts';
import { supervisorTexts } from '../i18n/index.ts';

/** The assign dialog, open while `entry` is set; `onClose` after success or cancel. */
export function AssignDialog(props: { readonly entry: WaitingEntry | undefined; readonly queue: LiveQueue; readonly onClose: () => void }) {
  const t = useT(supervisorTexts);
  const common = useCommonT();
  const errorText = useErrorText();
  const toast = useToast();
  const claims = useClaimsByAgent();
  const assign = useAssign();
  const eligible = (claims.data ?? []).map((c) => c.agent).filter((a) => a.queues.includes(props.queue.id));
  const [agentId, setAgentId] = useState('');
  const fieldError = assign.error instanceof ApiError ? assign.error.fields.agentId : undefined;
  const { entry } = props;

  const close = () => {
    assign.reset();
    props.onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!entry || !agentId) return;
    assign.mutate({ id: entry.id, agentId }, { onSuccess: () => (toast(t('assign.done', { agent: agentId }), 'success'), close()) });
  };

  return (
    <Dialog open={entry !== undefined} title={t('assign.title', { subject: entry?.subject ?? '' })} onClose={close} closeLabel={common('app.close')}>
      <form onSubmit={submit}>
        {eligible.length === 0 && claims.data ? (
          <p>{t('assign.noAgents')}</p>
        ) : (
          <Field label={t('assign.agent')} hint={t('assign.agentHint', { queue: props.queue.name })} error={fieldError}>
            {(control) => (
              <select {...control} value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
                <option value="">—</option>
                {eligible.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.id})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {assign.isError && !fieldError && (
          <p role="alert" className="error-text">
            {errorText(assign.error)}
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={assign.isPending} disabled={!agentId}>
            {t('assign.submit')}
          </Button>
          <Button onClick={close}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
