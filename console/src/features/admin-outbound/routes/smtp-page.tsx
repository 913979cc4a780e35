/**
 * `#/admin/smtp`: the SMTP integrations (one per SMTP server of the registry, at most 20) with
 * their senders, role, status (the server's state joined with the sending state) and last error,
 * and each one's sending rate.
 */
import { Link } from 'react-router';
import { EmptyState, PageHeader, Table } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import { SMTP_FORM_LIMITS, useSmtpIntegrations, type SmtpIntegration } from '../api/smtp-integrations.ts';
import { RateForm } from '../components/rate-form.tsx';
import { outboundTexts } from '../i18n/index.ts';

/** The SMTP integrations page. */
export function SmtpIntegrationsPage() {
  const t = useT(outboundTexts);
  const list = useSmtpIntegrations();
  return (
    <>
      <PageHeader title={t('smtp.title')}>
        <p className="muted">{t('smtp.note', { max: SMTP_FORM_LIMITS.maxIntegrations })}</p>
      </PageHeader>
      <QueryState query={list}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState action={<Link to="/admin/servers/new">{t('smtp.addServer')}</Link>}>{t('smtp.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('smtp.caption')}
              rows={rows}
              rowKey={(i) => i.serverId}
              columns={[
                { header: t('smtp.name'), cell: (i) => <Link to={`/admin/servers/${encodeURIComponent(i.serverId)}`}>{i.name}</Link> },
                { header: t('smtp.host'), cell: (i) => `${i.host}:${i.port}` },
                { header: t('smtp.senders'), cell: (i) => i.senders.join(', ') || '–' },
                { header: t('smtp.role'), cell: (i) => t(i.role === 'template' ? 'smtp.role.template' : 'smtp.role.agent') },
                { header: t('smtp.enabled'), cell: (i) => t(i.enabled ? 'yes' : 'no') },
                { header: t('smtp.state'), cell: (i) => <IntegrationStatus integration={i} /> },
                { header: t('smtp.rate'), cell: (i) => <RateForm integration={i} /> },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}

const BADGES = { ok: 'badge-ok', disabled: 'badge-muted', error: 'badge-danger', 'needs-reauth': 'badge-danger' } as const;

/** An integration's one status (its server's state joined with the sending state, as the API answers it) and why. */
function IntegrationStatus({ integration: i }: { readonly integration: SmtpIntegration }) {
  const t = useT(outboundTexts);
  const format = useFormat();
  const p = i.problem;
  return (
    <>
      <span className={`badge ${BADGES[i.status]}`}>{t(`smtp.state.${i.status}`)}</span>
      {p && (
        <span className="error-text">
          {' '}
          {p.source === 'server' ? t('smtp.problem.server', { detail: p.detail }) : t('smtp.problem.sending', { detail: p.detail, at: format.dateTime(p.at) })}
        </span>
      )}
    </>
  );
}
