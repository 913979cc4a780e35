/**
 * The supervisor view in a real browser (issue 12 items 3 and 7): two customers write; the
 * supervisor signs in, sees the live queue (waiting, oldest wait, score), assigns one interaction to
 * a named agent, then force-releases it from that agent, and the API agrees each time (read with
 * the CLI). Each role is refused what it may not do: the supervisor's menu has no admin page and
 * opening one says so while the API answers 403 to the supervisor's own token; the agent's menu has
 * no supervisor page and the API refuses its token the same way. axe-core finds no serious or
 * critical violation on any supervisor page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { sendMail } from '../support/smtp-client.ts';
import { seriousViolations } from './support/axe.ts';
import { browserMissing, launchBrowser, newContext } from './support/browser.ts';
import { openPage, signIn } from './support/console-session.ts';
import { addUser, startConsoleRuntime, type ConsoleRuntime } from './support/runtime.ts';

const SUPERVISOR = { username: 'sven', password: 'Sven-e2e-Passwort-1', role: 'supervisor' as const };
const AGENT = { username: 'anna', password: 'Anna-e2e-Passwort-1', role: 'agent' as const, languages: ['de', 'en'] };
const MAILS = [
  { from: '"Jürgen Weiß" <juergen@kunden.example>', subject: 'Rückfrage zur Bestellung 4711', text: 'Guten Tag,\nwo bleibt meine Lieferung?\n' },
  { from: '"Eva Roth" <eva@kunden.example>', subject: 'Rechnung doppelt erhalten', text: 'Hallo,\nich habe die Rechnung zweimal bekommen.\n' },
];

let rt: ConsoleRuntime;
let browser: Browser | undefined;
let page: Page;
let skipReason: string | undefined;
/** The interaction the supervisor assigned and released. */
let assignedId = 'i-none';

beforeAll(async () => {
  skipReason = browserMissing();
  if (skipReason) return;
  rt = await startConsoleRuntime();
  skipReason = (await rt.consoleMissing()) ?? (await addUser(rt, SUPERVISOR)) ?? (await addUser(rt, AGENT));
  if (skipReason) return;
  browser = await launchBrowser();
  for (const mail of MAILS) await sendMail(rt.runtime.smtp.port, { ...mail, to: rt.supportAddress });
  await eventually(async () => {
    const { queues } = await rt.json<{ queues: { queueId: string; interactions: unknown[] }[] }>('queue', 'list');
    if ((queues.find((q) => q.queueId === 'default')?.interactions.length ?? 0) < MAILS.length) throw new Error('the mails are not waiting yet');
    return true;
  }, { what: 'both mails waiting in default' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** The bearer token the console in `p` sends: read from its API calls as the page reloads (GET /me). */
async function bearerOf(p: Page): Promise<string> {
  const request = p.waitForRequest((r) => r.url().startsWith(rt.runtime.apiUrl) && r.headers().authorization !== undefined);
  await p.reload();
  return (await request).headers().authorization!;
}

/** Opens `#/<path>` in `p` as its user, expecting the console to refuse it. */
async function openRefused(p: Page, path: string): Promise<void> {
  await p.goto(`${rt.consoleUrl}#/${path}`);
  await p.getByText('Your role may not open this page.').waitFor();
}

/** What the API answers `method path` with `authorization`: the status and the error's code and reason. */
async function apiAs(authorization: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${rt.runtime.apiUrl}${path}`, {
    method,
    headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { code?: string; reason?: string } };
  return { status: res.status, code: json.error?.code, reason: json.error?.reason };
}

/** The interaction as the API has it now. */
async function interaction(id: string) {
  return (await rt.json<{ interaction: { state: string; agentId?: string } }>('interaction', 'show', id)).interaction;
}

describe('supervisor view in the browser', () => {
  it('shows the live queue and assigns a waiting interaction to a named agent', async (ctx) => {
    if (skipReason || !browser) return ctx.skip(skipReason);
    page = await signIn(await newContext(browser), rt.consoleUrl, SUPERVISOR.username, SUPERVISOR.password);
    await openPage(page, rt.consoleUrl, 'supervisor/queues');
    await page.getByRole('heading', { name: 'Live queues', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: /Default/ }).first();
    await expect.poll(async () => (await row.getByRole('cell').nth(1).textContent()) ?? '', { timeout: 15_000 }).toBe(String(MAILS.length));
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Show waiting in Default' }).click();
    await page.getByRole('table', { name: /Waiting in Default/ }).waitFor();
    await page.getByRole('button', { name: `Assign… ${MAILS[0]!.subject}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Agent').selectOption(AGENT.username);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByText(`Assigned to ${AGENT.username}.`).waitFor();

    const { interactions } = await rt.json<{ interactions: { id: string; message: { subject: string } }[] }>('agent', 'interactions', AGENT.username);
    expect(interactions.map((i) => i.message.subject)).toEqual([MAILS[0]!.subject]);
    assignedId = interactions[0]!.id;
    expect(await interaction(interactions[0]!.id)).toMatchObject({ state: 'claimed', agentId: AGENT.username });
    await page.getByRole('table', { name: 'Claimed per agent' }).getByText(MAILS[0]!.subject).waitFor();
  });

  it('force-releases the interaction from the agent: it waits again with nobody holding it', async (ctx) => {
    if (skipReason || !page) return ctx.skip(skipReason ?? 'the supervisor did not sign in');
    // The console's own alert dialog asks (no browser dialog: Playwright would dismiss one unseen).
    const button = page.getByRole('button', { name: `Force release: ${MAILS[0]!.subject} (${AGENT.username})` });
    await button.click();
    const ask = page.getByRole('alertdialog', { name: 'Force release' });
    await ask.getByText(`Release “${MAILS[0]!.subject}” from ${AGENT.username}?`).waitFor();
    // Focus moved into the dialog, onto Cancel (strings: the tests compile without the DOM's types).
    expect(await page.evaluate<string | null>("document.activeElement?.closest('[role=alertdialog]') ? document.activeElement.textContent : null")).toBe('Cancel');
    expect(await seriousViolations(page)).toEqual([]);
    // Escape cancels and gives focus back to the button; nothing was released.
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'hidden' });
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.getAttribute("aria-label") ?? null')).toBe(`Force release: ${MAILS[0]!.subject} (${AGENT.username})`);
    expect(await interaction(assignedId)).toMatchObject({ state: 'claimed', agentId: AGENT.username });
    await button.click();
    await ask.getByRole('button', { name: 'Force release' }).click();
    await page.getByText(`Released from ${AGENT.username}.`).waitFor();
    const released = await interaction(assignedId);
    expect(released.state).toBe('waiting');
    expect(released.agentId).toBeUndefined();
    expect((await rt.json<{ interactions: unknown[] }>('agent', 'interactions', AGENT.username)).interactions).toEqual([]);
  });

  it('has no serious accessibility violation on search, quarantine, disposed mail and dead letters', async (ctx) => {
    if (skipReason || !page) return ctx.skip(skipReason ?? 'the supervisor did not sign in');
    await openPage(page, rt.consoleUrl, 'supervisor/search');
    await page.getByLabel('Sender address, subject words or reference token').fill('juergen@kunden.example');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('table', { name: 'Search results' }).getByText(MAILS[0]!.subject).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    for (const [path, title] of [['supervisor/quarantine', 'Quarantine'], ['supervisor/disposed', 'Disposed mail'], ['supervisor/dead-letters', 'Dead letters']] as const) {
      await openPage(page, rt.consoleUrl, path);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });

  it('refuses the supervisor the admin pages: not in the menu, "not allowed" when opened, 403 from the API', async (ctx) => {
    if (skipReason || !page) return ctx.skip(skipReason ?? 'the supervisor did not sign in');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Live queues' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Mail servers' }).count()).toBe(0);
    const token = await bearerOf(page);
    await openRefused(page, 'admin/servers');
    expect(await apiAs(token, 'GET', '/servers')).toMatchObject({ status: 403, code: 'forbidden', reason: 'auth.role-required' });
    expect(await apiAs(token, 'POST', '/queues', { id: 'sneaky', name: 'Sneaky' })).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('refuses an agent the supervisor view: not in the menu, "not allowed" when opened, 403 from the API', async (ctx) => {
    if (skipReason || !browser) return ctx.skip(skipReason);
    const agentPage = await signIn(await newContext(browser), rt.consoleUrl, AGENT.username, AGENT.password);
    const nav = agentPage.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Workspace' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Live queues' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Mail servers' }).count()).toBe(0);
    const token = await bearerOf(agentPage);
    await openRefused(agentPage, 'supervisor/queues');
    expect(await seriousViolations(agentPage)).toEqual([]);
    expect(await apiAs(token, 'GET', '/quarantine')).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await apiAs(token, 'GET', '/agents')).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await apiAs(token, 'POST', `/interactions/${assignedId}/assign`, { agentId: AGENT.username })).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await apiAs(token, 'GET', '/servers')).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
