/**
 * The SES receipt rule adapter against a mocked SES v1 client backed by one in-memory rule (no
 * local server exists for SES receipt rules): the shape the stack writes keeps the registry's
 * recipients, the recipients the registry writes keep the stack's shape, an empty list disables
 * the rule, and SES's failures are classified.
 */
import {
  AlreadyExistsException,
  CreateReceiptRuleCommand,
  DeleteReceiptRuleCommand,
  DescribeReceiptRuleCommand,
  RuleDoesNotExistException,
  RuleSetDoesNotExistException,
  SESClient,
  UpdateReceiptRuleCommand,
  type ReceiptRule,
} from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeploymentError, PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';
import {
  MAX_RULE_RECIPIENTS,
  SesReceiptRecipients,
  deleteReceiptRule,
  putReceiptRule,
  type ReceiptRuleShape,
} from '../../../../lambdas/adapters/aws/ses-receipt-rule.ts';

const client = new SESClient({ region: 'eu-west-1' });
const ses = mockClient(client);
const $metadata = { $metadata: { httpStatusCode: 400 } };
const ref = { ruleSetName: 'postroom-set', ruleName: 'postroom-inbound' };
const shape: ReceiptRuleShape = {
  ...ref,
  bucketName: 'mail-bucket',
  objectKeyPrefix: 'inbound/',
  topicArn: 'arn:aws:sns:eu-west-1:111111111111:topic',
  tlsPolicy: 'Require',
  scanEnabled: true,
};

/** The one rule SES holds, changed by the commands as SES would. */
let stored: ReceiptRule | undefined;
let updates: number;

beforeEach(() => {
  ses.reset();
  stored = undefined;
  updates = 0;
  ses.on(DescribeReceiptRuleCommand).callsFake(() => {
    if (!stored) throw new RuleDoesNotExistException({ message: 'Rule does not exist', ...$metadata });
    return { Rule: structuredClone(stored) };
  });
  ses.on(CreateReceiptRuleCommand).callsFake((input: { Rule: ReceiptRule }) => {
    if (stored) throw new AlreadyExistsException({ message: 'exists', ...$metadata });
    stored = structuredClone(input.Rule);
    return {};
  });
  ses.on(UpdateReceiptRuleCommand).callsFake((input: { Rule: ReceiptRule }) => {
    updates += 1;
    stored = structuredClone(input.Rule);
    return {};
  });
  ses.on(DeleteReceiptRuleCommand).callsFake(() => {
    stored = undefined;
    return {};
  });
});

describe('putReceiptRule (the stack side)', () => {
  it('creates the rule with the shape and the stored domains, enabled', async () => {
    // Act
    await putReceiptRule(client, shape, ['support.acme.com']);
    // Assess
    expect(stored).toEqual({
      Name: 'postroom-inbound',
      Enabled: true,
      TlsPolicy: 'Require',
      ScanEnabled: true,
      Recipients: ['support.acme.com'],
      Actions: [{ S3Action: { BucketName: 'mail-bucket', ObjectKeyPrefix: 'inbound/', TopicArn: shape.topicArn } }],
    });
  });

  it('creates a disabled rule when no domain is stored, never an empty list that matches everyone', async () => {
    await putReceiptRule(client, shape, []);
    expect(stored).toMatchObject({ Enabled: false, Recipients: [] });
  });

  it('changes the shape of an existing rule and keeps the recipients and state the registry set', async () => {
    // Prepare: the registry added a domain at runtime
    await putReceiptRule(client, shape, ['support.acme.com']);
    await new SesReceiptRecipients(client, ref).sync(['support.acme.com', 'help.acme.org']);
    // Act: the next deploy changes the TLS policy and declares nothing new
    await putReceiptRule(client, { ...shape, tlsPolicy: 'Optional', objectKeyPrefix: 'mail/' }, ['ignored.acme.com']);
    // Assess
    expect(stored).toMatchObject({ TlsPolicy: 'Optional', Enabled: true, Recipients: ['help.acme.org', 'support.acme.com'] });
    expect(stored!.Actions![0]!.S3Action!.ObjectKeyPrefix).toBe('mail/');
  });

  it('gives the shape to a rule a retried create finds already there', async () => {
    // Prepare: Describe says missing, then the first attempt's rule shows up
    stored = undefined;
    ses.on(DescribeReceiptRuleCommand)
      .rejectsOnce(new RuleDoesNotExistException({ message: 'missing', ...$metadata }))
      .callsFake(() => ({ Rule: structuredClone(stored) }));
    ses.on(CreateReceiptRuleCommand).callsFake(() => {
      stored = { Name: 'postroom-inbound', Enabled: true, Recipients: ['a.acme.com'], TlsPolicy: 'Optional' };
      throw new AlreadyExistsException({ message: 'exists', ...$metadata });
    });
    // Act
    await putReceiptRule(client, shape, []);
    // Assess
    expect(stored).toMatchObject({ TlsPolicy: 'Require', Recipients: ['a.acme.com'], Enabled: true });
  });

  it('reports throttling as transient so CloudFormation retries the deploy step', async () => {
    ses.on(DescribeReceiptRuleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', ...$metadata }));
    await expect(putReceiptRule(client, shape, [])).rejects.toMatchObject({ code: 'receiving-unavailable' });
    await expect(putReceiptRule(client, shape, [])).rejects.toBeInstanceOf(TransientError);
  });

  it('reports a missing rule set as a rejected request naming the set', async () => {
    ses.on(DescribeReceiptRuleCommand).rejects(new RuleSetDoesNotExistException({ message: 'Rule set does not exist: other', ...$metadata }));
    await expect(putReceiptRule(client, shape, [])).rejects.toThrow(/postroom-set\/postroom-inbound/);
  });
});

describe('deleteReceiptRule', () => {
  it('deletes the rule', async () => {
    await putReceiptRule(client, shape, ['support.acme.com']);
    await deleteReceiptRule(client, ref);
    expect(stored).toBeUndefined();
  });

  it('is done when the rule set is gone already', async () => {
    ses.on(DeleteReceiptRuleCommand).rejects(new RuleSetDoesNotExistException({ message: 'gone', ...$metadata }));
    await expect(deleteReceiptRule(client, ref)).resolves.toBeUndefined();
  });
});

describe('SesReceiptRecipients.sync (the registry side)', () => {
  beforeEach(async () => {
    await putReceiptRule(client, shape, []);
    updates = 0;
  });

  it('replaces the recipients, lower-case and sorted, and keeps the shape', async () => {
    await new SesReceiptRecipients(client, ref).sync(['Support.Acme.com', 'help.acme.org', 'support.acme.com']);
    expect(stored).toMatchObject({ Enabled: true, Recipients: ['help.acme.org', 'support.acme.com'], TlsPolicy: 'Require', ScanEnabled: true });
    expect(stored!.Actions).toHaveLength(1);
  });

  it('disables the rule when no domain is left', async () => {
    const port = new SesReceiptRecipients(client, ref);
    await port.sync(['support.acme.com']);
    await port.sync([]);
    expect(stored!.Enabled).toBe(false);
  });

  it('writes nothing when the rule already lists exactly these domains', async () => {
    const port = new SesReceiptRecipients(client, ref);
    await port.sync(['b.acme.com', 'a.acme.com']);
    await port.sync(['a.acme.com', 'b.acme.com']);
    expect(updates).toBe(1);
  });

  it(`refuses more than ${MAX_RULE_RECIPIENTS} domains instead of cutting one off`, async () => {
    const many = Array.from({ length: MAX_RULE_RECIPIENTS + 1 }, (_, i) => `d${i}.acme.com`);
    await expect(new SesReceiptRecipients(client, ref).sync(many)).rejects.toBeInstanceOf(PermanentError);
    expect(stored!.Recipients).toEqual([]);
  });

  it('says the deployment is broken when the rule is missing', async () => {
    stored = undefined;
    const err = await new SesReceiptRecipients(client, ref).sync(['a.acme.com']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeploymentError);
    expect(err).toMatchObject({ code: 'receiving-misconfigured' });
  });

  it('reports a throttled update as transient, so the caller retries', async () => {
    ses.on(UpdateReceiptRuleCommand).rejects(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'ThrottlingException', ...$metadata }));
    await expect(new SesReceiptRecipients(client, ref).sync(['a.acme.com'])).rejects.toMatchObject({ code: 'receiving-unavailable' });
  });
});
