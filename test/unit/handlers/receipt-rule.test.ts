/**
 * The receipt rule resource's handler with a mocked SES v1 client and a stubbed domain store: a
 * create gives the new rule the stored domains, an update keeps what the registry set, a delete
 * removes only the rule the resource names.
 */
import {
  CreateReceiptRuleCommand,
  DeleteReceiptRuleCommand,
  DescribeReceiptRuleCommand,
  RuleDoesNotExistException,
  SESClient,
  UpdateReceiptRuleCommand,
  type ReceiptRule,
} from '@aws-sdk/client-ses';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const stored = { names: [] as string[] };
vi.mock('../../../lambdas/adapters/dynamodb/domain-store.ts', () => ({
  DynamoDomainStore: class {
    async list() {
      return stored.names.map((name) => ({ name }));
    }
  },
}));
process.env.CONFIG_TABLE = 'config';
const ses = mockClient(SESClient);
const { handler } = await import('../../../lambdas/handlers/receipt-rule.ts');

let rule: ReceiptRule | undefined;
let deleted: string[];

const properties = {
  ServiceToken: 'arn',
  RuleSetName: 'set',
  RuleName: 'rule',
  BucketName: 'bucket',
  ObjectKeyPrefix: 'inbound/',
  TopicArn: 'arn:aws:sns:eu-west-1:111111111111:t',
  TlsPolicy: 'Require',
  ScanEnabled: 'true',
};

function event(RequestType: 'Create' | 'Update' | 'Delete', props: Record<string, string> = properties, PhysicalResourceId = 'set/rule'): CloudFormationCustomResourceEvent {
  return { RequestType, ResourceProperties: props, PhysicalResourceId } as unknown as CloudFormationCustomResourceEvent;
}

beforeEach(() => {
  ses.reset();
  rule = undefined;
  deleted = [];
  stored.names = [];
  ses.on(DescribeReceiptRuleCommand).callsFake(() => {
    if (!rule) throw new RuleDoesNotExistException({ message: 'missing', $metadata: { httpStatusCode: 400 } });
    return { Rule: structuredClone(rule) };
  });
  ses.on(CreateReceiptRuleCommand).callsFake((input: { Rule: ReceiptRule }) => void (rule = input.Rule));
  ses.on(UpdateReceiptRuleCommand).callsFake((input: { Rule: ReceiptRule }) => void (rule = input.Rule));
  ses.on(DeleteReceiptRuleCommand).callsFake((input: { RuleSetName: string; RuleName: string }) => {
    deleted.push(`${input.RuleSetName}/${input.RuleName}`);
    rule = undefined;
  });
});

describe('receipt rule resource handler', () => {
  it('creates the rule for the stored domains and names it as the physical id', async () => {
    stored.names = ['support.acme.com'];
    const result = await handler(event('Create'));
    expect(result).toEqual({ PhysicalResourceId: 'set/rule' });
    expect(rule).toMatchObject({ Name: 'rule', Enabled: true, Recipients: ['support.acme.com'], TlsPolicy: 'Require', ScanEnabled: true });
  });

  it('keeps the recipients the registry set when a deploy changes the shape', async () => {
    // Prepare: created with none, then an admin added a domain through the API
    await handler(event('Create'));
    rule = { ...rule!, Recipients: ['api.acme.com'], Enabled: true };
    // Act
    await handler(event('Update', { ...properties, TlsPolicy: 'Optional' }));
    // Assess
    expect(rule).toMatchObject({ TlsPolicy: 'Optional', Recipients: ['api.acme.com'], Enabled: true });
  });

  it('deletes the rule it names', async () => {
    await handler(event('Create'));
    await handler(event('Delete'));
    expect(deleted).toEqual(['set/rule']);
  });

  it('after a rename, leaves the new rule alone when deleting the old resource', async () => {
    // CloudFormation's clean-up delete carries the old properties; the old physical id matches them.
    await handler(event('Delete', { ...properties, RuleName: 'old' }, 'set/old'));
    expect(deleted).toEqual(['set/old']);
    await handler(event('Delete', properties, 'set/other'));
    expect(deleted).toEqual(['set/old']);
  });
});
