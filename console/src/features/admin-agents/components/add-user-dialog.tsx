/**
 * Add a user: username (an agent's id is its username), role, e-mail, and an optional password.
 * Without one the API generates a temporary password, shown here once to hand over (the user
 * changes it at the first sign-in); it is never shown again.
 */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, Field } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { useCommonT, useT } from '../../../lib/i18n/index.tsx';
import { AGENT_FORM_LIMITS as L } from '../api/limits.ts';
import type { Role } from '../api/types.ts';
import { useUserMutations } from '../api/users.ts';
import { agentTexts } from '../i18n/index.ts';
import { TemporaryPasswordDialog } from './temporary-password-dialog.tsx';

const PATHS = ['username', 'role', 'email', 'password'];

/** The dialog; mount it only while open. */
export function AddUserDialog({ onClose }: { readonly onClose: () => void }) {
  const t = useT(agentTexts);
  const common = useCommonT();
  const { add } = useUserMutations();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const err = (p: string) => fieldError(add.error, p);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ username, role, ...(email && { email }), ...(password && { password }) });
  };

  if (add.data) {
    const title = t('users.added', { username: add.data.user.username });
    if (add.data.temporaryPassword) return <TemporaryPasswordDialog title={title} temporaryPassword={add.data.temporaryPassword} onClose={onClose} />;
    return (
      <Dialog open title={title} onClose={onClose} closeLabel={common('app.close')}>
        <p>{t('users.passwordSet')}</p>
        <div className="form-actions">
          <Button variant="primary" onClick={onClose}>
            {common('app.close')}
          </Button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog open title={t('users.addTitle')} onClose={onClose} closeLabel={common('app.close')}>
      <form onSubmit={submit} noValidate>
        <FormErrors error={add.error} claimed={PATHS} />
        <Field label={t('users.username')} error={err('username')} hint={t('agents.idHint', { max: L.maxIdChars })}>
          {(c) => <input {...c} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />}
        </Field>
        <Field label={t('users.role')} error={err('role')}>
          {(c) => (
            <select {...c} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="agent">{t('role.agent')}</option>
              <option value="supervisor">{t('role.supervisor')}</option>
              <option value="admin">{t('role.admin')}</option>
            </select>
          )}
        </Field>
        <Field label={t('users.email')} error={err('email')}>
          {(c) => <input {...c} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label={t('users.password')} error={err('password')} hint={t('users.passwordHint')}>
          {(c) => <input {...c} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={add.isPending}>
            {t('users.add')}
          </Button>
          <Button onClick={onClose}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
