/**
 * The frame of every page: a skip link, the header with the navigation the caller's role may use
 * (one row: nav-menu.tsx), who is signed in, the language switch and sign-out, then the page in <main>.
 */
import { Suspense, type ReactNode } from 'react';
import { Spinner } from '../components/ui/index.ts';
import { useAuth } from '../lib/auth/index.tsx';
import { hasRole, useCaller } from '../lib/authorization.tsx';
import { LOCALES, useCommonT, useLocale, type Locale } from '../lib/i18n/index.tsx';
import { NavMenu } from './nav-menu.tsx';
import { AREAS, routes } from './routes.tsx';

const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', de: 'Deutsch', ja: '日本語' };

/** The page frame; `children` is the routed page. */
export function Layout({ children }: { readonly children: ReactNode }) {
  const t = useCommonT();
  const { me } = useCaller();
  const { signOut } = useAuth();
  const { locale, setLocale } = useLocale();
  const role = me?.user.role;
  const visible = routes.filter((r) => r.nav && hasRole(role, r.role));
  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-title">{t('app.title')}</span>
        <nav aria-label={t('nav.main')} className="app-nav">
          <NavMenu t={t} areas={AREAS.map((area) => ({ area, routes: visible.filter((r) => r.area === area) })).filter((a) => a.routes.length > 0)} />
        </nav>
        <div className="app-user">
          {me && <span>{t('app.signedInAs', { username: me.user.username, role: t(`role.${me.user.role}`) })}</span>}
          <label className="lang-switch">
            <span className="visually-hidden">{t('app.language')}</span>
            <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t('app.language')}>
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-secondary" onClick={signOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Spinner label={t('app.loading')} />}>{children}</Suspense>
      </main>
    </div>
  );
}
