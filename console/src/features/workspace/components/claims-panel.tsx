/** The interactions the agent holds, with the "customer replied" badge (the API's `customerReplied`). */
import { Link } from 'react-router';
import { Spinner } from '../../../components/ui/index.ts';
import { useErrorText, useFormat } from '../../../lib/i18n/index.tsx';
import { useMyInteractions } from '../api/get-my-interactions.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';

/** The claimed list; `current` is the open interaction's id. */
export function ClaimsPanel({ agentId, current }: { readonly agentId: string; readonly current?: string | undefined }) {
  const t = useWorkspaceT();
  const f = useFormat();
  const errorText = useErrorText();
  const claims = useMyInteractions(agentId);
  const replied = (claims.data ?? []).filter((i) => i.customerReplied).length;
  return (
    <section className="panel" aria-labelledby="claims-heading">
      <h2 id="claims-heading">{t('claims.title')}</h2>
      <div role="status" className="visually-hidden">
        {replied > 0 ? t('claims.repliedCount', { count: replied }) : ''}
      </div>
      {claims.isLoading && <Spinner label={t('claims.loading')} />}
      {claims.error && <p className="error-text">{errorText(claims.error)}</p>}
      {claims.data && claims.data.length === 0 && <p className="muted">{t('claims.none')}</p>}
      <ul className="claim-list">
        {(claims.data ?? []).map((i) => (
          <li key={i.id}>
            <Link to={`/workspace/${encodeURIComponent(i.id)}`} aria-current={i.id === current ? 'page' : undefined}>
              <span>{i.message.subject || t('mail.noSubject')}</span>{' '}
              {i.customerReplied && <span className="badge badge-alert">{t('claims.replied')}</span>}
              <br />
              <span className="muted">
                {i.message.from?.name ?? i.message.from?.address ?? i.message.mailFrom} · {f.dateTime(i.lastMessageAt ?? i.message.receivedAt)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
