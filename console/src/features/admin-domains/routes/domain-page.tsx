/**
 * `#/admin/domains/:name`: one domain's status (SES identity, DKIM, MAIL FROM, sending), the record
 * plan as a table to copy into any DNS host (each name and value with its own copy button), "Check
 * now" with each record's state, and removal of a domain added here.
 */
import { useNavigate, useParams } from 'react-router';
import { Button, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { CopyButton } from '../../../components/forms/copy-button.tsx';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useDomain, useDomainMutations, useRecordPlan } from '../api/domains.ts';
import type { DnsRecord } from '../api/types.ts';
import { StateBadge } from '../components/state-badge.tsx';
import { domainTexts } from '../i18n/index.ts';

/** The domain page. */
export function DomainPage() {
  const { name = '' } = useParams();
  const t = useT(domainTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const navigate = useNavigate();
  const domain = useDomain(name);
  const plan = useRecordPlan(name);
  const { check, remove } = useDomainMutations();
  const copy = (value: string, what: string) => <CopyButton value={value} label={t('plan.copy', { what })} text={t('plan.copyShort')} done={t('plan.copied')} />;
  const confirm = useConfirm();
  const onRemove = () =>
    void confirm({ title: t('detail.remove'), message: t('detail.confirmRemove', { name }), confirmLabel: t('detail.remove') }).then((ok) => {
      if (ok) remove.mutate(name, { onSuccess: () => navigate('/admin/domains'), onError: (e) => toast(errorText(e), 'error') });
    });
  const owned = domain.data?.domain.owner === 'api';

  return (
    <>
      <PageHeader
        title={name}
        actions={
          <>
            <Button variant="primary" busy={check.isPending} onClick={() => check.mutate(name, { onError: (e) => toast(errorText(e), 'error') })}>
              {t('detail.check')}
            </Button>
            {owned && (
              <Button variant="danger" onClick={onRemove}>
                {t('detail.remove')}
              </Button>
            )}
          </>
        }
      />
      <QueryState query={domain}>
        {({ domain: d, summary }) => (
          <section aria-labelledby="domain-status">
            <h2 id="domain-status">{t('detail.status')}</h2>
            <dl className="facts">
              <dt>{t('status.identity')}</dt>
              <dd>{d.status ? <StateBadge ok={d.status.identity === 'verified'} text={d.status.identity} /> : t('status.notChecked')}</dd>
              <dt>DKIM</dt>
              <dd>{d.status ? <StateBadge ok={d.status.dkim === 'verified'} text={d.status.dkim} /> : '–'}</dd>
              <dt>MAIL FROM ({d.mailFromDomain})</dt>
              <dd>{d.status ? <StateBadge ok={d.status.mailFrom === 'verified'} text={d.status.mailFrom} /> : '–'}</dd>
              <dt>{t('status.sending')}</dt>
              <dd>{d.status ? <StateBadge ok={d.status.verifiedForSending} text={t(d.status.verifiedForSending ? 'status.verified' : 'status.notVerified')} /> : '–'}</dd>
              <dt>{t('status.checkedAt')}</dt>
              <dd>{format.dateTime(d.status?.checkedAt) || '–'}</dd>
            </dl>
            <ul>
              {/* Unchecked, the API's line points at the CLI; here the button above does the check. */}
              {(d.status || d.provisioning ? summary : [t('detail.notCheckedHint')]).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </section>
        )}
      </QueryState>
      {check.data && (
        <Table
          caption={t('check.caption', { verdict: check.data.verdict })}
          rows={check.data.records}
          rowKey={(r) => `${r.type} ${r.name} ${r.purpose}`}
          columns={[
            { header: t('plan.name'), cell: (r) => <code>{r.name}</code> },
            { header: t('plan.type'), cell: (r) => r.type },
            { header: t('plan.purpose'), cell: (r) => r.purpose },
            { header: t('check.state'), cell: (r) => <StateBadge ok={r.state === 'ok'} text={`${r.state}${r.optional ? ` (${t('plan.optional')})` : ''}`} /> },
            { header: t('check.detail'), cell: (r) => r.detail },
          ]}
        />
      )}
      <QueryState query={plan}>
        {(p) => (
          <>
            <Table
              caption={t('plan.caption')}
              rows={p.records}
              rowKey={(r: DnsRecord) => `${r.type} ${r.name} ${r.values.join(' ')}`}
              columns={[
                { header: t('plan.name'), cell: (r) => (<><code>{r.name}</code> {copy(r.name, `${r.type} ${r.name}`)}</>) },
                { header: t('plan.type'), cell: (r) => r.type },
                {
                  header: t('plan.value'),
                  cell: (r) => (<><code className="wrap">{r.values.join('\n')}</code> {copy(r.values.join('\n'), `${r.type} ${r.name} ${t('plan.value')}`)}</>),
                },
                { header: 'TTL', numeric: true, cell: (r) => format.number(r.ttl) },
                { header: t('plan.purpose'), cell: (r) => `${r.purpose}${r.optional ? ` (${t('plan.optional')})` : ''}` },
              ]}
            />
            <ul className="muted">
              {p.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        )}
      </QueryState>
    </>
  );
}
