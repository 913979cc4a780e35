/**
 * The dry run's outcome as labelled, translated facts: where the message would go (disposition
 * and queue), with what (priority, skills, language, tags) and the acknowledgement routing would
 * enqueue. A field this console does not know yet is still shown, under its API name, so nothing
 * the API answers is hidden.
 */
import { useFormat, useT } from '../../../lib/i18n/index.tsx';
import type { DryRunOutcome } from '../api/flows.ts';
import { flowTexts, type FlowKey } from '../i18n/index.ts';

/** The fields in the order an admin reads them; each has the label `dryRun.field.<name>`. */
const KNOWN_FIELDS = ['disposition', 'queueId', 'priority', 'skills', 'language', 'tags', 'interactionId', 'reason', 'detail', 'acknowledgement'] as const;
const DISPOSITIONS: ReadonlySet<string> = new Set(['queue', 'attach', 'disconnected', 'set-aside']);

/** The outcome list of one dry run. */
export function DryRunOutcomeFacts({ outcome }: { readonly outcome: DryRunOutcome }) {
  const t = useT(flowTexts);
  const format = useFormat();
  const list = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.map(String).join(', ') : t('dryRun.none'));
  const value = (name: string, v: unknown): string => {
    if (name === 'disposition' && typeof v === 'string') return DISPOSITIONS.has(v) ? t(`dryRun.disposition.${v}` as FlowKey) : v;
    if (name === 'skills' || name === 'tags') return list(v);
    if (name === 'acknowledgement' && v && typeof v === 'object') {
      const ack = v as { readonly to?: string; readonly subject?: string };
      return t('dryRun.ackValue', { to: ack.to ?? '', subject: ack.subject ?? '' });
    }
    if (typeof v === 'number') return format.number(v);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  const unknown = Object.keys(outcome).filter((k) => !(KNOWN_FIELDS as readonly string[]).includes(k));
  const rows = [...KNOWN_FIELDS.filter((k) => outcome[k] !== undefined).map((k) => [k, t(`dryRun.field.${k}`)] as const), ...unknown.map((k) => [k, k] as const)];
  return (
    <dl className="facts">
      {rows.map(([k, label]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value(k, outcome[k])}</dd>
        </div>
      ))}
    </dl>
  );
}
