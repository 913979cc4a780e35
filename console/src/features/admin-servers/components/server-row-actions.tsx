/**
 * One server's actions in the list: edit, test connection ("connection successful/failed: …" as a
 * toast; the state column follows), duplicate (under a new name, saved disabled), delete (after a
 * confirmation), OAuth2 consent (opens the provider's page), and the template-server checkbox.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button, Dialog, Field, useConfirm, useToast } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { useCommonT, useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { SERVER_FORM_LIMITS } from '../api/limits.ts';
import { useServerActions } from '../api/server-actions.ts';
import type { MailServerView } from '../api/types.ts';
import { serverTexts } from '../i18n/index.ts';

/** The action buttons of `server`'s row. */
export function ServerRowActions({ server }: { readonly server: MailServerView }) {
  const t = useT(serverTexts);
  const errorText = useErrorText();
  const toast = useToast();
  const actions = useServerActions();
  const [duplicating, setDuplicating] = useState(false);
  const onError = (e: unknown) => toast(errorText(e), 'error');
  const label = (action: string) => `${action}: ${server.name}`;

  const test = () => actions.test.mutate(server.id, { onSuccess: (a) => toast(a.test.message, a.test.ok ? 'success' : 'error'), onError });
  const confirm = useConfirm();
  const remove = async () => {
    if (!(await confirm({ title: t('list.delete'), message: t('list.confirmDelete', { name: server.name }), confirmLabel: t('list.delete') }))) return;
    actions.remove.mutate(server.id, { onSuccess: () => toast(t('list.deleted', { name: server.name }), 'success'), onError });
  };
  const consent = () =>
    actions.consent.mutate(server.id, {
      onSuccess: (a) => {
        window.open(a.url, '_blank', 'noopener');
        toast(t('list.consentOpened'), 'info');
      },
      onError,
    });

  return (
    <div className="row-actions">
      <Link className="btn btn-secondary" to={`/admin/servers/${encodeURIComponent(server.id)}`} aria-label={label(t('list.edit'))}>
        {t('list.edit')}
      </Link>
      <Button busy={actions.test.isPending && actions.test.variables === server.id} onClick={test} aria-label={label(t('list.test'))}>
        {t('list.test')}
      </Button>
      <Button onClick={() => setDuplicating(true)} aria-label={label(t('list.duplicate'))}>
        {t('list.duplicate')}
      </Button>
      {server.authType === 'oauth2' && server.oauth2?.flow === 'authorization-code' && (
        <Button busy={actions.consent.isPending} onClick={consent} aria-label={label(t('list.consent'))}>
          {t('list.consent')}
        </Button>
      )}
      <Button variant="danger" busy={actions.remove.isPending && actions.remove.variables === server.id} onClick={() => void remove()} aria-label={label(t('list.delete'))}>
        {t('list.delete')}
      </Button>
      <DuplicateDialog server={server} open={duplicating} onClose={() => setDuplicating(false)} />
    </div>
  );
}

/** Asks the copy's name (the seed: a server much like an existing one, slightly changed). */
function DuplicateDialog({ server, open, onClose }: { readonly server: MailServerView; readonly open: boolean; readonly onClose: () => void }) {
  const t = useT(serverTexts);
  const common = useCommonT();
  const errorText = useErrorText();
  const toast = useToast();
  const { duplicate } = useServerActions();
  const [name, setName] = useState(t('list.copyName', { name: server.name }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    duplicate.mutate({ id: server.id, name }, { onSuccess: (a) => (toast(t('list.duplicated', { name: a.server.name }), 'success'), onClose()) });
  };
  const nameError = fieldError(duplicate.error, 'name');
  return (
    <Dialog open={open} title={t('list.duplicateTitle', { name: server.name })} onClose={onClose} closeLabel={common('app.close')}>
      <form onSubmit={submit}>
        <Field label={t('field.name')} error={nameError} hint={t('form.limitOnly', { max: SERVER_FORM_LIMITS.maxNameChars })}>
          {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        {duplicate.isError && !nameError && (
          <p role="alert" className="error-text">
            {errorText(duplicate.error)}
          </p>
        )}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={duplicate.isPending}>
            {t('list.duplicate')}
          </Button>
          <Button onClick={onClose}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}

/** The "template server" checkbox of an SMTP server (seed step 12): checking it makes it the one. */
export function TemplateServerToggle({ server }: { readonly server: MailServerView }) {
  const t = useT(serverTexts);
  const errorText = useErrorText();
  const toast = useToast();
  const { role } = useServerActions();
  return (
    <input
      type="checkbox"
      checked={server.role === 'template'}
      disabled={role.isPending}
      aria-label={t('list.templateServerOf', { name: server.name })}
      onChange={(e) => role.mutate({ id: server.id, role: e.target.checked ? 'template' : 'agent' }, { onError: (err) => toast(errorText(err), 'error') })}
    />
  );
}
