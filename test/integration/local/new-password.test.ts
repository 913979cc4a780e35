/**
 * The local issuer keeps Cognito's promise about temporary passwords, over HTTP on the runtime's
 * server: a sign-in with a generated (or reset) password shows the "choose a new password" step and
 * issues no code until a password that follows the pool's policy (contract/console.ts) is chosen;
 * refusals are said at their field; an expired temporary password is refused with words sending the
 * user to an admin; the lockout of failed sign-ins holds for both steps; a foreign origin is refused;
 * no password reaches the logs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userPk } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { startApiServer, type ApiServer } from '../../../lambdas/local/api-server.ts';
import { createLocalSite, type LocalSite } from '../../../lambdas/local/local-site.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { pkcePair } from '../../support/pkce.ts';

let dynalite: Dynalite;
let tables: Tables;
let dataDir: string;
let site: LocalSite;
let server: ApiServer;
const logs: string[] = [];
const secrets: string[] = [];
const NEW_PASSWORD = 'Neues-Passwort-2026';

beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'new-password');
  dataDir = await mkdtemp(join(tmpdir(), 'postroom-new-password-'));
  site = await createLocalSite({ dataDir, doc: tables.doc, configTable: tables.config, log: (line) => logs.push(line) });
  server = await startApiServer(site, 0);
  site.issuer.listen(server.url, server.origins);
});

afterAll(async () => {
  await server?.stop();
  await site?.stop();
  tables?.destroy();
  await dynalite?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const consoleUrl = () => `${server.url}/console/`;
const pkce = pkcePair;
const authorizeFields = (challenge: string) => ({ response_type: 'code', client_id: 'postroom-console', redirect_uri: consoleUrl(), code_challenge: challenge, code_challenge_method: 'S256', state: 'st-9' });
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), headers: { origin: server.url, ...headers } });

/** A new user with a generated temporary password (remembered, to check the logs never show it). */
async function invited(username: string): Promise<string> {
  const { temporaryPassword } = await site.issuer.users.create({ username, role: 'agent' });
  secrets.push(temporaryPassword!);
  return temporaryPassword!;
}

/** The sign-in form's post; its page, status, redirect and (on the new-password step) the session. */
async function signIn(username: string, password: string, challenge = pkce().challenge, headers: Record<string, string> = {}) {
  const res = await post('/auth/authorize', { ...authorizeFields(challenge), username, password }, headers);
  const html = await res.text();
  return { status: res.status, html, location: res.headers.get('location'), session: /name="session" value="([\w-]+)"/.exec(html)?.[1] };
}

/** The new-password form's post. */
async function choose(session: string, password: string, confirm = password, headers: Record<string, string> = {}) {
  secrets.push(password);
  const res = await post('/auth/new-password', { session, new_password: password, confirm_password: confirm }, headers);
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
}

const exchange = async (code: string, verifier: string) => {
  const res = await post('/auth/token', { client_id: 'postroom-console', grant_type: 'authorization_code', code, redirect_uri: consoleUrl(), code_verifier: verifier });
  return (await res.json()) as Record<string, string>;
};

describe('the new-password step', () => {
  it('follows a temporary password, and issues the code only once an acceptable new password is chosen', async () => {
    const temporary = await invited('nina');
    expect((await site.issuer.users.get('nina'))?.status).toBe('FORCE_CHANGE_PASSWORD');
    const { verifier, challenge } = pkce();
    const step = await signIn('nina', temporary, challenge, { 'accept-language': 'de-DE' });
    expect([step.status, step.location]).toEqual([200, null]);
    expect(step.html).toContain('<html lang="de">');
    expect(step.html).toContain('<h1>Neues Passwort wählen</h1>');
    expect(step.html).toContain('<form method="post" action="new-password">');
    expect(step.html).toContain('Mindestens 12 Zeichen');
    expect(step.html).toMatch(/<input id="new_password" name="new_password" type="password" autocomplete="new-password" required aria-describedby="new_password-hint" autofocus>/);

    // A browser sends its Accept-Language with each post: the step stays in German.
    const de = { 'accept-language': 'de-DE' };
    const weak = await choose(step.session!, 'kurz1!', 'kurz1!', de);
    expect([weak.status, weak.location]).toEqual([400, null]);
    expect(weak.html).toMatch(/id="new_password"[^>]*aria-invalid="true" aria-describedby="new_password-hint new_password-error"/);
    expect(weak.html).toMatch(/<p id="new_password-error" class="field-error" role="alert">Das Passwort muss mindestens 12 Zeichen haben\. Das Passwort braucht einen Großbuchstaben \(A-Z\)\.<\/p>/);
    const mismatch = await choose(step.session!, NEW_PASSWORD, `${NEW_PASSWORD}x`, de);
    expect(mismatch.html).toMatch(/id="confirm_password"[^>]*aria-invalid="true" aria-describedby="confirm_password-error"/);
    expect(mismatch.html).not.toMatch(/id="new_password"[^>]*aria-invalid/);
    expect((await choose(step.session!, temporary, temporary, de)).html).toContain('Wählen Sie ein anderes Passwort als das vorläufige.');

    const done = await choose(step.session!, NEW_PASSWORD);
    expect(done.status).toBe(303);
    const redirect = new URL(done.location!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(consoleUrl());
    expect(redirect.searchParams.get('state')).toBe('st-9');
    expect(await exchange(redirect.searchParams.get('code')!, verifier)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    expect((await site.issuer.users.get('nina'))?.status).toBe('CONFIRMED');

    // Spent: the session cannot set a password twice; the temporary password is gone; the new one signs in directly.
    expect((await choose(step.session!, 'Noch-ein-Passwort-3', 'Noch-ein-Passwort-3', de)).html).toContain('Dieser Schritt ist abgelaufen');
    expect((await signIn('nina', temporary)).status).toBe(401);
    expect((await signIn('nina', NEW_PASSWORD)).status).toBe(303);
  });

  it('refuses an unknown session, a post from another origin, and ends a session after 5 refusals', async () => {
    const temporary = await invited('omar');
    expect((await choose('not-a-session', NEW_PASSWORD)).html).toContain('This step has expired. Open the console again and sign in with your temporary password.');
    const { session } = await signIn('omar', temporary);
    expect((await choose(session!, NEW_PASSWORD, NEW_PASSWORD, { origin: 'http://evil.test' })).status).toBe(403);
    for (let n = 0; n < 5; n++) expect((await choose(session!, `weak-${n}`)).status).toBe(400);
    expect((await choose(session!, NEW_PASSWORD)).html).toContain('This step has expired');
    expect((await site.issuer.users.get('omar'))?.status).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('keeps the lockout of failed sign-ins for both steps', async () => {
    const temporary = await invited('pia');
    const { session } = await signIn('pia', temporary);
    for (let n = 0; n < 5; n++) expect((await signIn('pia', `guess-${n}-Password!`)).status).toBe(401);
    const locked = await signIn('pia', temporary);
    expect(locked.status).toBe(429);
    expect(locked.html).toContain('Too many failed sign-ins for this user.');
    const step = await choose(session!, NEW_PASSWORD);
    expect([step.status, step.location]).toEqual([429, null]);
    expect((await site.issuer.users.get('pia'))?.status).toBe('FORCE_CHANGE_PASSWORD');
  });
});

describe('expiry and reset', () => {
  it('refuses an expired temporary password, telling only its holder to ask an admin; a reset makes a new one', async () => {
    const temporary = await invited('quinn');
    await tables.doc.send(new UpdateCommand({ TableName: tables.config, Key: { pk: userPk('quinn') }, UpdateExpression: 'SET temporaryPasswordExpiresAt = :past', ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() } }));
    const expired = await signIn('quinn', temporary, pkce().challenge, { 'accept-language': 'ja' });
    expect([expired.status, expired.location, expired.session]).toEqual([401, null, undefined]);
    expect(expired.html).toContain('仮パスワードの有効期限が切れています。管理者にパスワードのリセットを依頼してください。');
    const wrong = await signIn('quinn', 'Not-the-password-1');
    expect(wrong.html).toContain('The username or password is not correct.');
    expect(wrong.html).not.toContain('expired');

    const reset = await site.issuer.users.resetPassword('quinn');
    secrets.push(reset!.temporaryPassword!);
    expect(reset!.user.status).toBe('FORCE_CHANGE_PASSWORD');
    expect((await signIn('quinn', temporary)).status).toBe(401);
    const step = await signIn('quinn', reset!.temporaryPassword!);
    expect(step.session).toBeDefined();
    expect((await choose(step.session!, NEW_PASSWORD)).status).toBe(303);
  });

  it('a reset ends the sessions of the old password (its refresh tokens)', async () => {
    await site.issuer.users.create({ username: 'rosa', role: 'agent', password: 'Rosa-password-1' });
    const { verifier, challenge } = pkce();
    const code = new URL((await signIn('rosa', 'Rosa-password-1', challenge)).location!).searchParams.get('code')!;
    const tokens = await exchange(code, verifier);
    await site.issuer.users.resetPassword('rosa');
    const refreshed = await post('/auth/token', { client_id: 'postroom-console', grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(await refreshed.json()).toEqual({ error: 'invalid_grant' });
  });

  it('never logged a password', () => {
    expect(logs.join('\n')).toContain('sign-in: nina must choose a new password');
    expect(logs.join('\n')).toContain('sign-in: nina chose a new password');
    for (const secret of [...secrets, 'Rosa-password-1']) expect(logs.join('\n')).not.toContain(secret);
  });
});
