/**
 * Add or edit a mail server (seed 002): the fields, then Add / Save changes. An enabled server is
 * tested on save: "connection successful: …" goes to a toast and back to the list; "connection
 * failed: <reason>" stays on the form with the choice the seed gives (save it inactive, or keep
 * editing). Field messages land at their fields; the typed settings are never lost on a failed save.
 */
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Button, useToast } from '../../../components/ui/index.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { useCommonT, useT } from '../../../lib/i18n/index.tsx';
import { useRoutingOptions } from '../api/routing-options.ts';
import { CONNECTION_FAILED, useSaveServer } from '../api/save-server.ts';
import type { SaveAnswer } from '../api/types.ts';
import { serverTexts } from '../i18n/index.ts';
import { bodyOf, secretOf, type ServerDraft } from './server-draft.ts';
import { SERVER_FIELD_PATHS, ServerFields } from './server-fields.tsx';

/** The list's path, where a successful save returns. */
export const SERVERS_PATH = '/admin/servers';

/** The form over `initial`; `id` set when editing a stored server. */
export function ServerForm({ initial, id }: { readonly initial: ServerDraft; readonly id?: string }) {
  const t = useT(serverTexts);
  const common = useCommonT();
  const toast = useToast();
  const navigate = useNavigate();
  const options = useRoutingOptions();
  const save = useSaveServer();
  const [draft, setDraft] = useState(initial);
  const set = (patch: Partial<ServerDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const failedTest = save.error instanceof ApiError && save.error.code === CONNECTION_FAILED ? save.error.message : undefined;

  const submit = (saveInactive = false) => {
    const secret = secretOf(draft);
    save.mutate({ ...(id && { id }), body: bodyOf(draft, id !== undefined), saveInactive, ...(secret && { secret }) }, { onSuccess: (a) => done(a) });
  };
  const done = (answer: SaveAnswer) => {
    toast(answer.test ? answer.test.message : t('form.saved', { name: answer.server.name }), answer.test && !answer.test.ok ? 'error' : 'success');
    if (answer.consent) window.open(answer.consent.url, '_blank', 'noopener');
    navigate(SERVERS_PATH);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby="server-form-note">
      <p id="server-form-note" className="muted">
        {t('form.note')}
      </p>
      {failedTest ? (
        <div role="alert" className="error-text connection-failed">
          <p>{failedTest}</p>
          <p>{t('form.failedChoice')}</p>
          <div className="form-actions">
            <Button variant="primary" busy={save.isPending} onClick={() => submit(true)}>
              {t('form.saveInactive')}
            </Button>
            <Button onClick={() => save.reset()}>{t('form.keepEditing')}</Button>
          </div>
        </div>
      ) : (
        <FormErrors error={save.error} claimed={SERVER_FIELD_PATHS} />
      )}
      <ServerFields draft={draft} set={set} error={save.error} editing={id !== undefined} options={options.data} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {id ? t('form.saveChanges') : t('form.add')}
        </Button>
        <Button onClick={() => navigate(SERVERS_PATH)}>{common('app.cancel')}</Button>
      </div>
    </form>
  );
}
