/**
 * `#/admin/flows/new` and `#/admin/flows/:flowId`: the editor over the current (or a chosen)
 * version, the versions list (each can be loaded into the editor; saving it makes it the newest),
 * delete, and the dry run.
 */
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button, PageHeader, Table, useConfirm, useToast } from '../../../components/ui/index.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { useErrorText, useFormat, useT } from '../../../lib/i18n/index.tsx';
import { useFlowMutations, useFlowVersion, useFlowVersions } from '../api/flows.ts';
import { FlowEditor } from '../components/flow-editor.tsx';
import { flowTexts } from '../i18n/index.ts';

/** The new-flow page. */
export function FlowNewPage() {
  const t = useT(flowTexts);
  return (
    <>
      <PageHeader title={t('editor.newTitle')} />
      <FlowEditor />
    </>
  );
}

/** The page of the flow in the path. */
export function FlowPage() {
  const { flowId } = useParams();
  const t = useT(flowTexts);
  const format = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const navigate = useNavigate();
  const [version, setVersion] = useState<number>();
  const flow = useFlowVersion(flowId, version);
  const versions = useFlowVersions(flowId);
  const { remove } = useFlowMutations();
  const confirm = useConfirm();
  const onDelete = () => {
    if (!flowId) return;
    void confirm({ title: t('editor.delete'), message: t('editor.confirmDelete', { id: flowId }), confirmLabel: t('editor.delete') }).then((ok) => {
      if (ok) remove.mutate(flowId, { onSuccess: () => navigate('/admin/flows'), onError: (e) => toast(errorText(e), 'error') });
    });
  };
  return (
    <>
      <PageHeader title={t('editor.editTitle', { id: flowId ?? '' })} actions={<Button variant="danger" onClick={onDelete}>{t('editor.delete')}</Button>} />
      <QueryState query={flow}>{(f) => <FlowEditor key={`${f.id}@${f.version}`} initial={f} />}</QueryState>
      <QueryState query={versions}>
        {(rows) => (
          <Table
            caption={t('versions.caption')}
            rows={[...rows].reverse()}
            rowKey={(v) => String(v.version)}
            columns={[
              { header: t('versions.version'), numeric: true, cell: (v) => format.number(v.version) },
              { header: t('editor.name'), cell: (v) => v.name },
              { header: t('versions.rules'), numeric: true, cell: (v) => format.number(v.rules) },
              { header: t('versions.createdAt'), cell: (v) => format.dateTime(v.createdAt) },
              {
                header: t('versions.actions'),
                cell: (v) => (
                  <Button variant="link" aria-pressed={flow.data?.version === v.version} onClick={() => setVersion(v.version)} aria-label={`${t('versions.load')}: ${t('versions.version')} ${v.version}`}>
                    {t('versions.load')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}
