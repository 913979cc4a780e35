/**
 * Where a polled message is stored (contract/mail-bucket.ts POLLED_MAIL_PREFIX), as a function of
 * its transport identity and back: `polled/<serverId>/imap/<UIDVALIDITY>/<UID>` and
 * `polled/<serverId>/pop3/<UIDL in hex>`. A UIDL may hold any printable character (RFC 1939 7:
 * 0x21-0x7E, `/` included), so it is encoded; hex rather than a hash because the reconciler must
 * turn the key back into the ingest ledger's key (`pop3:<server>:<UIDL>`) without reading the
 * object, exactly as it does for SES's `inbound/<messageId>`.
 */
import { POLLED_MAIL_PREFIX } from '../../../contract/mail-bucket.ts';
import type { TransportIdentity } from '../message.ts';

type PolledTransport = Extract<TransportIdentity, { kind: 'imap' | 'pop3' }>;

const SERVER_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** The object key of a polled message. */
export function polledObjectKey(t: PolledTransport): string {
  if (t.kind === 'imap') return `${POLLED_MAIL_PREFIX}${t.serverId}/imap/${t.uidValidity}/${t.uid}`;
  const hex = [...t.uidl].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return `${POLLED_MAIL_PREFIX}${t.serverId}/pop3/${hex}`;
}

/** The transport identity a polled object key stands for, or undefined when it is not one. */
export function polledTransportOfKey(key: string): PolledTransport | undefined {
  if (!key.startsWith(POLLED_MAIL_PREFIX)) return undefined;
  const parts = key.slice(POLLED_MAIL_PREFIX.length).split('/');
  const [serverId, kind] = parts;
  if (serverId === undefined || !SERVER_ID.test(serverId)) return undefined;
  if (kind === 'imap' && parts.length === 4 && /^\d{1,10}$/.test(parts[2]!) && /^\d{1,10}$/.test(parts[3]!)) {
    return { kind: 'imap', serverId, uidValidity: parts[2]!, uid: parts[3]! };
  }
  if (kind === 'pop3' && parts.length === 3 && /^(?:[2-7][0-9a-f]){1,70}$/.test(parts[2]!)) {
    const uidl = parts[2]!.replace(/../g, (h) => String.fromCharCode(parseInt(h, 16)));
    if (/^[\x21-\x7e]+$/.test(uidl)) return { kind: 'pop3', serverId, uidl };
  }
  return undefined;
}
