import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesRuleSets } from '../../../../lambdas/adapters/aws/ses-rule-sets.ts';

/** What the fake SES endpoint received, and what it answers next. */
const seen: { body: string; authorization: string }[] = [];
let answer = { status: 200, body: '' };
let server: Server;
let ses: SesRuleSets;

const ctx = {
  credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
  region: async () => 'eu-west-1',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ body, authorization: String(req.headers.authorization) });
      res.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  ses = new SesRuleSets(ctx, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('SesRuleSets (SES Query API, signed)', () => {
  it('reads the active set name from Metadata, not a rule name', async () => {
    // Prepare
    answer = {
      status: 200,
      body:
        '<DescribeActiveReceiptRuleSetResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><DescribeActiveReceiptRuleSetResult>' +
        '<Metadata><Name>admin-rules</Name><CreatedTimestamp>2026-01-01T00:00:00Z</CreatedTimestamp></Metadata>' +
        '<Rules><member><Name>forward</Name></member></Rules></DescribeActiveReceiptRuleSetResult></DescribeActiveReceiptRuleSetResponse>',
    };
    // Act
    const name = await ses.activeName();
    // Assess
    expect(name).toBe('admin-rules');
    expect(seen.at(-1)?.body).toBe('Action=DescribeActiveReceiptRuleSet&Version=2010-12-01');
    expect(seen.at(-1)?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ses\/aws4_request/);
  });

  it('reads no active set when SES answers without Metadata', async () => {
    // Prepare
    answer = { status: 200, body: '<DescribeActiveReceiptRuleSetResponse><DescribeActiveReceiptRuleSetResult/></DescribeActiveReceiptRuleSetResponse>' };
    // Act + Assess
    expect(await ses.activeName()).toBeUndefined();
  });

  it('activates a set by name, and deactivates without one', async () => {
    // Prepare
    answer = { status: 200, body: '<SetActiveReceiptRuleSetResponse/>' };
    // Act
    await ses.setActive('Postroom-Inbound-1A2B');
    await ses.setActive();
    // Assess
    expect(seen.slice(-2).map((s) => s.body)).toEqual([
      'Action=SetActiveReceiptRuleSet&Version=2010-12-01&RuleSetName=Postroom-Inbound-1A2B',
      'Action=SetActiveReceiptRuleSet&Version=2010-12-01',
    ]);
  });

  it('throws the service error code of a refusal', async () => {
    // Prepare
    answer = { status: 403, body: '<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>' };
    // Act + Assess
    await expect(ses.activeName()).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});
