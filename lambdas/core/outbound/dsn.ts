/**
 * Delivery status notifications (RFC 3464) on the SMTP path (issue 11 item 5; SPEC OUT-6): the
 * `message/delivery-status` part of a `multipart/report; report-type=delivery-status` bounce is
 * parsed into per-recipient results, which become the outbox record's delivery events, and a hard
 * bounce (action `failed`, status class 5, RFC 3463) suppresses the recipient.
 *
 * The part comes from a stranger's mail server: it is read bounded ({@link DSN_LIMITS}), folded
 * lines are unfolded, unknown fields ignored, and a block without Final-Recipient or Action skipped.
 */
import type { DeliveryEvent } from './outbox.ts';

/** Bounds on a DSN part; bounces are machine-made but may be forged. */
export const DSN_LIMITS = {
  /** Bytes of the delivery-status part read: real ones are a few hundred bytes per recipient; 64 KiB holds 100 and more. */
  maxPartBytes: 64 * 1024,
  /** Recipient blocks kept: an outbox record has at most 50 recipients (OUT-1), twice that allows for expansions. */
  maxRecipients: 100,
  /** Characters of a Diagnostic-Code kept on a delivery event (the words an agent reads, not a dump). */
  maxDiagnosticChars: 500,
} as const;

/** RFC 3464 section 2.3.3 actions. */
export type DsnAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/** One per-recipient block (RFC 3464 section 2.3). */
export interface DsnRecipient {
  /** The address of Final-Recipient (`rfc822; a@b`), lower-cased. */
  readonly finalRecipient: string;
  readonly originalRecipient?: string;
  readonly action: DsnAction;
  /** The RFC 3463 enhanced status code, e.g. `5.1.1`; `''` when the block has none. */
  readonly status: string;
  /** The remote server's own words (`smtp; 550 5.1.1 ... User unknown`), bounded. */
  readonly diagnosticCode?: string;
  readonly remoteMta?: string;
}

export interface DeliveryStatusReport {
  readonly reportingMta?: string;
  readonly recipients: readonly DsnRecipient[];
}

const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/**
 * Parses the body of a `message/delivery-status` (or `message/global-delivery-status`) part: the
 * per-message block, then one block per recipient, separated by blank lines. Input past
 * {@link DSN_LIMITS.maxPartBytes} characters and blocks past {@link DSN_LIMITS.maxRecipients} are ignored.
 */
export function parseDeliveryStatus(text: string): DeliveryStatusReport {
  const blocks = text
    .slice(0, DSN_LIMITS.maxPartBytes)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(fieldsOf)
    .filter((b) => b.size > 0);
  const perMessage = blocks.find((b) => !b.has('final-recipient'));
  const recipients: DsnRecipient[] = [];
  for (const block of blocks) {
    if (recipients.length >= DSN_LIMITS.maxRecipients) break;
    const final = addressOf(block.get('final-recipient'));
    const action = (block.get('action') ?? '').toLowerCase().split(/\s/)[0] ?? '';
    if (!final || !ACTIONS.has(action)) continue;
    const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(block.get('status') ?? '')?.[0] ?? '';
    const original = addressOf(block.get('original-recipient'));
    const diagnostic = block.get('diagnostic-code');
    const remote = block.get('remote-mta');
    recipients.push({
      finalRecipient: final,
      ...(original && { originalRecipient: original }),
      action: action as DsnAction,
      status,
      ...(diagnostic && { diagnosticCode: diagnostic.slice(0, DSN_LIMITS.maxDiagnosticChars) }),
      ...(remote && { remoteMta: remote }),
    });
  }
  const reporting = perMessage?.get('reporting-mta');
  return { ...(reporting && { reportingMta: reporting }), recipients };
}

/** A hard bounce: the server gave up (`failed`) with a permanent status (5.x.x, RFC 3463). */
export function isHardBounce(r: DsnRecipient): boolean {
  return r.action === 'failed' && (r.status.startsWith('5.') || (r.status === '' && /\b5\d\d\b/.test(r.diagnosticCode ?? '')));
}

/** The delivery events of a report at `at`: failed -> bounced, delayed -> delayed, the rest delivered. */
export function dsnDeliveryEvents(report: DeliveryStatusReport, at: Date): DeliveryEvent[] {
  return report.recipients.map((r) => ({
    recipient: r.finalRecipient,
    status: r.action === 'failed' ? 'bounced' : r.action === 'delayed' ? 'delayed' : 'delivered',
    at: at.toISOString(),
    detail: [r.action === 'failed' ? (isHardBounce(r) ? 'hard bounce' : 'soft bounce') : r.action, r.status, r.diagnosticCode].filter(Boolean).join(': '),
  }));
}

/** One block's fields, lower-case names, unfolded values; the first occurrence of a name wins. */
function fieldsOf(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  // The field that folded lines continue; undefined after a repeated field (ignored) or a stray line.
  let open: string | undefined;
  for (const line of block.split('\n')) {
    if (/^[ \t]/.test(line)) {
      if (open !== undefined) fields.set(open, `${fields.get(open)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : undefined;
    open = name !== undefined && !fields.has(name) ? name : undefined;
    if (open !== undefined) fields.set(open, line.slice(colon + 1).trim());
  }
  return fields;
}

/** The address of an `address-type; address` field (`rfc822; <a@b>`), lower-cased; undefined when none. */
function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const semi = value.indexOf(';');
  const address = (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<(.*)>$/, '$1').trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : undefined;
}
