/**
 * Search across open and closed interactions by sender address, subject words or reference token
 * (`GET /interactions?q=&state=`); the API's notes on how far back it looked are shown with the results.
 */
import { useState, type FormEvent } from 'react';
import { Button, EmptyState, Field, PageHeader, Table } from '../../../components/ui/index.ts';
import { useErrorText, useFormat, useLocale, useT } from '../../../lib/i18n/index.tsx';
import { SEARCH_STATES, useSearch, type SearchState } from '../api/search.ts';
import { Pager, useCursorPages } from '../../../components/data/pager.tsx';
import { supervisorTexts, type SupervisorKey } from '../i18n/index.ts';

/** Longest query the page sends: a subject line or an address, never a pasted mail. */
const MAX_QUERY_CHARS = 256;

/** The search page (`#/supervisor/search`). */
export function SearchPage() {
  const t = useT(supervisorTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const [text, setText] = useState('');
  const [state, setState] = useState<SearchState>('all');
  const [asked, setAsked] = useState<{ q: string; state: SearchState }>({ q: '', state: 'all' });
  const pages = useCursorPages();
  const search = useSearch(asked.q, asked.state, pages.cursor);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    pages.first();
    setAsked({ q: text.trim(), state });
  };
  const searched = search.data?.searched;
  const { locale } = useLocale();
  // The API's days are calendar dates (YYYY-MM-DD, UTC): shown as dates, never shifted by the time zone.
  const day = (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

  return (
    <>
      <PageHeader title={t('tabs.search')} />
      <form role="search" onSubmit={submit} className="form-inline">
        <Field label={t('search.label')}>
          {(control) => <input {...control} type="search" value={text} onChange={(e) => setText(e.target.value)} maxLength={MAX_QUERY_CHARS} required />}
        </Field>
        <Field label={t('search.state')}>
          {(control) => (
            <select {...control} value={state} onChange={(e) => setState(e.target.value as SearchState)}>
              {SEARCH_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`search.state.${s}` as SupervisorKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button type="submit" variant="primary" busy={search.isFetching}>
          {t('search.submit')}
        </Button>
      </form>
      {search.isError && (
        <p role="alert" className="error-text">
          {errorText(search.error)}
        </p>
      )}
      {search.data && (
        <>
          {searched && (
            <p className="muted">
              {t(`search.by.${searched.by}` as SupervisorKey)}
              {searched.from && searched.to ? ` ${t('search.days', { from: day(searched.from), to: day(searched.to) })}` : ''}
              {searched.note ? ` (${searched.note})` : ''}
            </p>
          )}
          {search.data.interactions.length === 0 ? (
            <EmptyState>{t('search.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('search.caption')}
              rows={search.data.interactions}
              rowKey={(i) => i.id}
              columns={[
                { header: t('common.id'), cell: (i) => <code>{i.id}</code> },
                { header: t('common.from'), cell: (i) => i.message?.from?.address ?? i.message?.mailFrom ?? '' },
                { header: t('common.subject'), cell: (i) => i.message?.subject ?? '' },
                { header: t('search.state.column'), cell: (i) => `${t(`state.${i.state}` as SupervisorKey)}${i.agentId ? ` (${i.agentId})` : ''}` },
                { header: t('common.received'), cell: (i) => format.dateTime(i.message?.receivedAt ?? i.createdAt) },
              ]}
            />
          )}
          <Pager nextCursor={search.data.cursor} pages={pages} labels={{ next: t('search.more'), first: t('common.first') }} />
        </>
      )}
    </>
  );
}
