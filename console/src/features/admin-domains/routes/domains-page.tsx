/**
 * `#/admin/domains`: the e-mail domains with their verification state; add one (its record plan
 * follows on its page). A domain declared in the CDK app is shown, never changed here.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Dialog, EmptyState, Field, PageHeader, Table } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { fieldError } from '../../../components/forms/field-errors.ts';
import { FormErrors } from '../../../components/forms/form-errors.tsx';
import { DOMAIN_LIMITS } from '../../../../../contract/recipient-domains.ts';
import { useCommonT, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useDomainMutations, useDomains } from '../api/domains.ts';
import { StateBadge } from '../components/state-badge.tsx';
import { domainTexts, type DomainKey } from '../i18n/index.ts';

/** The domains page. */
export function DomainsPage() {
  const t = useT(domainTexts);
  const format = useFormat();
  const domains = useDomains();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <PageHeader title={t('list.title')} actions={<Button variant="primary" onClick={() => setAdding(true)}>{t('list.add')}</Button>}>
        <p className="muted">{t('list.note', { max: DOMAIN_LIMITS.defaultMaxDomains })}</p>
      </PageHeader>
      <QueryState query={domains}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('list.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('list.caption')}
              rows={rows}
              rowKey={(d) => d.name}
              columns={[
                { header: t('field.name'), cell: (d) => <Link to={`/admin/domains/${encodeURIComponent(d.name)}`}>{d.name}</Link> },
                { header: t('field.mailFromDomain'), cell: (d) => d.mailFromDomain },
                { header: t('status.sending'), cell: (d) => <StateBadge ok={d.status?.verifiedForSending} text={d.status ? t(d.status.verifiedForSending ? 'status.verified' : 'status.notVerified') : t('status.notChecked')} /> },
                { header: t('status.dns'), cell: (d) => (d.status ? t(`dns.${d.status.dns}` as DomainKey) : '–') },
                { header: t('status.checkedAt'), cell: (d) => format.dateTime(d.status?.checkedAt) },
                { header: t('field.owner'), cell: (d) => t(d.owner === 'stack' ? 'owner.stack' : 'owner.api') },
              ]}
            />
          )
        }
      </QueryState>
      {adding && <AddDomainDialog onClose={() => setAdding(false)} />}
    </>
  );
}

const PATHS = ['name', 'mailFromDomain', 'hostedZoneId', 'dmarcReportAddress'];

function AddDomainDialog({ onClose }: { readonly onClose: () => void }) {
  const t = useT(domainTexts);
  const common = useCommonT();
  const navigate = useNavigate();
  const { add } = useDomainMutations();
  const [v, setV] = useState({ name: '', mailFromDomain: '', hostedZoneId: '', dmarcReportAddress: '' });
  const input = (key: keyof typeof v) => ({ value: v[key], onChange: (e: { target: { value: string } }) => setV((o) => ({ ...o, [key]: e.target.value })) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x.trim() !== '')) as { name: string };
    add.mutate(body, { onSuccess: (a) => navigate(`/admin/domains/${encodeURIComponent(a.domain.name)}`) });
  };
  return (
    <Dialog open title={t('add.title')} onClose={onClose} closeLabel={common('app.close')}>
      <form onSubmit={submit} noValidate>
        <FormErrors error={add.error} claimed={PATHS} />
        <Field label={t('field.name')} error={fieldError(add.error, 'name')} hint={t('add.nameHint')}>
          {(c) => <input {...c} {...input('name')} required autoComplete="off" />}
        </Field>
        <Field label={t('field.mailFromDomain')} error={fieldError(add.error, 'mailFromDomain')} hint={t('add.mailFromHint')}>
          {(c) => <input {...c} {...input('mailFromDomain')} autoComplete="off" />}
        </Field>
        <Field label={t('field.hostedZoneId')} error={fieldError(add.error, 'hostedZoneId')} hint={t('add.zoneHint')}>
          {(c) => <input {...c} {...input('hostedZoneId')} autoComplete="off" />}
        </Field>
        <Field label={t('field.dmarcReportAddress')} error={fieldError(add.error, 'dmarcReportAddress')}>
          {(c) => <input {...c} type="email" {...input('dmarcReportAddress')} autoComplete="off" />}
        </Field>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={add.isPending}>
            {t('list.add')}
          </Button>
          <Button onClick={onClose}>{common('app.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
