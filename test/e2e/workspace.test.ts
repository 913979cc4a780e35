/**
 * The agent workspace in a real browser (issue 12 items 2 and 7): a German and a Japanese customer
 * write with an attachment each (through the runtime's SMTP receiver); the agent signs in on the
 * local sign-in page, takes Next twice, reads both mails, downloads an attachment, replies to the
 * German one, and the reply goes out through SES (captured by the local stand-in) threaded to the
 * customer's mail (In-Reply-To, References). The customer answers, and the workspace shows
 * "Customer replied", also in a fresh browser (the API derives it; nothing is kept per browser).
 * axe-core finds no serious or critical violation on any workspace page.
 * Screenshot: docs/screenshots/workspace.png.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '../../lambdas/core/outbound/outbox.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/local/services.ts';
import { eventually } from '../support/eventually.ts';
import { sendMail } from '../support/smtp-client.ts';
import { seriousViolations } from './support/axe.ts';
import { browserMissing, launchBrowser, newContext } from './support/browser.ts';
import { signIn } from './support/console-session.ts';
import { addUser, startConsoleRuntime, waitForWaiting, type ConsoleRuntime } from './support/runtime.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');
const AGENT = { username: 'anna', password: 'Anna-e2e-Passwort-1', role: 'agent' as const, languages: ['de', 'ja', 'en'] };
const PDF = Buffer.from('%PDF-1.4\n% Rechnung 4711\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** What the agent attaches to the reply: a PUT from the console to the local S3 (another origin, CORS). */
const LABEL = { name: 'Versandetikett-4711.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% Versandetikett 4711\n%%EOF\n') };
const GERMAN = { from: '"Jürgen Weiß" <juergen@kunden.example>', subject: 'Rückfrage zur Bestellung 4711', text: 'Guten Tag,\n\nmeine Lieferung ist noch nicht angekommen. Die Rechnung hänge ich an.\n\nGrüße aus Köln\nJürgen Weiß\n' };
const JAPANESE = { from: '"山田 花子" <hanako@kokyaku.example>', subject: 'ご注文の配送について', text: 'お世話になっております。\n注文した商品がまだ届いていません。請求書を添付します。\nよろしくお願いいたします。\n山田 花子\n' };

let rt: ConsoleRuntime;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let skipReason: string | undefined;
const messageIds: Record<string, string> = {};
const opened: Record<string, string> = {};

beforeAll(async () => {
  skipReason = browserMissing();
  if (skipReason) return;
  rt = await startConsoleRuntime({ languages: ['de', 'ja', 'en'] });
  skipReason = (await rt.consoleMissing()) ?? (await addUser(rt, AGENT));
  if (skipReason) return;
  browser = await launchBrowser();
  context = await newContext(browser);
  const port = rt.runtime.smtp.port;
  const german = await sendMail(port, { ...GERMAN, to: rt.supportAddress, attachments: [{ filename: 'Rechnung-4711.pdf', content: PDF, contentType: 'application/pdf' }] });
  const japanese = await sendMail(port, { ...JAPANESE, to: rt.supportAddress, attachments: [{ filename: '請求書.txt', content: '請求金額: 12,000円\n', contentType: 'text/plain; charset=utf-8' }] });
  messageIds[GERMAN.subject] = german.messageId;
  messageIds[JAPANESE.subject] = japanese.messageId;
  await waitForWaiting(rt, 2);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** Takes Next and returns the opened interaction's id and subject (once its page shows it). */
async function takeNext(): Promise<{ id: string; subject: string }> {
  const before = page.url();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.waitForURL((url) => url.toString() !== before && /^#\/workspace\/[^/]+$/.test(url.hash));
  const id = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
  // The claimed list marks the open interaction; its heading is this interaction's once that link is current.
  const subject = (await page.locator('.claim-list a[aria-current="page"] span').first().textContent()) ?? '';
  await page.locator('#interaction-heading', { hasText: subject }).waitFor();
  opened[subject] = id;
  return { id, subject };
}

describe('agent workspace in the browser', () => {
  it('signs in, takes Next twice, reads a German and a Japanese mail and downloads an attachment', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    page = await signIn(context, rt.consoleUrl, AGENT.username, AGENT.password);
    await page.getByRole('heading', { name: 'My queues' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const first = await takeNext();
    const second = await takeNext();
    expect([first.subject, second.subject].sort()).toEqual([GERMAN.subject, JAPANESE.subject].sort());
    // The Japanese mail is open now or was first; read each in turn.
    for (const mail of [JAPANESE, GERMAN]) {
      await page.getByRole('link', { name: new RegExp(mail.subject) }).click();
      await page.locator('#interaction-heading', { hasText: mail.subject }).waitFor();
      await expect.poll(() => page.locator('pre.mail-text').textContent()).toContain(mail.text.split('\n')[0]);
      expect(await page.locator('.mail-head dd').first().textContent()).toContain(mail === GERMAN ? 'Jürgen Weiß' : '山田 花子');
    }
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Rechnung-4711.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('Rechnung-4711.pdf');
    expect(await readFile((await download.path())!)).toEqual(PDF);
  });

  it('replies to the German mail with an attachment: captured by SES with In-Reply-To and References to the customer\'s mail', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const id = opened[GERMAN.subject]!;
    await page.getByRole('link', { name: new RegExp(GERMAN.subject) }).click();
    await page.locator('#interaction-heading', { hasText: GERMAN.subject }).waitFor();
    await expect.poll(() => page.locator('.composer').textContent()).toContain(`Kundenservice <${rt.supportAddress}>`);
    expect(await page.getByText('Recipients: 1 of 50.').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Guten Tag Herr Weiß,\n\nIhre Lieferung ist unterwegs.\n\nFreundliche Grüße\nAnna');
    await page.locator('.composer input[type="file"]').setInputFiles(LABEL);
    await page.locator('.composer li', { hasText: LABEL.name }).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Reply queued for sending.').waitFor();

    const sent = await eventually(async () => {
      const { outbox } = await rt.json<{ outbox: OutboxRecord[] }>('outbox', 'list', '--interaction', id);
      const reply = outbox.find((o) => o.purpose === 'reply' && o.state === 'sent');
      if (!reply) throw new Error('reply not sent yet');
      return reply;
    }, { what: 'the reply sent' });
    const { captured } = await rt.json<{ captured: { messageId: string; subject: string; attachments: { filename?: string; size: number }[] }[] }>('outbox', 'list', '--captured');
    const delivered = captured.find((m) => m.messageId === sent.providerMessageId);
    expect(delivered?.subject).toContain(GERMAN.subject);
    // The file the browser PUT to the local S3 (presigned, CORS) went out with the reply.
    expect(delivered?.attachments).toEqual([expect.objectContaining({ filename: LABEL.name, size: LABEL.buffer.length })]);
    const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: rt.runtime.endpoints.s3, forcePathStyle: true });
    const object = await s3.send(new GetObjectCommand({ Bucket: sent.raw!.bucket, Key: sent.raw!.key }));
    const mail = await simpleParser(Buffer.from(await object.Body!.transformToByteArray()));
    s3.destroy();
    expect(mail.inReplyTo).toBe(messageIds[GERMAN.subject]);
    expect([mail.references].flat()).toContain(messageIds[GERMAN.subject]);
    expect(mail.text).toContain('Ihre Lieferung ist unterwegs.');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString('latin1')])).toEqual([[LABEL.name, LABEL.mimeType, LABEL.buffer.toString('latin1')]]);
    // The timeline shows the reply and its state.
    await page.locator('.timeline li', { hasText: 'Reply sent' }).locator('.badge', { hasText: /^sent$/ }).waitFor({ timeout: 30_000 });
    messageIds.reply = sent.messageId;
  });

  it('shows "Customer replied" when the customer answers an interaction the agent holds', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    await page.getByRole('link', { name: new RegExp(JAPANESE.subject) }).click();
    await page.locator('#interaction-heading', { hasText: JAPANESE.subject }).waitFor();
    // The agent's own reply moved lastMessageAt too, but it is ours: no signal yet.
    await page.reload();
    await page.locator('.claim-list li', { hasText: GERMAN.subject }).waitFor();
    expect(await page.locator('.claim-list li', { hasText: GERMAN.subject }).textContent()).not.toContain('Customer replied');
    await sendMail(rt.runtime.smtp.port, {
      from: GERMAN.from, to: rt.supportAddress, subject: `Re: ${GERMAN.subject}`, text: 'Danke! Wann genau kommt sie?\n',
      inReplyTo: messageIds.reply!, references: [messageIds[GERMAN.subject]!, messageIds.reply!],
    });
    await expect.poll(async () => {
      await page.reload();
      return page.locator('.claim-list li', { hasText: GERMAN.subject }).textContent();
    }, { timeout: 40_000, interval: 2000 }).toContain('Customer replied');
    // A fresh browser (no storage of the first) signed in as the same agent sees it too.
    const fresh = await newContext(browser!);
    try {
      const other = await signIn(fresh, rt.consoleUrl, AGENT.username, AGENT.password);
      await other.locator('.claim-list li', { hasText: GERMAN.subject }).waitFor();
      expect(await other.locator('.claim-list li', { hasText: GERMAN.subject }).textContent()).toContain('Customer replied');
      expect(await other.locator('.claim-list li', { hasText: JAPANESE.subject }).textContent()).not.toContain('Customer replied');
    } finally {
      // The second context must close even when an expectation fails, or the browser keeps it.
      await fresh.close();
    }
    expect(await seriousViolations(page)).toEqual([]);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'workspace.png'), fullPage: false });
  });

  it('closes the Japanese interaction only once the agent confirms in the dialog', async (ctx) => {
    if (skipReason) return ctx.skip(skipReason);
    const id = opened[JAPANESE.subject]!;
    await page.getByRole('link', { name: new RegExp(JAPANESE.subject) }).click();
    await page.locator('#interaction-heading', { hasText: JAPANESE.subject }).waitFor();
    const close = page.locator('.mail-head').getByRole('button', { name: 'Close', exact: true });
    await close.click();
    const ask = page.getByRole('alertdialog', { name: 'Close' });
    await ask.getByText(`Close “${JAPANESE.subject}”?`, { exact: false }).waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect((await rt.json<{ interaction: { state: string } }>('interaction', 'show', id)).interaction.state).toBe('claimed');
    await close.click();
    await ask.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByText('Closed.', { exact: true }).waitFor();
    expect((await rt.json<{ interaction: { state: string } }>('interaction', 'show', id)).interaction.state).toBe('closed');
  });
});
