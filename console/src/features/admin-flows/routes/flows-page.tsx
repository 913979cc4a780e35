/** `#/admin/flows`: the flows (current versions) with a link to each one's editor, and "New flow". */
import { Link } from 'react-router';
import { EmptyState, PageHeader, Table } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useFlows } from '../api/flows.ts';
import { flowTexts } from '../i18n/index.ts';

/** The flows page. */
export function FlowsPage() {
  const t = useT(flowTexts);
  const format = useFormat();
  const flows = useFlows();
  return (
    <>
      <PageHeader title={t('list.title')} actions={<Link className="btn btn-primary" to="/admin/flows/new">{t('list.add')}</Link>} />
      <QueryState query={flows}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState>{t('list.empty')}</EmptyState>
          ) : (
            <Table
              caption={t('list.caption')}
              rows={rows}
              rowKey={(f) => f.id}
              columns={[
                { header: t('editor.id'), cell: (f) => <Link to={`/admin/flows/${encodeURIComponent(f.id)}`}>{f.id}</Link> },
                { header: t('editor.name'), cell: (f) => f.name },
                { header: t('versions.version'), numeric: true, cell: (f) => format.number(f.version) },
                { header: t('versions.createdAt'), cell: (f) => format.dateTime(f.updatedAt) },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}
