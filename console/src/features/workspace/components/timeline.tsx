/** The conversation as one timeline: mails, replies with their state and delivery, the acknowledgement, the routing trail. */
import { useFormat, useTrailStep } from '../../../lib/i18n/index.tsx';
import type { InteractionDetail } from '../api/types.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';
import { buildTimeline, type TimelineItem } from '../model/timeline.ts';

const STATE_BADGE: Readonly<Record<string, string>> = { sent: 'badge-ok', failed: 'badge-danger', uncertain: 'badge-danger' };

/** The timeline of one interaction. */
export function Timeline({ detail }: { readonly detail: InteractionDetail }) {
  const t = useWorkspaceT();
  const f = useFormat();
  const stepName = useTrailStep();
  const items = buildTimeline(detail);
  const title = (item: TimelineItem) => {
    if (item.kind === 'customer') return item.first ? t('timeline.firstMail', { from: item.from }) : t('timeline.customerMail', { from: item.from });
    if (item.kind === 'sent') return item.purpose === 'auto-acknowledgement' ? t('timeline.acknowledgement') : t(`timeline.sent.${item.purpose === 'forward' ? 'forward' : 'reply'}`);
    return t('timeline.routing', { step: stepName(item.step) });
  };
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">{t('timeline.title')}</h3>
      <ol className="timeline">
        {items.map((item, i) => (
          <li key={i}>
            <time dateTime={item.at}>{f.dateTime(item.at)}</time> <strong>{title(item)}</strong>
            {item.kind === 'customer' && (
              <div>
                {item.subject}
                {item.attachments > 0 && <span className="muted"> · {t('timeline.attachments', { count: item.attachments })}</span>}
                {!item.first && item.preview && <div className="muted">{item.preview.slice(0, 200)}</div>}
              </div>
            )}
            {item.kind === 'sent' && (
              <div>
                {item.subject}{' '}
                {item.state && <span className={`badge ${STATE_BADGE[item.state] ?? ''}`}>{t(`outbox.${item.state}`)}</span>}
                {item.route && <span className="muted"> · {t('timeline.via', { route: item.route })}</span>}
                {item.failure && <div className="error-text">{item.failure}</div>}
                {item.delivery.length > 0 && (
                  <ul>
                    {item.delivery.map((d, n) => (
                      <li key={n}>
                        {t(`delivery.${d.status}`)}: {d.recipient} <span className="muted">({f.dateTime(d.at)}{d.detail ? `, ${d.detail}` : ''})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {item.kind === 'trail' && <div className="muted">{item.detail}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
