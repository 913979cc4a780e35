/**
 * The admin pages in a real browser (issue 12 items 4 and 7): an admin signs in, sees every admin
 * page in the menu, and axe-core finds no serious or critical violation on any of them. The admin
 * adds an IMAP server that cannot be reached: the form says "connection failed: <reason>" and
 * keeps every setting; "Save inactive" stores it, and the list shows its state and last error (as
 * the API has them, read with the CLI). Test connection and duplicate work from the list. A flow's
 * rule problem is shown by its path, and the dry run of the editor's flow against a pasted message
 * shows the outcome and the trail before the flow is saved as version 1.
 * The Users page resets a password (asked first; the new temporary password shown once), and the
 * domain page's DNS check table stays inside a 1280 px window.
 * Screenshot: docs/screenshots/mail-servers.png.
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSuite } from './support/console-suite.ts';
import { seriousViolations } from './support/axe.ts';
import { newContext } from './support/browser.ts';
import { openPage, signIn } from './support/console-session.ts';
import { expectOneRow } from './support/header-layout.ts';
import { addUser } from './support/runtime.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');
const ADMIN = { username: 'ada', password: 'Ada-e2e-Passwort-1', role: 'admin' as const };
const SERVER_NAME = 'Kundenpostfach Köln ✉';

/** Every admin page with its heading. */
const ADMIN_PAGES = [
  ['admin/domains', 'E-mail domains'],
  ['admin/addresses', 'E-mail addresses'],
  ['admin/queues', 'Queues'],
  ['admin/agents', 'Agents'],
  ['admin/users', 'Users'],
  ['admin/flows', 'Flows'],
  ['admin/flows/new', 'New flow'],
  ['admin/templates', 'Templates'],
  ['admin/servers', 'Mail servers'],
  ['admin/smtp', 'SMTP integrations'],
  ['admin/suppressions', 'Suppressions'],
] as const;

let page: Page;
/** The one browser API the checks read in the page (this project's types have no DOM library). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { readonly textDecorationLine: string };
}

/** A loopback port nothing listens on (bound, then closed): a connection to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

const suite = consoleSuite([ADMIN]);

describe('admin pages in the browser', () => {
  it('lists every admin page in the menu; none has a serious accessibility violation', async (ctx) => {
    if (suite.skipReason || !suite.browser) return ctx.skip(suite.skipReason);
    page = await signIn(await newContext(suite.browser), suite.rt.consoleUrl, ADMIN.username, ADMIN.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expectOneRow(page);
    for (const [group, names] of [
      ['Administration', ['E-mail domains', 'E-mail addresses', 'Queues', 'Agents', 'Users', 'Flows', 'Templates', 'Mail servers', 'SMTP integrations', 'Suppressions']],
      ['Supervisor', ['Live queues']],
    ] as const) {
      const toggle = nav.getByRole('button', { name: group, exact: true });
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      for (const name of names) await nav.getByRole('link', { name, exact: true }).waitFor();
      expect(await seriousViolations(page), `${group} menu open`).toEqual([]);
      await page.keyboard.press('Escape');
      await nav.getByRole('link', { name: names[0], exact: true }).waitFor({ state: 'hidden' });
      expect(await page.evaluate('document.activeElement?.getAttribute("aria-controls") ?? null'), 'Escape gives the focus back to the button').toBe(await toggle.getAttribute('aria-controls'));
    }
    await nav.getByRole('button', { name: 'Administration', exact: true }).click();
    await nav.getByRole('link', { name: 'Mail servers', exact: true }).click();
    await page.getByRole('heading', { name: 'Mail servers', level: 1 }).waitFor();
    await nav.getByRole('link', { name: 'Mail servers', exact: true }).waitFor({ state: 'hidden' });
    for (const [path, title] of ADMIN_PAGES) {
      await openPage(page, suite.rt.consoleUrl, path);
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      await page.locator('[role=status].spinner').waitFor({ state: 'detached' });
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await openPage(page, suite.rt.consoleUrl, `admin/domains/${suite.rt.domain}`);
    await page.getByRole('table', { name: 'DNS records to publish' }).waitFor();
    expect(await page.locator('main').innerText(), 'the button, not the CLI').not.toContain('postroom domain check');
    expect(await seriousViolations(page), 'domain page').toEqual([]);
  });

  it('resets a user\'s password from the Users page: asked first, the temporary password shown once', async (ctx) => {
    if (suite.skipReason || !page) return ctx.skip(suite.skipReason ?? 'the admin did not sign in');
    expect(await addUser(suite.rt, { username: 'rita', password: 'Rita-e2e-Passwort-1', role: 'supervisor' })).toBeUndefined();
    await openPage(page, suite.rt.consoleUrl, 'admin/users');
    await page.getByRole('button', { name: 'Reset password: rita' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reset password' }).click();
    const shown = await page.getByTestId('temporary-password').innerText();
    expect(shown.length).toBeGreaterThan(7);
    expect(await seriousViolations(page), 'temporary password shown').toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    await page.getByTestId('temporary-password').waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /rita/ }).getByText('must change password').waitFor();
  });

  it('keeps the DNS check table inside a 1280 px window: long details wrap', async (ctx) => {
    if (suite.skipReason || !page) return ctx.skip(suite.skipReason ?? 'the admin did not sign in');
    await page.setViewportSize({ width: 1280, height: 800 });
    await openPage(page, suite.rt.consoleUrl, `admin/domains/${suite.rt.domain}`);
    await page.getByRole('button', { name: 'Check now' }).click();
    const table = page.getByRole('table', { name: /What the check found/ });
    await table.waitFor();
    try {
      const box = (await table.boundingBox())!;
      expect(box.x + box.width, 'the table\'s right edge').toBeLessThanOrEqual(1280);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('adds a mail server that cannot be reached: "connection failed: <reason>", the settings kept, saved inactive with its state', async (ctx) => {
    if (suite.skipReason || !page) return ctx.skip(suite.skipReason ?? 'the admin did not sign in');
    const port = await closedPort();
    await openPage(page, suite.rt.consoleUrl, 'admin/servers');
    // A link styled as a button looks like the buttons beside it: no link underline.
    expect(await page.getByRole('link', { name: 'Add', exact: true }).evaluate((a) => (globalThis as unknown as BrowserWindow).getComputedStyle(a).textDecorationLine)).toBe('none');
    await page.getByRole('link', { name: 'Add', exact: true }).click();
    await page.getByRole('heading', { name: 'New mail server', level: 1 }).waitFor();
    await page.getByLabel('Server type').selectOption('imap');
    await page.getByLabel('Name', { exact: true }).fill(SERVER_NAME);
    await page.getByText(`${[...SERVER_NAME].length} / 200 characters`).waitFor();
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(port));
    await page.getByLabel('TLS', { exact: true }).uncheck();
    await page.getByLabel('User').fill(suite.rt.supportAddress);
    await page.getByLabel('Password').fill('Postfach-Kennwort-1');
    await page.getByLabel('Routing plan').selectOption('address');
    await page.getByLabel('Address routing').selectOption(suite.rt.supportAddress);
    await page.getByLabel('Enabled').check();
    expect(await seriousViolations(page), 'server form').toEqual([]);
    await page.getByRole('button', { name: 'Add', exact: true }).click();

    const failed = page.locator('.connection-failed');
    await failed.getByText(/^connection failed: .+/).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(SERVER_NAME);
    expect(await page.getByLabel('Host').inputValue()).toBe('127.0.0.1');
    expect((await suite.rt.json<{ servers: unknown[] }>('server', 'list')).servers).toEqual([]);
    expect(await seriousViolations(page), 'connection failed').toEqual([]);

    await failed.getByRole('button', { name: 'Save inactive' }).click();
    await page.getByRole('heading', { name: 'Mail servers', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(SERVER_NAME) });
    await row.getByText('disabled').waitFor();
    const { servers } = await suite.rt.json<{ servers: { name: string; state: string; enabled: boolean; lastError?: string }[] }>('server', 'list');
    expect(servers).toHaveLength(1);
    expect(servers[0]).toMatchObject({ name: SERVER_NAME, state: 'disabled', enabled: false });
    expect(servers[0]!.lastError).toBeTruthy();
    await row.getByText(servers[0]!.lastError!).waitFor();
  });

  it('tests the connection and duplicates from the list, and shows the list (screenshot)', async (ctx) => {
    if (suite.skipReason || !page) return ctx.skip(suite.skipReason ?? 'the admin did not sign in');
    await page.getByRole('button', { name: `Test connection: ${SERVER_NAME}` }).click();
    await page.locator('.toast-error').getByText(/^connection failed: .+/).waitFor();

    await page.getByRole('button', { name: `Duplicate: ${SERVER_NAME}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Kundenpostfach Bonn');
    await dialog.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('row', { name: /Kundenpostfach Bonn/ }).waitFor();
    expect((await suite.rt.json<{ servers: { name: string }[] }>('server', 'list')).servers.map((s) => s.name).sort()).toEqual(['Kundenpostfach Bonn', SERVER_NAME]);
    expect(await seriousViolations(page), 'server list').toEqual([]);

    // The list itself, without the toasts of the steps before (errors stay until dismissed).
    const dismiss = page.locator('.toast button');
    while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2_000 }).catch(() => undefined);
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'mail-servers.png'), fullPage: true });

    // Deleting asks in the console's alert dialog: Cancel keeps the server, Delete removes it.
    await page.getByRole('button', { name: 'Delete: Kundenpostfach Bonn' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Delete' });
    await ask.getByText('Delete mail server Kundenpostfach Bonn?', { exact: false }).waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect((await suite.rt.json<{ servers: unknown[] }>('server', 'list')).servers).toHaveLength(2);
    await page.getByRole('button', { name: 'Delete: Kundenpostfach Bonn' }).click();
    await ask.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('row', { name: /Kundenpostfach Bonn/ }).waitFor({ state: 'detached' });
    expect((await suite.rt.json<{ servers: { name: string }[] }>('server', 'list')).servers.map((s) => s.name)).toEqual([SERVER_NAME]);
  });

  it('edits a flow: a rule problem is shown by its path; the dry run shows outcome and trail; saving makes version 1', async (ctx) => {
    if (suite.skipReason || !page) return ctx.skip(suite.skipReason ?? 'the admin did not sign in');
    await openPage(page, suite.rt.consoleUrl, 'admin/flows/new');
    await page.getByLabel('Id').fill('triage');
    await page.getByLabel('Name', { exact: true }).fill('Triage');
    const rules = page.getByLabel('Rules (JSON)');
    await rules.fill(JSON.stringify([{ name: 'all', when: [], then: [{ type: 'setQueue', queueId: 'nowhere' }] }]));
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByText('Problems in the rules:').waitFor();
    await page.locator('code', { hasText: 'rules[0].then[0].queueId' }).waitFor();
    expect(await rules.inputValue()).toContain('nowhere');
    expect(await seriousViolations(page), 'flow editor with problems').toEqual([]);

    await rules.fill(JSON.stringify([{ name: 'all', when: [], then: [{ type: 'setQueue', queueId: 'default' }, { type: 'setPriority', priority: 7 }] }]));
    const raw = [`From: Jürgen <juergen@kunden.example>`, `To: ${suite.rt.supportAddress}`, 'Subject: Probelauf', 'Message-ID: <dry-1@kunden.example>', '', 'Hallo'].join('\r\n');
    await page.getByLabel('Message text').fill(raw);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const trail = page.getByRole('table', { name: 'The trail routing would write' });
    await trail.waitFor();
    expect(await trail.getByRole('row').count()).toBeGreaterThan(1);
    await page.locator('dl.facts dd', { hasText: /^7$/ }).waitFor();
    await page.locator('dl.facts dt', { hasText: /^Where it goes$/ }).waitFor();
    await page.locator('dl.facts dd', { hasText: /^Into a queue$/ }).waitFor();
    expect(await seriousViolations(page), 'dry run').toEqual([]);
    expect((await suite.rt.postroom('flow', 'list')).out).not.toContain('triage');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('heading', { name: 'Flow triage', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Versions, newest first' }).getByRole('cell', { name: 'Triage' }).waitFor();
  });
});

describe('SMTP integrations in the browser', () => {
  it('shows an SMTP server disabled after a failed connection test as disabled, with the test\'s words, never "valid"', async (ctx) => {
    if (suite.skipReason || !page) return ctx.skip(suite.skipReason ?? 'the admin did not sign in');
    const port = await closedPort();
    await openPage(page, suite.rt.consoleUrl, 'admin/servers/new');
    await page.getByLabel('Server type').selectOption('smtp');
    await page.getByLabel('Name', { exact: true }).fill('Versand Köln');
    await page.getByLabel('Host').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(port));
    await page.getByLabel('TLS', { exact: true }).uncheck();
    await page.getByLabel('User').fill(`out@${suite.rt.domain}`);
    await page.getByLabel('Password').fill('Versand-Kennwort-1');
    await page.getByLabel('Enabled').check();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('.connection-failed').getByRole('button', { name: 'Save inactive' }).click();
    await page.getByRole('heading', { name: 'Mail servers', level: 1 }).waitFor();
    const { servers } = await suite.rt.json<{ servers: { name: string; state: string; lastError?: string }[] }>('server', 'list');
    const server = servers.find((s) => s.name === 'Versand Köln')!;
    expect(server).toMatchObject({ state: 'disabled' });

    await openPage(page, suite.rt.consoleUrl, 'admin/smtp');
    const row = page.getByRole('row', { name: /Versand Köln/ });
    await row.getByText('disabled: sends are refused').waitFor();
    await row.getByText(`Last connection test failed: ${server.lastError}`).waitFor();
    expect(await row.innerText()).not.toMatch(/\bvalid\b/);
    expect(await seriousViolations(page), 'smtp page').toEqual([]);
  });
});
