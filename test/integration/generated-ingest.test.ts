/**
 * Every inbound rule the corpus exercises, on mail the project generates itself
 * (test/support/mail-builder.ts), through the same path as corpus-ingest.test.ts: stored in S3,
 * parsed, ingested on dynalite. Runs on a plain clone, where the corpus suites are skipped; each
 * message ends in the one outcome its rule prescribes, and a redelivery is a duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../lambdas/core/ingest.ts';
import type { Interaction } from '../../lambdas/core/interaction.ts';
import type { ReceiptInfo, Verdicts } from '../../lambdas/core/message.ts';
import { MAIL_LIMITS } from '../../lambdas/core/limits.ts';
import {
  benchmarkKinds,
  bounceMessage,
  decodingFixtures,
  deepHtml,
  feedbackReportMessage,
  filePart,
  message,
  multipart,
  plainMessage,
  textPart,
} from '../support/mail-builder.ts';
import { hugeHeaderMessage, manyPartsMessage, nestedMessage } from '../unit/adapters/mime/mail-fixtures.ts';
import { startIngestPipeline, type IngestPipeline } from './ingest-pipeline.ts';
import type { IngestOutcome } from '../../lambdas/core/ingest-ports.ts';

/** A generated message, the receipt facts it arrives with, and what ingest must make of it. */
interface Case {
  readonly name: string;
  readonly raw: string | Buffer;
  readonly receipt?: Partial<Pick<ReceiptInfo, 'recipients' | 'mailFrom'>> & { verdicts?: Partial<Verdicts> };
  readonly outcome: Partial<IngestOutcome> & { outcome: IngestOutcome['outcome'] };
  readonly stored?: (i: Interaction) => void;
}

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2_000, 7)]);
const queued = { outcome: 'queued', queueId: 'default' } as const;
/** The trail's note of where the mail was queued (with the detected language, when there is one). */
const queuedNote = (i: Interaction) => i.trail.find((t) => t.step === 'queued')?.detail;

/** The subjects test/bench/corpus-gen.ts gives messages 0-5 of its mix, decoded (ISO-2022-JP, windows-1252 Q). */
const BENCHMARK_SUBJECTS: Record<string, string> = {
  plain: 'Order 0',
  html: 'Newsletter 1',
  alternative: 'Re: ticket 2',
  'small-attachment': 'Documents 3',
  'iso-2022-jp': 'まみむめも',
  'windows-1252': 'Devis € 5',
};

const CASES: Case[] = [
  // charsets and encoded words
  ...benchmarkKinds().map((m): Case => ({ name: `benchmark mix: ${m.kind}`, raw: m.raw, outcome: queued, stored: (i) => expect(i.message.subject).toBe(BENCHMARK_SUBJECTS[m.kind]) })),
  ...decodingFixtures().map(({ name, raw }): Case => ({ name: `decoding fixture ${name}`, raw, outcome: queued })),
  {
    name: 'encoded words (B and Q) in subject and sender, RFC 2231 filename',
    raw: message(
      { subject: '=?UTF-8?B?UmVjaG51bmcgw7xiZXIgNTAg4oKs?= =?ISO-8859-1?Q?f=FCr_M=E4rz?=', from: '=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@customer.example>' },
      multipart('mixed', [textPart('plain', 'Siehe Anhang.\r\n'), filePart('application/pdf', '', pdf, { rawFilenameParam: "filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf" })]),
    ),
    outcome: queued,
    stored: (i) => {
      // RFC 2047 6.2: the space between two adjacent encoded words is not part of the text
      expect(i.message.subject).toBe('Rechnung über 50 €für März');
      expect(i.message.from).toMatchObject({ name: 'Jürgen Müller', address: 'juergen@customer.example' });
      expect(i.message.attachments.map((a) => a.filename)).toEqual(['Rechnung März.pdf']);
    },
  },
  // structure: nesting, attachments, inline images, forwarded mail, HTML only
  {
    name: 'mixed > related > alternative, an inline image, an attachment and a forwarded message',
    raw: message(
      { subject: 'Nested parts' },
      multipart('mixed', [
        multipart('related', [multipart('alternative', [textPart('plain', 'See the logo.\r\n'), textPart('html', '<p>See <img src="cid:logo@x"></p>\r\n')]), filePart('image/png', 'logo.png', png, { inlineId: 'logo@x' })]),
        filePart('application/pdf', 'invoice.pdf', pdf),
        { headers: ['Content-Type: message/rfc822'], body: plainMessage({ subject: 'The original' }, 'Forwarded text.') },
      ]),
    ),
    outcome: queued,
    stored: (i) => {
      expect(i.message.attachments.map((a) => [a.contentType, a.inline])).toEqual(
        expect.arrayContaining([['image/png', true], ['application/pdf', false], ['message/rfc822', false]]),
      );
      expect(i.message.attachments.find((a) => a.contentType === 'image/png')).toMatchObject({ contentId: '<logo@x>', size: png.length });
      expect(i.message.attachments.every((a) => a.blob?.bucket === pipeline.bucket)).toBe(true);
    },
  },
  {
    name: 'HTML only, with script and handlers the sanitizer must drop',
    raw: message({ subject: 'HTML only' }, textPart('html', '<p onclick="x()">Order <b>4711</b> is late.<script>steal()</script><a href="javascript:x()">x</a></p>\r\n')),
    outcome: queued,
    stored: (i) => {
      expect(i.message.textPreview).toContain('Order 4711 is late.');
      expect(JSON.stringify(i.message)).not.toMatch(/<script|javascript:|onclick/i);
    },
  },
  { name: 'an HTML call-stack bomb (20,000 nested elements)', raw: message({ subject: 'Deep HTML' }, textPart('html', deepHtml(20_000))), outcome: queued },
  { name: 'a calendar invitation', raw: message({ subject: 'Meeting' }, multipart('mixed', [textPart('plain', 'Invite.\r\n'), textPart('calendar', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'utf-8', ['Content-Disposition: attachment; filename="invite.ics"'])])), outcome: queued },
  // broken and hostile MIME
  { name: 'a multipart whose closing delimiter is missing', raw: message({ subject: 'Unclosed' }, multipart('mixed', [textPart('plain', 'Cut off.\r\n')], { closed: false })), outcome: queued },
  { name: 'a part without Content-Type and broken base64', raw: message({ subject: 'Sloppy' }, multipart('mixed', [{ headers: [], body: 'no type\r\n' }, { headers: ['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64'], body: '!!!not base64@@\r\n' }])), outcome: queued },
  { name: 'no Message-ID and no MIME-Version', raw: 'From: a@customer.example\r\nTo: help@support.example.test\r\nSubject: Bare\r\n\r\nbare\r\n', outcome: queued },
  { name: `nesting past ${MAIL_LIMITS.maxMimeDepth} levels`, raw: nestedMessage(MAIL_LIMITS.maxMimeDepth + 2), outcome: { outcome: 'quarantined', reason: 'too-deep' } },
  { name: `more than ${MAIL_LIMITS.maxParts} parts`, raw: manyPartsMessage(MAIL_LIMITS.maxParts + 5), outcome: { outcome: 'quarantined', reason: 'too-many-parts' } },
  { name: 'a header block past the limit', raw: hugeHeaderMessage(MAIL_LIMITS.maxHeaderBytes + 10_000), outcome: { outcome: 'quarantined', reason: 'header-too-large' } },
  { name: 'mail for a domain not served', raw: plainMessage({ subject: 'Wrong door' }, 'hello'), receipt: { recipients: ['x@elsewhere.example'] }, outcome: { outcome: 'quarantined', reason: 'no-served-recipient' } },
  // automatic mail, loops, spam and viruses
  { name: 'a bounce (DSN from the mailer daemon, null sender)', raw: bounceMessage('help@support.example.test'), receipt: { mailFrom: '' }, outcome: { outcome: 'set-aside', reason: 'bounce' }, stored: (i) => expect(i.message.attachments.map((a) => a.contentType)).toContain('message/delivery-status') },
  { name: 'an abuse feedback report', raw: feedbackReportMessage(), outcome: { outcome: 'set-aside' } },
  { name: 'an out-of-office auto-reply', raw: plainMessage({ subject: 'Out of office', headers: ['Auto-Submitted: auto-replied'] }, 'I am away.'), outcome: { outcome: 'set-aside', reason: 'auto-reply' } },
  { name: 'list mail', raw: plainMessage({ subject: '[list] digest', headers: ['List-Id: <news.lists.example>', 'Precedence: list'] }, 'Digest.'), outcome: { outcome: 'set-aside', reason: 'list' } },
  { name: 'SpamAssassin-flagged mail with no spam routing', raw: plainMessage({ subject: 'Cheap', headers: ['X-Spam-Status: Yes, score=9.1'] }, 'Buy now.'), outcome: queued, stored: (i) => expect(i.tags).toContain('suspected-spam') },
  { name: 'a virus verdict FAIL', raw: plainMessage({ subject: 'Infected' }, 'x'), receipt: { verdicts: { virus: 'FAIL' } }, outcome: { outcome: 'disconnected', reason: 'virus' } },
  // languages (detected, noted on the trail; an address route or flow decides the interaction's own)
  {
    name: 'Japanese text, with a raw UTF-8 subject',
    raw: message({ subject: '配送について' }, textPart('plain', 'ご注文の商品がまだ届いていません。確認していただけますか。\r\n')), outcome: queued, stored: (i) => {
      expect(i.message.subject).toBe('配送について');
      expect(queuedNote(i)).toContain('(detected language ja)');
    },
  },
  { name: 'German text', raw: plainMessage({ subject: 'Lieferung' }, 'Guten Tag, meine Bestellung ist leider immer noch nicht angekommen. Können Sie bitte nachsehen, wo das Paket gerade ist?'), outcome: queued, stored: (i) => expect(queuedNote(i)).toContain('(detected language de)') },
  { name: 'French text', raw: plainMessage({ subject: 'Livraison' }, "Bonjour, ma commande n'est toujours pas arrivée. Pourriez-vous vérifier où se trouve le colis, s'il vous plaît ?"), outcome: queued, stored: (i) => expect(queuedNote(i)).toContain('(detected language fr)') },
];

let pipeline: IngestPipeline;

beforeAll(async () => {
  pipeline = await startIngestPipeline('generated');
});

afterAll(async () => {
  await pipeline?.stop();
});

describe('generated inbound mail through parse -> ingest (no corpus needed)', () => {
  it.each(CASES.map((c, n) => [c.name, c, n] as const))('%s', async (_name, c, n) => {
    // Prepare
    const receipt = await pipeline.store(`generated${n}`, c.raw, c.receipt);

    // Act
    const outcome = await ingest(receipt, pipeline.deps);
    const again = await ingest(receipt, pipeline.deps);

    // Assess
    expect(outcome).toMatchObject(c.outcome);
    expect(again).toEqual({ outcome: 'duplicate', interactionId: outcome.interactionId });
    const stored = await pipeline.deps.interactions.get(outcome.interactionId);
    const state = { queued: 'waiting', quarantined: 'quarantined', 'set-aside': 'set-aside', disconnected: 'disconnected' }[c.outcome.outcome as string];
    expect(stored?.state).toBe(state);
    if (stored && c.stored) c.stored(stored);
  });
});

describe('generated conversations through parse -> ingest', () => {
  it('attaches a reply by In-Reply-To, one by References only, and a resend of the same message', async () => {
    // Prepare
    const original = plainMessage({ subject: 'Order 99 is late', messageId: '<order99@customer.example>' }, 'Where is order 99?');
    const byInReplyTo = plainMessage({ subject: 'Re: Order 99 is late', messageId: '<r1@customer.example>', headers: ['In-Reply-To: <order99@customer.example>'] }, 'Any news?');
    const byReferences = plainMessage({ subject: 'Re: Order 99 is late', messageId: '<r2@customer.example>', headers: ['References: <order99@customer.example> <r1@customer.example>'] }, 'Still waiting.');

    // Act
    const first = await ingest(await pipeline.store('thread0', original), pipeline.deps);
    const later = [];
    for (const [n, raw] of [byInReplyTo, byReferences, original].entries()) later.push(await ingest(await pipeline.store(`thread${n + 1}`, raw), pipeline.deps));

    // Assess
    expect(first).toMatchObject(queued);
    expect(later).toEqual([0, 1, 2].map(() => ({ outcome: 'attached', interactionId: first.interactionId })));
    const stored = await pipeline.deps.interactions.get(first.interactionId);
    expect(stored?.replyCount).toBe(3);
    expect(stored?.trail.filter((t) => t.step === 'attached').map((t) => t.detail)).toEqual([
      expect.stringContaining('(by in-reply-to)'),
      expect.stringContaining('(by references)'),
      expect.stringContaining('probable duplicate'),
    ]);
  });
});
