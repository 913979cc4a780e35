/**
 * What a list shows while its query loads or after it failed (with a retry), and its data
 * otherwise; a refetch in the background keeps the data shown.
 */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Button, Spinner } from '../ui/index.ts';
import { useCommonT, useErrorText } from '../../lib/i18n/index.tsx';

/** Renders `children(data)` once `query` has data; a spinner before, the error with a retry after a failure. */
export function QueryState<T>(props: { readonly query: UseQueryResult<T>; readonly children: (data: T) => ReactNode }) {
  const t = useCommonT();
  const errorText = useErrorText();
  const { query } = props;
  if (query.data !== undefined) return <>{props.children(query.data)}</>;
  if (query.isError) {
    return (
      <div role="alert" className="error-text">
        {t('app.loadFailed', { reason: errorText(query.error) })} <Button onClick={() => void query.refetch()}>{t('app.retry')}</Button>
      </div>
    );
  }
  return <Spinner label={t('app.loading')} />;
}
