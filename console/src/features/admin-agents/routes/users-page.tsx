/**
 * `#/admin/users`: who may sign in, with their role (changed in place), enabled or not, a password
 * reset (a new temporary password, shown once) and remove.
 * A user with role agent works once an agent record with the same id exists (the agents page).
 */
import { useState } from 'react';
import { USER_STATUS } from '../../../../../contract/console.ts';
import { Button, EmptyState, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import type { Role, User } from '../api/types.ts';
import { useUserMutations, useUsers } from '../api/users.ts';
import { AddUserDialog } from '../components/add-user-dialog.tsx';
import { TemporaryPasswordDialog } from '../components/temporary-password-dialog.tsx';
import { agentTexts } from '../i18n/index.ts';

/** The users page. */
export function UsersPage() {
  const t = useT(agentTexts);
  // A confirmed user needs no note; a temporary password is said in words; other Cognito states as Cognito says them.
  const statusNote = (status: string | undefined) =>
    status === undefined || status === USER_STATUS.confirmed ? '' : ` (${status === USER_STATUS.mustChangePassword ? t('users.mustChangePassword') : status})`;
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const users = useUsers();
  const { update, remove, resetPassword } = useUserMutations();
  const [adding, setAdding] = useState(false);
  // Held only until the dialog closes: the one time the new temporary password is shown.
  const [reset, setReset] = useState<{ readonly username: string; readonly temporaryPassword: string }>();
  const onError = (e: unknown) => toast(errorText(e), 'error');
  const confirm = useConfirm();
  const onRemove = (u: User) =>
    void confirm({ title: t('common.remove'), message: t('users.confirmRemove', { username: u.username }), confirmLabel: t('common.remove') }).then((ok) => {
      if (ok) remove.mutate(u.username, { onSuccess: () => toast(t('users.removed', { username: u.username }), 'success'), onError });
    });
  const onReset = (u: User) =>
    void confirm({ title: t('users.resetPassword'), message: t('users.confirmReset', { username: u.username }), confirmLabel: t('users.resetPassword') }).then((ok) => {
      if (ok) resetPassword.mutate(u.username, { onSuccess: (a) => setReset({ username: u.username, temporaryPassword: a.temporaryPassword }), onError });
    });
  return (
    <>
      <PageHeader title={t('users.title')} actions={<Button variant="primary" onClick={() => setAdding(true)}>{t('users.add')}</Button>} />
      <QueryState query={users}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('users.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('users.caption')}
              rows={rows}
              rowKey={(u) => u.username}
              columns={[
                { header: t('users.username'), cell: (u) => <code>{u.username}</code> },
                {
                  header: t('users.role'),
                  cell: (u) => (
                    <select aria-label={t('users.roleOf', { username: u.username })} value={u.role} onChange={(e) => update.mutate({ username: u.username, role: e.target.value as Role }, { onError })}>
                      <option value="agent">{t('role.agent')}</option>
                      <option value="supervisor">{t('role.supervisor')}</option>
                      <option value="admin">{t('role.admin')}</option>
                    </select>
                  ),
                },
                { header: t('users.email'), cell: (u) => u.email ?? '–' },
                { header: t('users.status'), cell: (u) => `${t(u.enabled ? 'users.enabled' : 'users.disabled')}${statusNote(u.status)}` },
                { header: t('users.created'), cell: (u) => format.dateTime(u.createdAt) },
                {
                  header: t('common.actions'),
                  cell: (u) => (
                    <div className="row-actions">
                      <Button onClick={() => update.mutate({ username: u.username, enabled: !u.enabled }, { onError })} aria-label={`${t(u.enabled ? 'users.disable' : 'users.enable')}: ${u.username}`}>
                        {t(u.enabled ? 'users.disable' : 'users.enable')}
                      </Button>
                      <Button onClick={() => onReset(u)} aria-label={`${t('users.resetPassword')}: ${u.username}`}>
                        {t('users.resetPassword')}
                      </Button>
                      <Button variant="danger" onClick={() => onRemove(u)} aria-label={`${t('common.remove')}: ${u.username}`}>
                        {t('common.remove')}
                      </Button>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryState>
      {adding && <AddUserDialog onClose={() => setAdding(false)} />}
      {reset && <TemporaryPasswordDialog title={t('users.resetDone', { username: reset.username })} temporaryPassword={reset.temporaryPassword} onClose={() => setReset(undefined)} />}
    </>
  );
}
