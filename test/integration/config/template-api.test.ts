/**
 * The template routes of the HTTP API over real stores on dynalite: create and replace, field-level
 * 400s, 404s, flows refused for an unknown template, and 409 on deleting a template a flow names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { at, testClock } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';

const ackEn = { name: 'English', subject: 'We got it: {{subject}} [{{reference}}]', body: 'Hello {{from.name}},\n\nthanks.\n' };
const acking = (templateId: string) => ({ name: 'Ack', rules: [{ when: [], then: [{ type: 'autoAcknowledge', templateId }] }] });

describe('template routes on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let app: Hono;
  const clock = testClock(at(10));

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'template-api');
    app = dynamoApiApp(tables, { now: clock.now, domains: ['support.example.com'] });
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);

  it('creates a template (201), replaces it (200) keeping createdAt, and serves it', async () => {
    const created = await call('PUT', '/templates/ack-en', ackEn);
    clock.set(at(11));
    const replaced = await call('PUT', '/templates/ack-en', { ...ackEn, body: 'Hi {{from.name}}' });
    expect([created.status, replaced.status]).toEqual([201, 200]);
    const expected = { id: 'ack-en', ...ackEn, body: 'Hi {{from.name}}', createdAt: at(10).toISOString(), updatedAt: at(11).toISOString() };
    expect(replaced.body.template).toEqual(expected);
    expect((await call('GET', '/templates/ack-en')).body.template).toEqual(expected);
    expect((await call('GET', '/templates')).body.templates).toEqual([expected]);
  });

  it('answers 400 with one message per field, from the schema and from the rules', async () => {
    const shape = await call('PUT', '/templates/bad', { name: 'Bad', subject: 7, extra: true });
    expect(shape.status).toBe(400);
    expect(shape.body.error.fields).toEqual({ subject: 'must be a string', body: 'is required', extra: 'is not allowed' });
    const rules = await call('PUT', '/templates/bad', { name: '', subject: 'Re: {{subject}}\nBcc: x@y.test', body: 'Dear {{customer}}' });
    expect(rules.body.error.fields).toEqual({ name: 'must be 1-200 characters', subject: 'must be one line', body: 'unknown placeholder {{customer}}' });
    // The subject becomes a header (issue 11 item 6): NUL and other controls are refused too.
    const nul = await call('PUT', '/templates/bad', { name: 'Bad', subject: 'Danke\u0000{{subject}}', body: 'x' });
    expect(nul.body.error.fields).toEqual({ subject: 'must be one line without control characters (found U+0000 at position 6)' });
    expect(Object.keys((await call('PUT', '/templates/has space', ackEn)).body.error.fields)).toEqual(['id']);
    expect((await call('GET', '/templates/bad')).status).toBe(404);
  });

  it('answers 404 for a template that does not exist', async () => {
    expect(await call('GET', '/templates/nope')).toEqual({ status: 404, body: { error: { code: 'not-found', reason: 'template.not-found', message: 'template nope not found' } } });
    expect((await call('DELETE', '/templates/nope')).status).toBe(404);
  });

  it('refuses a flow naming an unknown template, with the field path', async () => {
    const res = await call('PUT', '/flows/ack', acking('ack-xx'));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ 'rules[0].then[0].templateId': 'template ack-xx does not exist' });
  });

  it('refuses to delete a template the current version of a flow names (409), and deletes it after', async () => {
    expect((await call('PUT', '/flows/ack', acking('ack-en'))).status).toBe(201);
    const inUse = await call('DELETE', '/templates/ack-en');
    expect(inUse).toEqual({ status: 409, body: { error: { code: 'template-in-use', reason: 'template.in-use', message: 'template ack-en is in use by flow ack' } } });
    await call('PUT', '/flows/ack', { name: 'Ack', rules: [{ when: [], then: [{ type: 'autoAcknowledge', subject: 'Hi', body: 'Hello' }] }] });
    expect((await call('DELETE', '/templates/ack-en')).status).toBe(204);
    expect((await call('GET', '/templates/ack-en')).status).toBe(404);
  });
});
