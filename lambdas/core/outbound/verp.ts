/**
 * VERP return paths (issue 11 item 5; SPEC OUT-6): mail sent through a customer's SMTP server
 * carries `bounces+<outboxId>@<returnPathDomain>` as its envelope sender, so a bounce that comes
 * back names the outbox record it belongs to in its envelope recipient, whatever the bouncing
 * server wrote (or failed to write) into the DSN. The anchors cannot track SMTP bounces; Postroom can.
 */

/** The local part before the `+`: a role name that the loop guard already treats as a robot. */
export const VERP_LOCAL_PREFIX = 'bounces';

/** Outbox ids as outbox.ts makes them: `o-` and 20 hex digits (nothing else ever parses as VERP). */
const OUTBOX_ID = /^o-[0-9a-f]{20}$/;

/**
 * The VERP return path of outbox record `outboxId` on `domain` (the deployment's bounce domain):
 * `bounces+<outboxId>@<domain>`, the domain lower-cased.
 */
export function verpAddress(outboxId: string, domain: string): string {
  if (!OUTBOX_ID.test(outboxId)) throw new Error(`not an outbox id: ${outboxId}`);
  return `${VERP_LOCAL_PREFIX}+${outboxId}@${domain.toLowerCase()}`;
}

/**
 * The outbox id a VERP address names, or undefined when `address` is none. With `domain` the
 * address must be on that domain (case-insensitive); without, any domain is accepted. Mail
 * servers may lower-case or keep the local part's case, so the compare ignores case.
 */
export function parseVerpAddress(address: string, domain?: string): string | undefined {
  const trimmed = address.trim().replace(/^<(.*)>$/, '$1').toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = trimmed.slice(0, at);
  const host = trimmed.slice(at + 1);
  if (domain !== undefined && host !== domain.toLowerCase()) return undefined;
  const prefix = `${VERP_LOCAL_PREFIX}+`;
  if (!local.startsWith(prefix)) return undefined;
  const id = local.slice(prefix.length);
  return OUTBOX_ID.test(id) ? id : undefined;
}
