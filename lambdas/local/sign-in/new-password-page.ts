/**
 * The local issuer's "choose a new password" step (Cognito's NEW_PASSWORD_REQUIRED challenge): shown
 * after a sign-in with a valid temporary password, before any code is issued. The sign-in page's look
 * and languages; the policy's rules come from contract/console.ts, and each refusal is said at its
 * field (`aria-invalid`, `aria-describedby`), so a screen reader reads it with the field.
 */
import { CONSOLE_PASSWORD_POLICY } from '../../../contract/console.ts';
import type { PasswordProblem } from '../../core/access/password-policy.ts';
import { escape, pageShell, type SignInLanguage } from './sign-in-page.ts';

/** Why the new password was refused besides the policy: the temporary one again, or two different entries. */
export type NewPasswordError = PasswordProblem | 'same-as-temporary' | 'mismatch';

type Key = 'title' | 'heading' | 'intro' | 'newPassword' | 'confirmPassword' | 'hint' | 'submit' | NewPasswordError;

const TEXT: Record<SignInLanguage, Record<Key, string>> = {
  en: {
    title: 'Choose a new password – Postroom',
    heading: 'Choose a new password',
    intro: 'You signed in as {username} with a temporary password. Choose your own password to continue.',
    newPassword: 'New password',
    confirmPassword: 'Repeat the new password',
    hint: 'At least {min} characters, with a lower-case and an upper-case letter, a digit and a symbol.',
    submit: 'Save password and continue',
    'too-short': 'The password must have at least {min} characters.',
    'too-long': 'The password must have at most {max} characters.',
    'no-lowercase': 'The password needs a lower-case letter (a-z).',
    'no-uppercase': 'The password needs an upper-case letter (A-Z).',
    'no-digit': 'The password needs a digit (0-9).',
    'no-symbol': 'The password needs a symbol, such as ! ? - _ or #.',
    'same-as-temporary': 'Choose a password other than the temporary one.',
    mismatch: 'The two passwords are not the same.',
  },
  de: {
    title: 'Neues Passwort wählen – Postroom',
    heading: 'Neues Passwort wählen',
    intro: 'Sie haben sich als {username} mit einem vorläufigen Passwort angemeldet. Wählen Sie Ihr eigenes Passwort, um fortzufahren.',
    newPassword: 'Neues Passwort',
    confirmPassword: 'Neues Passwort wiederholen',
    hint: 'Mindestens {min} Zeichen, mit einem Klein- und einem Großbuchstaben, einer Ziffer und einem Sonderzeichen.',
    submit: 'Passwort speichern und fortfahren',
    'too-short': 'Das Passwort muss mindestens {min} Zeichen haben.',
    'too-long': 'Das Passwort darf höchstens {max} Zeichen haben.',
    'no-lowercase': 'Das Passwort braucht einen Kleinbuchstaben (a-z).',
    'no-uppercase': 'Das Passwort braucht einen Großbuchstaben (A-Z).',
    'no-digit': 'Das Passwort braucht eine Ziffer (0-9).',
    'no-symbol': 'Das Passwort braucht ein Sonderzeichen, etwa ! ? - _ oder #.',
    'same-as-temporary': 'Wählen Sie ein anderes Passwort als das vorläufige.',
    mismatch: 'Die beiden Passwörter stimmen nicht überein.',
  },
  ja: {
    title: '新しいパスワードの設定 – Postroom',
    heading: '新しいパスワードを設定',
    intro: '{username} として仮パスワードでサインインしました。続けるには自分のパスワードを設定してください。',
    newPassword: '新しいパスワード',
    confirmPassword: '新しいパスワード（確認）',
    hint: '{min} 文字以上で、英小文字・英大文字・数字・記号をそれぞれ含めてください。',
    submit: 'パスワードを保存して続ける',
    'too-short': 'パスワードは {min} 文字以上にしてください。',
    'too-long': 'パスワードは {max} 文字以内にしてください。',
    'no-lowercase': 'パスワードに英小文字 (a-z) を含めてください。',
    'no-uppercase': 'パスワードに英大文字 (A-Z) を含めてください。',
    'no-digit': 'パスワードに数字 (0-9) を含めてください。',
    'no-symbol': 'パスワードに記号（! ? - _ # など）を含めてください。',
    'same-as-temporary': '仮パスワードとは異なるパスワードを設定してください。',
    mismatch: '2 つのパスワードが一致しません。',
  },
};

/** What the step's page shows. */
export interface NewPasswordPageInput {
  readonly language: SignInLanguage;
  readonly username: string;
  /** The step's session and the language, carried as hidden fields. */
  readonly hidden: Readonly<Record<string, string>>;
  /** Refusals of the new password (at its field) and of the repetition (`mismatch`, at the second field). */
  readonly errors?: readonly NewPasswordError[];
  /** The most a new password may have (PASSWORD_LIMITS.maxChars), said when it is too long. */
  readonly maxChars: number;
}

/** The step's HTML: the two password fields, the policy as a hint, and each refusal at its field. */
export function newPasswordPage(input: NewPasswordPageInput): string {
  const t = TEXT[input.language];
  const say = (key: Key) => escape(t[key].replace('{min}', String(CONSOLE_PASSWORD_POLICY.minLength)).replace('{max}', String(input.maxChars)).replace('{username}', input.username));
  const errors = input.errors ?? [];
  const forNew = errors.filter((e) => e !== 'mismatch');
  const field = (id: string, label: Key, messages: readonly NewPasswordError[], hint: boolean, focus: boolean) => {
    const described = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ');
    return `<label for="${id}">${say(label)}</label>
<input id="${id}" name="${id}" type="password" autocomplete="new-password" required${messages.length ? ' aria-invalid="true"' : ''}${described ? ` aria-describedby="${described}"` : ''}${focus ? ' autofocus' : ''}>
${hint ? `<p id="${id}-hint" class="hint">${say('hint')}</p>` : ''}${messages.length ? `<p id="${id}-error" class="field-error" role="alert">${messages.map(say).join(' ')}</p>` : ''}`;
  };
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  // The username as a hidden autocomplete field: a password manager files the new password under it.
  const body = `<p>${say('intro')}</p>
<form method="post" action="new-password">${hidden}<input type="hidden" name="username" autocomplete="username" value="${escape(input.username)}">
${field('new_password', 'newPassword', forNew, true, forNew.length > 0 || errors.length === 0)}
${field('confirm_password', 'confirmPassword', errors.includes('mismatch') ? ['mismatch'] : [], false, forNew.length === 0 && errors.length > 0)}
<button type="submit">${say('submit')}</button>
</form>`;
  return pageShell(input.language, t.title, t.heading, body);
}
