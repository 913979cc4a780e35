/**
 * `#/admin/servers/new` (add) and `#/admin/servers/:serverId` (edit): the mail server form, over
 * the stored settings when editing.
 */
import { useParams } from 'react-router';
import { PageHeader } from '../../../components/ui/index.ts';
import { useT } from '../../../lib/i18n/index.tsx';
import { useServer } from '../api/servers.ts';
import { QueryState } from '../../../components/data/query-state.tsx';
import { EMPTY_DRAFT, draftOf } from '../components/server-draft.ts';
import { ServerForm } from '../components/server-form.tsx';
import { serverTexts } from '../i18n/index.ts';

/** The add page. */
export function ServerAddPage() {
  const t = useT(serverTexts);
  return (
    <>
      <PageHeader title={t('form.addTitle')} />
      <ServerForm initial={EMPTY_DRAFT} />
    </>
  );
}

/** The edit page of the server in the path. */
export function ServerEditPage() {
  const t = useT(serverTexts);
  const { serverId } = useParams();
  const server = useServer(serverId);
  return (
    <>
      <PageHeader title={t('form.editTitle', { name: server.data?.name ?? serverId ?? '' })} />
      <QueryState query={server}>{(s) => <ServerForm key={s.id} initial={draftOf(s)} id={s.id} />}</QueryState>
    </>
  );
}
