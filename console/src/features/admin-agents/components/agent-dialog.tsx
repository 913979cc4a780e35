/**
 * Add or update an agent in a dialog: id (its user's username; fixed once added), name, skills,
 * languages (ISO 639-1) and the queues it takes work from. An update keeps the agent and its
 * claims (`PUT /agents/:id`). Field messages land at their fields and the typed values stay on a
 * failed save.
 */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, Field, useToast } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useCommonT, useT } from '../../../lib/i18n/index.tsx';
import { useAgentMutations, useQueueChoices } from '../api/agents.ts';
import { AGENT_FORM_LIMITS as L, listOf } from '../api/limits.ts';
import type { Agent } from '../api/types.ts';
import { agentTexts } from '../i18n/index.ts';

const PATHS = ['id', 'name', 'skills', 'languages', 'queues'];

/** The dialog; `agent` undefined adds a new one. Mount it only while open. */
export function AgentDialog({ agent, onClose }: { readonly agent?: Agent; readonly onClose: () => void }) {
  const t = useT(agentTexts);
  const common = useCommonT();
  const toast = useToast();
  const queues = useQueueChoices();
  const { save } = useAgentMutations();
  const [id, setId] = useState(agent?.id ?? '');
  const [name, setName] = useState(agent?.name ?? '');
  const [skills, setSkills] = useState(agent?.skills.join(', ') ?? '');
  const [languages, setLanguages] = useState(agent?.languages.join(', ') ?? '');
  const [chosen, setChosen] = useState<readonly string[]>(agent?.queues ?? []);
  const err = (p: string) => fieldError(save.error, p);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = { id, name, skills: listOf(skills), languages: listOf(languages), queues: chosen };
    save.mutate({ input, editing: agent !== undefined }, { onSuccess: () => (toast(t('agents.saved', { id }), 'success'), onClose()) });
  };
  const toggle = (q: string, on: boolean) => setChosen((c) => (on ? [...c, q] : c.filter((x) => x !== q)));

  return (
    <Dialog open title={agent ? t('agents.editTitle', { id: agent.id }) : t('agents.addTitle')} onClose={onClose} closeLabel={common('app.close')}>
      <form onSubmit={submit} noValidate>
        <FormErrors error={save.error} claimed={PATHS} />
        <Field label={t('agents.id')} error={err('id')} hint={t('agents.idHint', { max: L.maxIdChars })}>
          {(c) => <input {...c} value={id} onChange={(e) => setId(e.target.value)} readOnly={agent !== undefined} required autoComplete="off" />}
        </Field>
        <Field label={t('agents.name')} error={err('name')} hint={t('limit.chars', { max: L.maxNameChars })}>
          {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        <Field label={t('agents.skills')} error={err('skills')} hint={t('agents.skillsHint', { max: L.maxSkills })}>
          {(c) => <input {...c} value={skills} onChange={(e) => setSkills(e.target.value)} />}
        </Field>
        <Field label={t('agents.languages')} error={err('languages')} hint={t('agents.languagesHint', { max: L.maxLanguages })}>
          {(c) => <input {...c} value={languages} onChange={(e) => setLanguages(e.target.value)} required />}
        </Field>
        <fieldset aria-describedby="agent-queues-hint">
          <legend>{t('agents.queues')}</legend>
          <p id="agent-queues-hint" className="field-hint">
            {t('agents.queuesHint', { max: L.maxAgentQueues })}
          </p>
          {(queues.data ?? []).map((q) => (
            <label key={q.id} className="check">
              <input type="checkbox" checked={chosen.includes(q.id)} onChange={(e) => toggle(q.id, e.target.checked)} /> {q.name} <code>{q.id}</code>
            </label>
          ))}
          {err('queues') && (
            <div className="field-error" role="alert">
              {err('queues')}
            </div>
          )}
        </fieldset>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {common('app.save')}
          </Button>
          <Button onClick={onClose}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
