/**
 * The "Add" form of the suppressions page: an address an admin suppresses by hand (a customer who
 * asked for no more mail, a known-bad address) and an optional note; the API's field message for a
 * wrong address shows at the field.
 */
import { useState, type FormEvent } from 'react';
import { Button, Field, useToast } from '../../../components/ui/index.ts';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { useErrorText, useT } from '../../../lib/i18n/index.tsx';
import { useAddSuppression } from '../api/suppressions.ts';
import { outboundTexts } from '../i18n/index.ts';

/** The add form; clears itself once the address is suppressed. */
export function AddSuppressionForm() {
  const t = useT(outboundTexts);
  const errorText = useErrorText();
  const toast = useToast();
  const add = useAddSuppression();
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { address, note: note.trim() },
      {
        onSuccess: ({ suppression, created }) => {
          toast(t(created ? 'suppressions.added' : 'suppressions.already', { address: suppression.address }), 'success');
          setAddress('');
          setNote('');
        },
        // A field message shows at its field; anything else (a role, the network) as a toast.
        onError: (err) => fieldError(err, 'address') || fieldError(err, 'note') || toast(errorText(err), 'error'),
      },
    );
  };
  return (
    <form onSubmit={submit} className="form-inline" aria-label={t('suppressions.addTitle')}>
      <Field label={t('suppressions.address')} error={fieldError(add.error, 'address')} hint={t('suppressions.addHint')}>
        {(c) => <input {...c} type="text" inputMode="email" autoComplete="off" required value={address} onChange={(e) => setAddress(e.target.value)} />}
      </Field>
      <Field label={t('suppressions.note')} error={fieldError(add.error, 'note')} hint={t('suppressions.noteHint')}>
        {(c) => <input {...c} type="text" value={note} onChange={(e) => setNote(e.target.value)} />}
      </Field>
      <Button type="submit" busy={add.isPending}>
        {t('suppressions.add')}
      </Button>
    </form>
  );
}
