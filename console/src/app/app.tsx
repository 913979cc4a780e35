/** The console: boots (config, sign-in), then renders the providers and the routed pages. */
import { useEffect, useState } from 'react';
import { Button, EmptyState, Spinner } from '../components/ui/index.ts';
import { beginSignIn } from '../lib/auth/index.tsx';
import { I18nProvider, useCommonT } from '../lib/i18n/index.tsx';
import { boot, type BootResult } from './boot.ts';
import { AppProvider } from './provider.tsx';
import { AppRouter } from './router.tsx';

function Start() {
  const t = useCommonT();
  const [result, setResult] = useState<BootResult | undefined>();
  useEffect(() => {
    void boot().then(setResult);
  }, []);
  if (!result || result.state === 'redirecting') return <Spinner label={t('app.loading')} />;
  if (result.state === 'failed') {
    const text = result.stage === 'config' ? t('app.configFailed', { reason: result.reason }) : t('app.signInFailed', { reason: result.reason });
    return (
      <main id="main" className="start">
        <h1>{t('app.title')}</h1>
        <EmptyState action={<Button variant="primary" onClick={() => location.reload()}>{t('app.retry')}</Button>}>{text}</EmptyState>
      </main>
    );
  }
  if (result.state === 'signed-out') {
    const config = result.config;
    return (
      <main id="main" className="start">
        <h1>{t('app.title')}</h1>
        <EmptyState action={<Button variant="primary" onClick={() => void beginSignIn(config)}>{t('app.signIn')}</Button>}>{t('app.signedOut')}</EmptyState>
      </main>
    );
  }
  return (
    <AppProvider config={result.config}>
      <AppRouter />
    </AppProvider>
  );
}

/** The root component. */
export function App() {
  return (
    <I18nProvider>
      <Start />
    </I18nProvider>
  );
}
