/**
 * The local sign-in page: one small, accessible HTML form in English, German or Japanese (the
 * seeds' languages), chosen by `ui_locales` or the browser's Accept-Language. Every value put into
 * the page is HTML-escaped; the page loads nothing (no script, no external style), so its CSP
 * allows inline style and form posts to its own origin only.
 */

/** The page's languages, the first the default. */
export const SIGN_IN_LANGUAGES = ['en', 'de', 'ja'] as const;
export type SignInLanguage = (typeof SIGN_IN_LANGUAGES)[number];

/** What the page may say besides the form. */
export type SignInNotice = 'invalid-credentials' | 'rate-limited' | 'invalid-request' | 'temporary-expired' | 'session-expired';

const TEXT: Record<SignInLanguage, Record<'title' | 'heading' | 'username' | 'password' | 'submit' | SignInNotice, string>> = {
  en: {
    title: 'Sign in – Postroom',
    heading: 'Sign in to Postroom',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    'invalid-credentials': 'The username or password is not correct.',
    'rate-limited': 'Too many failed sign-ins for this user. Try again in {minutes} minutes.',
    'invalid-request': 'This sign-in link is not valid. Open the console again and sign in from there.',
    'temporary-expired': 'Your temporary password has expired. Ask an administrator to reset your password.',
    'session-expired': 'This step has expired. Open the console again and sign in with your temporary password.',
  },
  de: {
    title: 'Anmelden – Postroom',
    heading: 'Bei Postroom anmelden',
    username: 'Benutzername',
    password: 'Passwort',
    submit: 'Anmelden',
    'invalid-credentials': 'Benutzername oder Passwort ist nicht korrekt.',
    'rate-limited': 'Zu viele fehlgeschlagene Anmeldungen für diesen Benutzer. Versuchen Sie es in {minutes} Minuten erneut.',
    'invalid-request': 'Dieser Anmeldelink ist ungültig. Öffnen Sie die Konsole erneut und melden Sie sich dort an.',
    'temporary-expired': 'Ihr vorläufiges Passwort ist abgelaufen. Bitten Sie einen Administrator, Ihr Passwort zurückzusetzen.',
    'session-expired': 'Dieser Schritt ist abgelaufen. Öffnen Sie die Konsole erneut und melden Sie sich mit Ihrem vorläufigen Passwort an.',
  },
  ja: {
    title: 'サインイン – Postroom',
    heading: 'Postroom にサインイン',
    username: 'ユーザー名',
    password: 'パスワード',
    submit: 'サインイン',
    'invalid-credentials': 'ユーザー名またはパスワードが正しくありません。',
    'rate-limited': 'このユーザーのサインインの失敗が多すぎます。{minutes} 分後にもう一度お試しください。',
    'invalid-request': 'このサインインリンクは無効です。コンソールを開き直してサインインしてください。',
    'temporary-expired': '仮パスワードの有効期限が切れています。管理者にパスワードのリセットを依頼してください。',
    'session-expired': 'この手順の有効期限が切れました。コンソールを開き直し、仮パスワードでサインインしてください。',
  },
};

/**
 * The language for `uiLocales` (OIDC `ui_locales`, space-separated) or else `acceptLanguage`
 * (weights honoured, region subtags ignored).
 * @default 'en' when neither names a supported language
 */
export function signInLanguage(uiLocales: string | undefined, acceptLanguage: string | undefined): SignInLanguage {
  const supported = (tag: string) => SIGN_IN_LANGUAGES.find((l) => l === tag.trim().toLowerCase().split('-')[0]);
  for (const tag of (uiLocales ?? '').split(/\s+/)) if (supported(tag)) return supported(tag)!;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
      return { tag, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) if (supported(tag)) return supported(tag)!;
  return 'en';
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the page shows. */
export interface SignInPageInput {
  readonly language: SignInLanguage;
  /** The authorization request's parameters, carried through the form as hidden fields. */
  readonly hidden: Readonly<Record<string, string>>;
  readonly username?: string;
  readonly notice?: SignInNotice;
  /** For `rate-limited`: whole minutes until the next try. */
  readonly retryMinutes?: number;
  /** Without the form: a request that cannot be signed in at all (a bad link). */
  readonly formless?: boolean;
}

/** The page's HTML. The notice is a `role="alert"` announced by screen readers, and tied to the fields. */
export function signInPage(input: SignInPageInput): string {
  const t = TEXT[input.language];
  const notice = input.notice ? t[input.notice].replace('{minutes}', String(input.retryMinutes ?? 1)) : undefined;
  const alert = notice ? `<p id="notice" class="notice" role="alert">${escape(notice)}</p>` : '';
  const invalid = input.notice === 'invalid-credentials' ? ' aria-invalid="true" aria-describedby="notice"' : '';
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  const form = input.formless
    ? ''
    : `<form method="post" action="authorize">${hidden}
<label for="username">${escape(t.username)}</label>
<input id="username" name="username" autocomplete="username" required autocapitalize="none" spellcheck="false" value="${escape(input.username ?? '')}"${invalid}${input.username ? '' : ' autofocus'}>
<label for="password">${escape(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${input.username ? ' autofocus' : ''}>
<button type="submit">${escape(t.submit)}</button>
</form>`;
  return pageShell(input.language, t.title, t.heading, `${alert}${form}`);
}

/**
 * The issuer's page around `body` (already HTML): one look for the sign-in and the new-password
 * step, styled inline (the CSP allows inline style and nothing else).
 */
export function pageShell(language: SignInLanguage, title: string, heading: string, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
body{font-family:system-ui,"Noto Sans","Noto Sans CJK JP",sans-serif;background:#f4f5f7;color:#1b1f24;margin:0}
main{max-width:22rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0003}
h1{font-size:1.4rem;margin:0 0 1.5rem}label{display:block;font-weight:600;margin:1rem 0 .3rem}
input{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid #6b7280;border-radius:4px}
input:focus,button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:4px;cursor:pointer}
.notice{color:#991b1b;background:#fef2f2;border:1px solid #fca5a5;padding:.6rem;border-radius:4px}
.field-error{color:#991b1b;margin:.3rem 0 0;font-size:.9rem}.hint{color:#4b5563;margin:.3rem 0 0;font-size:.9rem}
</style></head>
<body><main><h1>${escape(heading)}</h1>${body}</main></body></html>
`;
}
