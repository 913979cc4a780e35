/**
 * A text setting with its limit shown and counted as the API counts it (code points), and the
 * API's message for it at the field.
 */
import type { HTMLInputTypeAttribute } from 'react';
import { Field } from '../../../components/ui/index.ts';
import { useT } from '../../../lib/i18n/index.tsx';
import { charCount } from '../api/limits.ts';
import { serverTexts } from '../i18n/index.ts';

/** One text input; `max` shows "n / max characters" under it. */
export function TextField(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | undefined;
  readonly max?: number;
  readonly hint?: string;
  readonly required?: boolean;
  readonly type?: HTMLInputTypeAttribute;
  readonly autoComplete?: string;
  readonly multiline?: boolean;
}) {
  const t = useT(serverTexts);
  const count = charCount(props.value);
  const limit = props.max === undefined ? undefined : t('form.limit', { count, max: props.max });
  const hint = [props.hint, limit].filter(Boolean).join(' · ') || undefined;
  return (
    <Field label={props.label} error={props.error} hint={hint}>
      {(control) =>
        props.multiline ? (
          <textarea {...control} value={props.value} onChange={(e) => props.onChange(e.target.value)} rows={3} />
        ) : (
          <input
            {...control}
            type={props.type ?? 'text'}
            value={props.value}
            onChange={(e) => props.onChange(e.target.value)}
            required={props.required}
            autoComplete={props.autoComplete ?? 'off'}
          />
        )
      }
    </Field>
  );
}

/** A checkbox with its label after it and an optional hint. */
export function CheckField(props: { readonly label: string; readonly checked: boolean; readonly onChange: (checked: boolean) => void; readonly hint?: string; readonly error?: string | undefined }) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint}>
      {(control) => <input {...control} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />}
    </Field>
  );
}
