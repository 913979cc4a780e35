import { Template, Match } from 'aws-cdk-lib/assertions';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BY_BUCKET_INDEX, INTERACTIONS_KEY, QUEUES_KEY } from '../../contract/tables.ts';
import { InteractionTables } from '../../lib/constructs/interaction-tables.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

/**
 * Every DynamoDB action that changes data or the table: item and batch writes, transactions,
 * PartiQL statements (which can write), table and TTL changes, imports and restores.
 */
const WRITE_ACTION =
  /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|PartiQL(Insert|Update|Delete)|ExecuteStatement|BatchExecuteStatement|ExecuteTransaction|(Create|Update|Delete|Restore)\w*|ImportTable|TagResource|UntagResource)$/;

describe('InteractionTables', () => {
  let template: Template;

  beforeAll(() => {
    const stack = newStack();
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'triage', seedTimestamp: new Date('2025-01-02T03:04:05Z') });
    tables.grantRead(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
    tables.grantApiAccess(new Role(stack, 'Writer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
    template = Template.fromStack(stack);
  });

  it('builds the interactions table from schema.ts with the byBucket index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: INTERACTIONS_KEY.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: BY_BUCKET_INDEX.name,
          KeySchema: [
            { AttributeName: BY_BUCKET_INDEX.partitionKey, KeyType: 'HASH' },
            { AttributeName: BY_BUCKET_INDEX.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: BY_BUCKET_INDEX.sortKey, AttributeType: 'N' }]),
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: QUEUES_KEY.partitionKey, KeyType: 'HASH' }],
    });
  });

  it('makes all three tables on-demand, recoverable, encrypted, protected and retained', () => {
    const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(3);
    for (const [, table] of tables) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });

  it('seeds the default queue with a conditional put that tolerates an existing queue', () => {
    const [[, seed]] = resourcesOf(template, 'Custom::AWS') as [[string, { Properties: Record<string, unknown> }]];
    const create = JSON.stringify(seed.Properties.Create);
    expect(create).toContain('\\"action\\":\\"putItem\\"');
    expect(create).toContain('\\"id\\":{\\"S\\":\\"triage\\"}');
    expect(create).toContain('\\"createdAt\\":{\\"S\\":\\"2025-01-02T03:04:05.000Z\\"}');
    expect(create).toContain('\\"ConditionExpression\\":\\"attribute_not_exists(#id)\\"');
    expect(create).toContain('\\"ignoreErrorCodesMatching\\":\\"ConditionalCheckFailedException\\"');
    expect(seed.Properties.Update).toEqual(seed.Properties.Create);
    expect(seed.Properties.Delete).toBeUndefined();
  });

  it('synthesizes the same template at any time, so `cdk diff` shows no change without one', () => {
    // Prepare
    const synthAt = (iso: string) => {
      vi.useFakeTimers({ now: new Date(iso), toFake: ['Date'] });
      try {
        const stack = newStack();
        new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
        return Template.fromStack(stack).toJSON();
      } finally {
        vi.useRealTimers();
      }
    };
    // Act
    const first = synthAt('2026-01-01T00:00:00Z');
    const later = synthAt('2026-06-30T12:34:56Z');
    // Assess
    expect(later).toEqual(first);
  });

  it('lets the seeding call put items into the queues table only', () => {
    const seedPolicies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('TablesSeedDefaultQueue'));
    expect(seedPolicies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TablesQueues/), 'Arn'] } },
    ]);
  });

  it('grants readers no write action, and names the index instead of index/*', () => {
    const readerStatements = roleStatements(template, 'Reader');
    const [reader] = readerStatements;
    expect(reader.Action).not.toEqual(expect.arrayContaining(['dynamodb:PutItem']));
    // every statement the reader has, checked for every way to write (items, batches, transactions,
    // PartiQL, table changes); and no S3, SQS or wildcard action at all (the tables grant none)
    const readerActions = readerStatements.flatMap((s) => [s.Action].flat() as string[]);
    expect(readerActions.filter((action) => WRITE_ACTION.test(action))).toEqual([]);
    expect(readerActions.filter((action) => !action.startsWith('dynamodb:') || action.includes('*'))).toEqual([]);
    expect(reader.Action).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(JSON.stringify(reader.Resource)).toContain(`/index/${BY_BUCKET_INDEX.name}`);
    expect(JSON.stringify(reader.Resource)).not.toContain('*');
    // the same check sees the API's writes, so an empty list above means none, not a blind matcher
    const writerActions = roleStatements(template, 'Writer').flatMap((s) => [s.Action].flat() as string[]);
    expect([...new Set(writerActions.filter((action) => WRITE_ACTION.test(action)))].sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('can turn deletion protection off for throwaway stacks', () => {
    const stack = newStack();
    new InteractionTables(stack, 'Tables', { defaultQueueId: 'default', deletionProtection: false });
    const tables = resourcesOf(Template.fromStack(stack), 'AWS::DynamoDB::Table');
    expect(tables.map(([, t]) => t.Properties.DeletionProtectionEnabled)).toEqual([false, false, false]);
  });

  it('expires operational records of the interactions table through TTL on expiresAt', () => {
    const ttl = resourcesOf(template, 'AWS::DynamoDB::Table').map(([, t]) => t.Properties.TimeToLiveSpecification);
    expect(ttl.filter(Boolean)).toEqual([{ AttributeName: 'expiresAt', Enabled: true }]);
  });

  it('keys the config table on pk', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    });
  });

  it('returns every grant as an iam.Grant holding exactly the statement it added', () => {
    // Prepare
    const stack = newStack();
    const tables = new InteractionTables(stack, 'Tables', { defaultQueueId: 'default' });
    let roles = 0;
    const role = () => new Role(stack, `Grantee${roles++}`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const arn = (table: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as never), 'Arn'] });
    const index = { 'Fn::Join': ['', [arn(tables.interactions), `/index/${BY_BUCKET_INDEX.name}`]] };
    const granted = (grant: Grant) => {
      expect(grant).toBeInstanceOf(Grant);
      expect(grant.success).toBe(true);
      return grant.principalStatements.map((s) => ({ actions: [...s.actions].sort(), resources: stack.resolve(s.resources) }));
    };
    const reads = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
    const all = [arn(tables.interactions), index, arn(tables.queues), arn(tables.config)];

    // Act and Assess
    expect(granted(tables.grantInteractionWrite(role()))).toEqual([
      {
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        resources: [arn(tables.interactions), index],
      },
    ]);
    expect(granted(tables.grantConfigRead(role()))).toEqual([
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: [arn(tables.queues), arn(tables.config)] },
    ]);
    expect(granted(tables.grantIngestStatusRead(role()))).toEqual([{ actions: ['dynamodb:BatchGetItem'], resources: [arn(tables.interactions)] }]);
    expect(granted(tables.grantInteractionRead(role()))).toEqual([{ actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], resources: [arn(tables.interactions)] }]);
    expect(granted(tables.grantRead(role()))).toEqual([{ actions: reads, resources: all }]);
    const writes = ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    expect(granted(tables.grantApiAccess(role()))).toEqual([
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', ...writes].sort(), resources: [arn(tables.interactions)] },
      { actions: ['dynamodb:Query'], resources: [index] },
      { actions: ['dynamodb:GetItem', 'dynamodb:Scan', ...writes].sort(), resources: [arn(tables.queues)] },
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Scan', ...writes].sort(), resources: [arn(tables.config)] },
    ]);
  });
});
