/**
 * The summary above a form after a failed save: the failure in the user's language and every
 * field message that no field of the form shows (so nothing the API said is lost).
 */
import { useErrorText } from '../../lib/i18n/index.tsx';
import { unclaimedFieldErrors } from './field-errors.ts';

/** Nothing while `error` is undefined; otherwise an alert with the failure and the unclaimed field messages. */
export function FormErrors({ error, claimed }: { readonly error: unknown; readonly claimed: readonly string[] }) {
  const errorText = useErrorText();
  if (!error) return null;
  const rest = unclaimedFieldErrors(error, claimed);
  return (
    <div role="alert" className="error-text form-errors">
      <p>{errorText(error)}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map(([path, message]) => (
            <li key={path}>
              <code>{path}</code>: {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
