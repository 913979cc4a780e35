/**
 * A temporary password shown once to hand over (after adding a user without a password, or after a
 * reset): the API keeps only its hash, so closing this dialog is the last time anyone sees it.
 */
import { Button, Dialog } from '../../../components/ui/index.ts';
import { useCommonT, useT } from '../../../lib/i18n/index.tsx';
import { agentTexts } from '../i18n/index.ts';

/** The dialog; mount it only while there is a password to show. */
export function TemporaryPasswordDialog({ title, temporaryPassword, onClose }: { readonly title: string; readonly temporaryPassword: string; readonly onClose: () => void }) {
  const t = useT(agentTexts);
  const common = useCommonT();
  return (
    <Dialog open title={title} onClose={onClose} closeLabel={common('app.close')}>
      <p>{t('users.temporaryPasswordNote')}</p>
      <p>
        <span className="field-hint">{t('users.temporaryPassword')}</span> <code className="secret" data-testid="temporary-password">{temporaryPassword}</code>
      </p>
      <div className="form-actions">
        <Button variant="primary" onClick={onClose}>
          {common('app.close')}
        </Button>
      </div>
    </Dialog>
  );
}
