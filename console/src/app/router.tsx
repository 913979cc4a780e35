/**
 * The routes as react-router sees them: every registry row behind its role, `/` to the caller's
 * first page (the workspace for an agent), anything else "no such page". HashRouter keeps the app
 * working under /console/ locally and at a CloudFront root with no rewrite rules.
 */
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { EmptyState, Spinner } from '../components/ui/index.ts';
import { hasRole, RequireRole, useCaller } from '../lib/authorization.tsx';
import { useCommonT, useErrorText } from '../lib/i18n/index.tsx';
import { Layout } from './layout.tsx';
import { routes } from './routes.tsx';

function Home() {
  const { me } = useCaller();
  const role = me?.user.role;
  // A supervisor or admin without an agent record has no workspace to work in: its first own page instead.
  const first = me?.agent ? routes.find((r) => r.area === 'workspace') : routes.find((r) => r.nav && r.area !== 'workspace' && hasRole(role, r.role));
  return <Navigate to={first ? `/${first.path}` : '/workspace'} replace />;
}

/** The routed app, once GET /me answered. */
export function AppRouter() {
  const t = useCommonT();
  const errorText = useErrorText();
  const { me, isLoading, error } = useCaller();
  if (isLoading) return <Spinner label={t('app.loading')} />;
  if (!me) return <EmptyState>{t('app.loadFailed', { reason: errorText(error) })}</EmptyState>;
  return (
    <HashRouter>
      <Layout>
        <Routes>
          <Route path="/" element={<Home />} />
          {routes.map((r) => (
            <Route
              key={r.path}
              path={`/${r.path}`}
              element={
                <RequireRole role={r.role} fallback={<EmptyState>{t('app.notAllowed')}</EmptyState>}>
                  <r.component />
                </RequireRole>
              }
            />
          ))}
          <Route path="*" element={<EmptyState>{t('app.notFound')}</EmptyState>} />
        </Routes>
      </Layout>
    </HashRouter>
  );
}
