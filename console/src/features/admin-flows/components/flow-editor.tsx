/**
 * The flow editor: id (fixed once saved), name, description, and the rules as JSON (the format of
 * core/routing/flow.ts: `[{ "name", "when": [conditions], "then": [actions], "stop" }]`). Saving
 * stores a new version. The API's messages land at their field; each rule's problem is listed
 * under the rules by its path (`rules[2].when[0].op: must be one of …`). Nothing typed is lost on
 * a failed save, and the same definition can be dry-run before it is saved.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Button, Field, useToast } from '../../../components/ui/index.ts';
import { fieldError, fieldMessages } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useT } from '../../../lib/i18n/index.tsx';
import { useFlowMutations, type FlowDefinition, type FlowVersion } from '../api/flows.ts';
import { FLOW_FORM_LIMITS as L } from '../api/limits.ts';
import { flowTexts } from '../i18n/index.ts';
import { DryRunPanel } from './dry-run-panel.tsx';

const EXAMPLE_RULES = `[
  {
    "name": "German mail to the German team",
    "when": [{ "field": "language", "op": "equals", "value": "de" }],
    "then": [{ "type": "setQueue", "queueId": "support-de" }, { "type": "setPriority", "priority": 5 }],
    "stop": true
  }
]`;

/** The definition in the editor, or the reason its rules are not JSON. */
function definitionOf(name: string, description: string, rulesText: string): { definition?: FlowDefinition; problem?: string } {
  try {
    const rules = JSON.parse(rulesText) as unknown;
    if (!Array.isArray(rules)) return { problem: 'array' };
    return { definition: { name, ...(description && { description }), rules } };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

/** The editor over `initial` (a stored version) or an empty flow. */
export function FlowEditor({ initial }: { readonly initial?: FlowVersion }) {
  const t = useT(flowTexts);
  const toast = useToast();
  const navigate = useNavigate();
  const { save } = useFlowMutations();
  const [id, setId] = useState(initial?.id ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [rulesText, setRulesText] = useState(initial ? JSON.stringify(initial.rules, null, 2) : EXAMPLE_RULES);
  const [jsonProblem, setJsonProblem] = useState<string>();
  const ruleIssues = Object.entries(fieldMessages(save.error)).filter(([k]) => k === 'rules' || k.startsWith('rules['));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { definition, problem } = definitionOf(name, description, rulesText);
    setJsonProblem(problem === 'array' ? t('editor.rulesNotArray') : problem && t('editor.rulesNotJson', { problem }));
    if (!definition) return;
    save.mutate(
      { id, definition },
      { onSuccess: (a) => (toast(t('editor.saved', { id: a.flow.id, version: a.flow.version }), 'success'), navigate(`/admin/flows/${encodeURIComponent(a.flow.id)}`)) },
    );
  };

  return (
    <>
      <form onSubmit={submit} noValidate aria-labelledby="flow-editor-title">
        <h2 id="flow-editor-title">{t('editor.title')}</h2>
        <FormErrors error={save.error} claimed={['id', 'name', 'description', 'rules']} />
        <Field label={t('editor.id')} error={fieldError(save.error, 'id')} hint={t('editor.idHint', { max: L.maxIdChars })}>
          {(c) => <input {...c} value={id} onChange={(e) => setId(e.target.value)} readOnly={initial !== undefined} required autoComplete="off" />}
        </Field>
        <Field label={t('editor.name')} error={fieldError(save.error, 'name')} hint={t('limit', { max: L.maxNameChars })}>
          {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        <Field label={t('editor.description')} error={fieldError(save.error, 'description')} hint={t('limit', { max: L.maxDescriptionChars })}>
          {(c) => <input {...c} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label={t('editor.rules')} error={jsonProblem} hint={t('editor.rulesHint', { max: L.maxRules })}>
          {(c) => <textarea {...c} className="code" value={rulesText} onChange={(e) => setRulesText(e.target.value)} rows={18} spellCheck={false} />}
        </Field>
        {ruleIssues.length > 0 && (
          <div role="alert" className="error-text">
            <p>{t('editor.ruleIssues')}</p>
            <ul>
              {ruleIssues.map(([path, message]) => (
                <li key={path}>
                  <code>{path}</code>: {message}
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t('editor.save')}
          </Button>
        </div>
      </form>
      <DryRunPanel unsaved={() => definitionOf(name, description, rulesText).definition} storedId={initial?.id} />
    </>
  );
}
