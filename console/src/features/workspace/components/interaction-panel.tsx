/** One interaction: who wrote what, the message, the timeline, the actions and the composer. */
import { Spinner } from '../../../components/ui/index.ts';
import { useErrorText, useFormat } from '../../../lib/i18n/index.tsx';
import { useInteraction } from '../api/get-interaction.ts';
import type { MailAddress } from '../api/types.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';
import { InteractionActions } from './interaction-actions.tsx';
import { MailBody } from './mail-body.tsx';
import { ReplyComposer } from './reply-composer.tsx';
import { Timeline } from './timeline.tsx';

const show = (a: MailAddress) => (a.name ? `${a.name} <${a.address}>` : a.address);

/** Interaction `id` as `agentId` sees it (actions and composer when the agent holds it). */
export function InteractionPanel({ id, agentId }: { readonly id: string; readonly agentId: string }) {
  const t = useWorkspaceT();
  const f = useFormat();
  const errorText = useErrorText();
  const detail = useInteraction(id);

  if (detail.isLoading) return <Spinner label={t('mail.loading')} />;
  if (detail.error || !detail.data) return <p className="error-text">{errorText(detail.error)}</p>;
  const i = detail.data.interaction;
  const m = i.message;
  const mine = i.state === 'claimed' && i.agentId === agentId;
  return (
    <article aria-labelledby="interaction-heading">
      <header className="mail-head panel">
        <h2 id="interaction-heading">{m.subject || t('mail.noSubject')}</h2>
        <dl>
          <dt>{t('mail.from')}</dt>
          <dd>{m.from ? show(m.from) : m.mailFrom}</dd>
          <dt>{t('mail.to')}</dt>
          <dd>{m.to.map(show).join(', ') || m.recipients.join(', ')}</dd>
          {m.cc.length > 0 && (
            <>
              <dt>{t('mail.cc')}</dt>
              <dd>{m.cc.map(show).join(', ')}</dd>
            </>
          )}
          <dt>{t('mail.received')}</dt>
          <dd>{f.dateTime(m.receivedAt)}</dd>
          <dt>{t('mail.state')}</dt>
          <dd>
            {t(`state.${i.state}`)}
            {i.queueId ? ` · ${i.queueId}` : ''}
            {i.detectedLanguage && i.detectedLanguage !== 'und' ? ` · ${i.detectedLanguage}` : ''}
          </dd>
        </dl>
        {mine && <InteractionActions id={i.id} subject={m.subject || t('mail.noSubject')} agentId={agentId} queueId={i.queueId} />}
      </header>
      <div className="panel">
        <MailBody id={i.id} />
      </div>
      <div className="panel">
        <Timeline detail={detail.data} />
      </div>
      {mine ? <ReplyComposer key={i.id} detail={detail.data} agentId={agentId} /> : <p className="muted">{t('composer.notHeld')}</p>}
    </article>
  );
}
