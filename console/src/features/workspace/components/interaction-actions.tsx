/** Release, transfer (with a queue picker) and close (after a confirmation) an interaction the agent holds. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Dialog, Field, useConfirm, useToast } from '../../../components/ui/index.ts';
import { useCommonT, useErrorText } from '../../../lib/i18n/index.tsx';
import { useTransferQueues } from '../api/get-queues.ts';
import { useInteractionAction, type InteractionAction } from '../api/interaction-actions.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';

/** The action buttons of interaction `id` (its `subject` for the close question), held by `agentId`. */
export function InteractionActions({ id, subject, agentId, queueId }: { readonly id: string; readonly subject: string; readonly agentId: string; readonly queueId?: string | undefined }) {
  const t = useWorkspaceT();
  const common = useCommonT();
  const errorText = useErrorText();
  const toast = useToast();
  const navigate = useNavigate();
  const confirm = useConfirm();
  const action = useInteractionAction(id, agentId);
  const queues = useTransferQueues();
  const [transferOpen, setTransferOpen] = useState(false);
  const [target, setTarget] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();

  // mutateAsync, not mutate's callbacks: the refetch after the action unmounts these buttons
  // (the interaction is no longer held), and callbacks of an unmounted mutate never run.
  const run = async (a: InteractionAction, done: string) => {
    try {
      await action.mutateAsync(a);
      toast(done, 'success');
      setTransferOpen(false);
      navigate('/workspace');
    } catch (err) {
      if (a.kind === 'transfer') setFieldError(errorText(err));
      else toast(errorText(err), 'error');
    }
  };

  // Closing ends the agent's work on it: asked first, like every destructive action.
  const close = async () => {
    if (await confirm({ title: t('actions.close'), message: t('actions.closeConfirm', { subject }), confirmLabel: t('actions.close') })) await run({ kind: 'close' }, t('actions.closed'));
  };

  const others = (queues.data ?? []).filter((q) => q.id !== queueId);
  return (
    <div className="row">
      <Button onClick={() => void run({ kind: 'release' }, t('actions.released'))} disabled={action.isPending}>
        {t('actions.release')}
      </Button>
      <Button onClick={() => { setTarget(others[0]?.id ?? ''); setFieldError(undefined); setTransferOpen(true); }} disabled={action.isPending}>
        {t('actions.transfer')}
      </Button>
      <Button variant="danger" onClick={() => void close()} disabled={action.isPending}>
        {t('actions.close')}
      </Button>
      <Dialog open={transferOpen} title={t('actions.transferTitle')} onClose={() => setTransferOpen(false)} closeLabel={common('app.close')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (target) void run({ kind: 'transfer', queueId: target }, t('actions.transferred'));
          }}
        >
          <Field label={t('actions.queue')} error={fieldError}>
            {(p) => (
              <select {...p} value={target} onChange={(e) => setTarget(e.target.value)} required>
                {others.length === 0 && <option value="">{t('actions.noOtherQueue')}</option>}
                {others.map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="row">
            <Button type="submit" variant="primary" busy={action.isPending} disabled={!target}>
              {t('actions.transfer')}
            </Button>
            <Button onClick={() => setTransferOpen(false)}>{common('app.cancel')}</Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
