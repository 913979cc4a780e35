/**
 * Ingest: from a received message to exactly one outcome (decisions 2, 4 and 6): a new interaction
 * (waiting, disconnected or set aside), a reply attached to its interaction, or a quarantine.
 *
 * The steps are ordered so that a crash anywhere is repaired by redelivery: the ledger record is
 * begun before anything else, every id is derived from the transport identity (so a resumed ingest
 * writes the same items, each with a conditional write), and the ledger is completed last.
 */
import { createHash } from 'node:crypto';
import { PARTS_PREFIX } from '../../contract/mail-bucket.ts';
import { DeploymentError, PermanentError, QuarantineError } from './errors.ts';
import type { Interaction } from './interaction.ts';
import { interactionMessageOf } from './interaction-message.ts';
import { boundTrail, cutText } from './item-bounds.ts';
import { ITEM_LIMITS, MAIL_LIMITS } from './limits.ts';
import { transportKey, type InboundMessage, type ParsedMail, type ReceiptInfo } from './message.ts';
import type { IngestDeps, IngestOutcome } from './ingest-ports.ts';
import { servedAddresses } from './deployment-settings.ts';
import { routeMessage } from './routing/route-message.ts';


/** A short, URL-safe id derived from the transport identity: the same message, the same id. */
export function interactionIdFor(key: string): string {
  const digest = createHash('sha256').update(key).digest();
  return `i-${base32(digest.subarray(0, 10))}`;
}

/** Where the decoded parts of one message are stored, beside its raw .eml. */
export function partsPrefixFor(interactionId: string): string {
  return `${PARTS_PREFIX}${interactionId}/`;
}

/**
 * Ingests one received message. Parse failures and limit violations end in a quarantined
 * interaction with a reason code; storage errors propagate so the queue retries.
 */
export async function ingest(receipt: ReceiptInfo, deps: IngestDeps): Promise<IngestOutcome> {
  const key = transportKey(receipt.transport);
  const id = interactionIdFor(key);
  const begun = await deps.ledger.begin(key, id, deps.now());
  if (begun === 'done') return { outcome: 'duplicate', interactionId: id };

  // Polled mail has no envelope and comes from a mailbox the admin registered: its server's
  // routing plan decides, so the served-domain check is the SES path's only.
  const served = receipt.mailbox ? [] : await servedAddresses(receipt.recipients, deps.servedDomains);
  let parsed: ParsedMail | undefined;
  let problem: QuarantineError | undefined;
  if (receipt.raw.size !== undefined && receipt.raw.size > MAIL_LIMITS.maxMessageBytes) {
    problem = new QuarantineError('too-large', `raw message is ${receipt.raw.size} bytes, limit ${MAIL_LIMITS.maxMessageBytes}`);
  } else {
    try {
      parsed = await deps.parser.parse(receipt.raw, partsPrefixFor(id));
    } catch (err) {
      if (!(err instanceof QuarantineError)) throw err;
      problem = err;
    }
  }
  if (!problem && !receipt.mailbox && served.length === 0) {
    problem = new QuarantineError(
      'no-served-recipient',
      `none of ${receipt.recipients.join(', ') || '(no recipients)'} is on ${(await deps.servedDomains.list()).join(', ') || '(no served domains)'}`,
    );
  }

  let outcome: IngestOutcome;
  if (problem) {
    const interaction = quarantined(id, receipt, parsed, problem, deps.now());
    await deps.interactions.create(interaction);
    outcome = { outcome: 'quarantined', interactionId: id, reason: problem.reason };
  } else {
    const message: InboundMessage = { ...receipt, ...parsed!, ...(receipt.mailbox && polledEnvelope(receipt, parsed!)) };
    outcome = await routeOrQuarantine(id, key, receipt, message, served, deps);
  }
  await deps.ledger.complete(key, deps.now());
  return outcome;
}

/**
 * Routes the message; a permanent failure on the way (storage refusing a write: retrying cannot
 * heal it) quarantines the mail with reason `unroutable` and the error, so it is seen and can be
 * looked at instead of failing every attempt into the DLQ. Transient errors still propagate so
 * the queue retries; if even the quarantine write fails, the original error does.
 */
async function routeOrQuarantine(
  id: string,
  key: string,
  receipt: ReceiptInfo,
  message: InboundMessage,
  served: readonly string[],
  deps: IngestDeps,
): Promise<IngestOutcome> {
  try {
    return await routeMessage(id, key, message, served, deps);
  } catch (err) {
    // A broken deployment is not this message's fault: fail it, retry, dead-letter, redrive after the fix.
    if (!(err instanceof PermanentError) || err instanceof DeploymentError) throw err;
    const problem = new QuarantineError('unroutable', `${err.code}: ${err.message}`, { cause: err });
    let created: 'created' | 'exists';
    try {
      created = await deps.interactions.create(quarantined(id, receipt, message, problem, deps.now()));
    } catch {
      throw err;
    }
    // Routing got as far as storing the interaction: it is not lost, and only a retry can finish.
    if (created === 'exists') throw err;
    return { outcome: 'quarantined', interactionId: id, reason: 'unroutable' };
  }
}

/**
 * The envelope of a polled message, which has none of its own: the recipients are the mailbox's
 * address, else the To and Cc addresses; the sender is the Return-Path the delivering server wrote
 * (`<>` for a bounce, which the loop guard must still see), else the From address. An empty sender
 * would read as the null sender and set every polled mail aside as an auto-reply.
 */
function polledEnvelope(receipt: ReceiptInfo, parsed: ParsedMail): { recipients: readonly string[]; mailFrom: string } {
  const recipients = receipt.recipients.length > 0 ? receipt.recipients : [...new Set([...parsed.to, ...parsed.cc].map((a) => a.address.toLowerCase()))];
  const returnPath = parsed.headers['return-path'];
  const mailFrom = returnPath !== undefined ? (/<([^<>]*)>/.exec(returnPath)?.[1] ?? returnPath).trim() : (parsed.from?.address ?? '');
  return { recipients, mailFrom };
}

function quarantined(
  id: string,
  receipt: ReceiptInfo,
  parsed: ParsedMail | undefined,
  problem: QuarantineError,
  now: Date,
): Interaction {
  return {
    id,
    channel: 'email',
    state: 'quarantined',
    createdAt: now.toISOString(),
    priority: 0,
    skills: [],
    quarantine: { reason: problem.reason, detail: cutText(problem.message, ITEM_LIMITS.maxTrailDetailChars) },
    // A mail over a part or depth limit still has a readable header block: keep what it says.
    message: interactionMessageOf(receipt, parsed ?? problem.headers),
    trail: boundTrail([
      { at: now.toISOString(), step: 'received', detail: `${receipt.transport.kind} message for ${receipt.recipients.join(', ')}${receipt.receiptNote ? ` (${receipt.receiptNote})` : ''}` },
      { at: now.toISOString(), step: 'quarantined', detail: `${problem.reason}: ${problem.message}` },
    ]),
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
