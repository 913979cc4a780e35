/**
 * The dry run: the editor's flow (unsaved) or the stored one, against a pasted RFC 5322 message or
 * a stored interaction; shows the trail routing would write and the outcome. Nothing is stored and
 * nothing is sent (`POST /flows/dry-run`).
 */
import { useState, type FormEvent } from 'react';
import { Button, Field, Table } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useFormat, useT, useTrailStep } from '../../../lib/i18n/index.tsx';
import { useFlowMutations, type DryRunRequest, type FlowDefinition } from '../api/flows.ts';
import { MAX_DRY_RUN_MESSAGE_BYTES } from '../api/limits.ts';
import { flowTexts } from '../i18n/index.ts';
import { DryRunOutcomeFacts } from './dry-run-outcome.tsx';

/** The panel; `unsaved()` reads the editor's definition (undefined while its rules are not JSON). */
export function DryRunPanel({ unsaved, storedId }: { readonly unsaved: () => FlowDefinition | undefined; readonly storedId: string | undefined }) {
  const t = useT(flowTexts);
  const format = useFormat();
  const stepName = useTrailStep();
  const { dryRun } = useFlowMutations();
  const [which, setWhich] = useState<'editor' | 'stored'>('editor');
  const [source, setSource] = useState<'raw' | 'interaction'>('raw');
  const [raw, setRaw] = useState('');
  const [interactionId, setInteractionId] = useState('');
  const [problem, setProblem] = useState<string>();
  const tooLarge = new TextEncoder().encode(raw).length > MAX_DRY_RUN_MESSAGE_BYTES;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const flow = which === 'stored' && storedId ? { flowId: storedId } : unsaved();
    setProblem(flow ? undefined : t('editor.rulesNotArray'));
    if (!flow || tooLarge) return;
    const request = { ...('flowId' in flow ? flow : { flow }), ...(source === 'raw' ? { raw } : { interactionId }) } as DryRunRequest;
    dryRun.mutate(request);
  };

  return (
    <section aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">{t('dryRun.title')}</h2>
      <p className="muted">{t('dryRun.note')}</p>
      <form onSubmit={submit} noValidate>
        <FormErrors error={dryRun.error} claimed={['raw', 'interactionId']} />
        {problem && <p role="alert" className="error-text">{problem}</p>}
        {storedId && (
          <Field label={t('dryRun.which')}>
            {(c) => (
              <select {...c} value={which} onChange={(e) => setWhich(e.target.value as 'editor' | 'stored')}>
                <option value="editor">{t('dryRun.which.editor')}</option>
                <option value="stored">{t('dryRun.which.stored', { id: storedId })}</option>
              </select>
            )}
          </Field>
        )}
        <Field label={t('dryRun.source')}>
          {(c) => (
            <select {...c} value={source} onChange={(e) => setSource(e.target.value as 'raw' | 'interaction')}>
              <option value="raw">{t('dryRun.source.raw')}</option>
              <option value="interaction">{t('dryRun.source.interaction')}</option>
            </select>
          )}
        </Field>
        {source === 'raw' ? (
          <Field label={t('dryRun.raw')} error={tooLarge ? t('dryRun.tooLarge', { max: format.number(MAX_DRY_RUN_MESSAGE_BYTES) }) : fieldError(dryRun.error, 'raw')} hint={t('dryRun.rawHint', { max: format.number(MAX_DRY_RUN_MESSAGE_BYTES) })}>
            {(c) => <textarea {...c} className="code" value={raw} onChange={(e) => setRaw(e.target.value)} rows={10} spellCheck={false} />}
          </Field>
        ) : (
          <Field label={t('dryRun.interactionId')} error={fieldError(dryRun.error, 'interactionId')}>
            {(c) => <input {...c} value={interactionId} onChange={(e) => setInteractionId(e.target.value)} autoComplete="off" />}
          </Field>
        )}
        <div className="form-actions">
          <Button type="submit" busy={dryRun.isPending}>
            {t('dryRun.run')}
          </Button>
        </div>
      </form>
      {dryRun.data && (
        <div aria-live="polite">
          <h3>{t('dryRun.outcome')}</h3>
          <DryRunOutcomeFacts outcome={dryRun.data.outcome} />
          <Table
            caption={t('dryRun.trail')}
            rows={dryRun.data.trail.map((e, n) => ({ ...e, n }))}
            rowKey={(e) => String(e.n)}
            columns={[
              { header: t('dryRun.at'), cell: (e) => format.dateTime(e.at) },
              { header: t('dryRun.step'), cell: (e) => stepName(e.step) },
              { header: t('dryRun.detail'), cell: (e) => e.detail },
            ]}
          />
        </div>
      )}
    </section>
  );
}
