/**
 * The mail servers page (seed 002, SRV-9): every POP3, IMAP and SMTP server with its type, host,
 * role (the template server column, seed step 12), whether it is enabled, its state and last error,
 * polled; and per server: edit, test connection, duplicate, delete, OAuth2 consent.
 */
import { Link } from 'react-router';
import { EmptyState, PageHeader, Table } from '../../../components/ui/index.ts';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useServers } from '../api/servers.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { ServerRowActions, TemplateServerToggle } from '../components/server-row-actions.tsx';
import { serverTexts, type ServerKey } from '../i18n/index.ts';

/** `#/admin/servers`. */
export function ServersPage() {
  const t = useT(serverTexts);
  const format = useFormat();
  const servers = useServers();
  return (
    <>
      <PageHeader
        title={t('list.title')}
        actions={
          <Link className="btn btn-primary" to="/admin/servers/new">
            {t('list.add')}
          </Link>
        }
      >
        <p className="muted">{t('list.note')}</p>
      </PageHeader>
      <QueryState query={servers}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('list.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('list.caption')}
              rows={rows}
              rowKey={(r) => r.server.id}
              columns={[
                { header: t('field.name'), cell: (r) => <Link to={`/admin/servers/${encodeURIComponent(r.server.id)}`}>{r.server.name}</Link> },
                { header: t('field.type'), cell: (r) => r.server.type.toUpperCase() },
                { header: t('field.host'), cell: (r) => `${r.server.host}:${r.server.port}` },
                { header: t('list.templateServer'), cell: (r) => (r.server.type === 'smtp' ? <TemplateServerToggle server={r.server} /> : '–') },
                { header: t('field.enabled'), cell: (r) => t(r.server.enabled ? 'list.yes' : 'list.no') },
                {
                  header: t('list.state'),
                  cell: (r) => {
                    const state = r.status?.state ?? r.server.state;
                    return <span className={`badge ${state === 'ok' ? 'badge-ok' : state === 'disabled' ? 'badge-muted' : 'badge-danger'}`}>{t(`state.${state}` as ServerKey)}</span>;
                  },
                },
                {
                  header: t('list.lastError'),
                  cell: (r) => {
                    const last = r.status?.lastError ?? r.server.lastError;
                    const ok = r.status?.lastSuccessAt ?? r.server.lastSuccessAt;
                    return last ? <span className="error-text">{last}</span> : ok ? t('list.lastSuccess', { at: format.dateTime(ok) }) : '–';
                  },
                },
                { header: t('list.actions'), cell: (r) => <ServerRowActions server={r.server} /> },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}
