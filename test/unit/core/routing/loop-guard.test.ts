import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACK_INTERVAL_MS,
  ackAllowed,
  ackRecipient,
  autoAckDecision,
  classifyLoop,
  type LoopFacts,
} from '../../../../lambdas/core/routing/loop-guard.ts';
import { CORPUS_DIR, describeCorpus } from '../../../support/corpus.ts';
import { parseRaw } from '../../adapters/mime/mail-fixtures.ts';

const person: LoopFacts = { mailFrom: 'alice@customer.test', headers: { 'content-type': 'text/plain; charset=utf-8' }, attachments: [] };
const withHeaders = (headers: Record<string, string>, extra: Partial<LoopFacts> = {}): LoopFacts => ({ ...person, headers: { ...person.headers, ...headers }, ...extra });

describe('classifyLoop: header rules', () => {
  it('finds nothing in mail a person wrote, which may be acknowledged', () => {
    expect(classifyLoop(person)).toEqual({ kind: 'none', reasons: [], mayAutoAcknowledge: true });
  });

  it.each([
    ['auto-submitted', 'auto-replied', 'Auto-Submitted: auto-replied'],
    ['auto-submitted', 'auto-generated (failure)', 'Auto-Submitted: auto-generated (failure)'],
    ['auto-submitted', 'auto-notified', 'Auto-Submitted: auto-notified'],
    ['x-auto-response-suppress', 'All', 'X-Auto-Response-Suppress: All'],
    ['x-auto-response-suppress', 'DR, RN, NRN, OOF, AutoReply', 'X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply'],
    ['x-auto-response-suppress', 'OOF', 'X-Auto-Response-Suppress: OOF'],
    ['x-loop', 'helpdesk@vendor.test', 'X-Loop: helpdesk@vendor.test'],
    ['x-autoreply', 'yes', 'X-Autoreply/X-Autorespond header'],
  ])('%s: %s is an auto-reply', (name, value, reason) => {
    const verdict = classifyLoop(withHeaders({ [name]: value }));
    expect(verdict).toEqual({ kind: 'auto-reply', reasons: [reason], mayAutoAcknowledge: false, setAsideReason: 'auto-reply' });
  });

  it.each([['no'], ['No'], ['NO (manual)']])('Auto-Submitted: %s is mail a person sent', (value) => {
    expect(classifyLoop(withHeaders({ 'auto-submitted': value })).kind).toBe('none');
  });

  it('X-Auto-Response-Suppress: None asks for nothing', () => {
    expect(classifyLoop(withHeaders({ 'x-auto-response-suppress': 'None' })).kind).toBe('none');
  });

  it('recognises our own X-Loop marker', () => {
    const verdict = classifyLoop(withHeaders({ 'x-loop': 'Postroom support@example.test' }), { loopMarker: 'postroom support@example.test' });
    expect(verdict.reasons).toEqual(['X-Loop carries our own marker Postroom support@example.test']);
  });

  it('treats the null envelope sender as automatic', () => {
    expect(classifyLoop({ ...person, mailFrom: '' })).toMatchObject({ kind: 'auto-reply', reasons: ['null envelope sender <>'], mayAutoAcknowledge: false });
  });

  it.each([
    [{ precedence: 'bulk' }, 'Precedence: bulk'],
    [{ precedence: 'List' }, 'Precedence: list'],
    [{ precedence: 'junk' }, 'Precedence: junk'],
    [{ 'list-id': 'Users <users.lists.example.test>' }, 'List-Id: Users <users.lists.example.test>'],
    [{ 'list-unsubscribe': '<mailto:leave@lists.example.test>' }, 'List-Unsubscribe header'],
    [{ 'list-post': '<mailto:users@lists.example.test>' }, 'List-Post header'],
  ])('%j is list mail', (headers, reason) => {
    expect(classifyLoop(withHeaders(headers))).toEqual({ kind: 'list', reasons: [reason], mayAutoAcknowledge: false, setAsideReason: 'list' });
  });

  it('Precedence: first-class is not list mail', () => {
    expect(classifyLoop(withHeaders({ precedence: 'first-class' })).kind).toBe('none');
  });

  it('a delivery status report is a bounce, by its root type or its part', () => {
    const root = classifyLoop(withHeaders({ 'content-type': 'multipart/report; report-type="delivery-status"; boundary=x' }));
    const part = classifyLoop({ ...person, attachments: [{ contentType: 'message/delivery-status' }] });
    const exim = classifyLoop(withHeaders({ 'x-failed-recipients': 'bob@example.test' }));
    expect([root.kind, part.kind, exim.kind]).toEqual(['bounce', 'bounce', 'bounce']);
    expect(root.reasons).toEqual(['multipart/report; report-type=delivery-status']);
  });

  it('an ARF feedback report and a read receipt are reports', () => {
    const arf = classifyLoop(withHeaders({ 'content-type': 'multipart/report; report-type=feedback-report' }));
    const mdn = classifyLoop({ ...person, attachments: [{ contentType: 'message/disposition-notification' }] });
    expect([arf.kind, mdn.kind]).toEqual(['report', 'report']);
    expect(arf.setAsideReason).toBe('report');
  });

  it('the strongest kind wins and every signal is listed', () => {
    const verdict = classifyLoop({
      mailFrom: '',
      headers: { 'auto-submitted': 'auto-replied', precedence: 'bulk', 'content-type': 'multipart/report; report-type=delivery-status' },
      attachments: [{ contentType: 'message/delivery-status' }],
    });
    expect(verdict.kind).toBe('bounce');
    expect(verdict.reasons).toEqual([
      'multipart/report; report-type=delivery-status',
      'message/delivery-status part',
      'Auto-Submitted: auto-replied',
      'null envelope sender <>',
      'Precedence: bulk',
    ]);
  });
});

describeCorpus('classifyLoop on the real corpus', () => {
  const classify = async (name: string, mailFrom = 'someone@example.test') => {
    const { mail } = await parseRaw(await readFile(join(CORPUS_DIR, name)));
    return classifyLoop({ mailFrom, headers: mail.headers, attachments: mail.attachments });
  };

  it.each([
    'postal-mime/bounce.eml',
    'mailparser/delivery-status.eml',
    'mikel-mail/multipart_report_emails/multi_address_bounce1.eml',
    'mikel-mail/multipart_report_emails/multi_address_bounce2.eml',
    'mikel-mail/multipart_report_emails/multipart_report_multiple_status.eml',
    'mikel-mail/multipart_report_emails/report_422.eml',
    'mikel-mail/multipart_report_emails/report_530.eml',
    'mikel-mail/mime_emails/raw_email_with_mimepart_without_content_type.eml',
  ])('%s is a bounce', async (name) => {
    const verdict = await classify(name);
    expect(verdict).toMatchObject({ kind: 'bounce', mayAutoAcknowledge: false, setAsideReason: 'bounce' });
  });

  it('postal-mime/arf.eml is a feedback report', async () => {
    expect(await classify('postal-mime/arf.eml')).toMatchObject({ kind: 'report', reasons: ['multipart/report; report-type=feedback-report', 'message/feedback-report part'] });
  });

  it('mailparser/large_text.eml (a Launchpad list message) is list mail', async () => {
    expect(await classify('mailparser/large_text.eml')).toMatchObject({ kind: 'list', mayAutoAcknowledge: false });
  });

  it.each([
    'mikel-mail/plain_emails/basic_email.eml',
    'mikel-mail/plain_emails/raw_email_reply.eml',
    'mikel-mail/rfc2822/example01.eml',
    'mikel-mail/rfc2822/example14.eml',
    'mikel-mail/multi_charset/japanese.eml',
    'mikel-mail/attachment_emails/attachment_pdf.eml',
    'mikel-mail/mime_emails/raw_email7.eml',
    'mailparser/nodemailer.eml',
    'postal-mime/calendar-event.eml',
    'mikel-mail/rfc6532/utf8_headers.eml',
  ])('%s is ordinary mail', async (name) => {
    expect(await classify(name)).toEqual({ kind: 'none', reasons: [], mayAutoAcknowledge: true });
  });
});

describe('auto-acknowledgement rules', () => {
  const none = classifyLoop(person);
  const ours = ['example.test'];

  it('allows a person at a foreign address', () => {
    expect(autoAckDecision(none, 'alice@customer.test', ours)).toEqual({ allowed: true, reason: 'alice@customer.test may be acknowledged once per 24 hours' });
  });

  it.each(['MAILER-DAEMON@mx.customer.test', 'postmaster@customer.test', 'noreply@shop.test', 'no-reply@shop.test', 'do-not-reply@shop.test', 'gmail-noreply@google.com', 'bounces+123@lists.test'])(
    'never acknowledges %s',
    (address) => {
      expect(autoAckDecision(none, address, ours)).toMatchObject({ allowed: false, reason: expect.stringMatching(/no-reply or system address/) });
    },
  );

  it('never acknowledges our own addresses, automatic mail, or nobody', () => {
    expect(autoAckDecision(none, 'Sales@Example.test', ours).reason).toBe('sales@example.test is one of our own addresses');
    expect(autoAckDecision(classifyLoop(withHeaders({ precedence: 'bulk' })), 'alice@customer.test', ours)).toMatchObject({ allowed: false, reason: 'automatic mail (list): Precedence: bulk' });
    expect(autoAckDecision(none, undefined, ours).allowed).toBe(false);
  });

  it('acknowledges the Reply-To address when there is one, else From', () => {
    expect(ackRecipient({ from: { address: 'A@x.test' }, replyTo: [{ address: 'Team@X.test' }] })).toBe('team@x.test');
    expect(ackRecipient({ from: { address: 'A@x.test' }, replyTo: [] })).toBe('a@x.test');
    expect(ackRecipient({ replyTo: [] })).toBeUndefined();
  });

  it('allows one acknowledgement per 24 hours', () => {
    const last = new Date('2026-11-23T09:00:00Z');
    expect(ackAllowed(undefined, last)).toBe(true);
    expect(ackAllowed(last, new Date(last.getTime() + ACK_INTERVAL_MS - 1))).toBe(false);
    expect(ackAllowed(last, new Date(last.getTime() + ACK_INTERVAL_MS))).toBe(true);
  });
});
