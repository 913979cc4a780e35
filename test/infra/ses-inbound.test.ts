import { Duration } from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECEIPT_RULE_NAME, SesInbound } from '../../lib/constructs/ses-inbound.ts';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('SesInbound', () => {
  let template: Template;
  let ids: { bucket: string; topic: string; key: string; queue: string; dlq: string; ruleSet: string; rule: string; table: string };
  /** The rule's and its set's ARNs, as IAM statements name them. */
  /** What SES's grants must require: this account, and this one receipt rule (SES developer guide). */
  let sesCondition: object;

  beforeAll(() => {
    const stack = newStack();
    const bucket = new Bucket(stack, 'Mail');
    const table = new Table(stack, 'Config', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    const inbound = new SesInbound(stack, 'Inbound', {
      configTable: table,
      mailBucket: bucket,
      consumerTimeout: Duration.seconds(60),
      consumerBatchingWindow: Duration.seconds(2),
      tlsPolicy: TlsPolicy.REQUIRE,
    });
    const api = new PostroomFunction(stack, 'Api', { entry: handlerEntry('api'), description: 'test API' });
    inbound.bindRecipientSync(api);
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = {
      bucket: id(bucket),
      topic: id(inbound.topic as never),
      key: resourcesOf(template, 'AWS::KMS::Key')[0]![0],
      queue: id(inbound.queue as never),
      dlq: id(inbound.deadLetterQueue as never),
      ruleSet: id(inbound.ruleSet),
      rule: id(inbound.rule.resource),
      table: id(table),
    };
    const ruleSetName = resourcesOf(template, 'AWS::SES::ReceiptRuleSet')[0]![1].Properties.RuleSetName as string;
    sesCondition = {
      StringEquals: {
        'aws:SourceAccount': { Ref: 'AWS::AccountId' },
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              `:receipt-rule-set/${ruleSetName}:receipt-rule/${RECEIPT_RULE_NAME}`,
            ],
          ],
        },
      },
    };
  });

  it('names the rule set and the rule, so SES grants can name the rule without a dependency cycle', () => {
    const [, ruleSet] = resourcesOf(template, 'AWS::SES::ReceiptRuleSet')[0]!;
    expect(ruleSet.Properties.RuleSetName).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9]$/);
    template.hasResourceProperties('Custom::PostroomReceiptRule', { RuleName: RECEIPT_RULE_NAME });
  });

  it('declares the rule as a custom resource with its shape (scanning, TLS, the S3 action) and no recipients', () => {
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    const rules = resourcesOf(template, 'Custom::PostroomReceiptRule');
    expect(rules).toHaveLength(1);
    const { ServiceToken, ...properties } = rules[0]![1].Properties;
    expect(ServiceToken).toBeDefined();
    // No Recipients: the domain registry owns them, so a deploy never resets domains added at runtime.
    expect(properties).toEqual({
      RuleSetName: { Ref: ids.ruleSet },
      RuleName: RECEIPT_RULE_NAME,
      BucketName: { Ref: ids.bucket },
      ObjectKeyPrefix: 'inbound/',
      TopicArn: { Ref: ids.topic },
      TlsPolicy: 'Require',
      ScanEnabled: 'true',
    });
  });

  it('lets the rule function manage receipt rules (SES defines no resource type for them) and read the config table, where the domains are', () => {
    const statements = roleStatements(template, 'InboundRuleHandler');
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['ses:CreateReceiptRule', 'ses:DeleteReceiptRule', 'ses:DescribeReceiptRule', 'ses:UpdateReceiptRule'],
          Resource: '*',
        },
      ]),
    );
    expect(JSON.stringify(statements.filter((st) => JSON.stringify(st.Action).includes('dynamodb:')))).toContain(ids.table);
    expect(statements.flatMap((st) => [st.Action].flat()).filter((a: string) => a.startsWith('ses:') && !a.includes('ReceiptRule'))).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Postroom SES receipt rule (deploy time)',
      Environment: { Variables: Match.objectLike({ CONFIG_TABLE: { Ref: ids.table } }) },
    });
  });

  it('binds the recipient sync: describe and update only, and the rule named in the environment', () => {
    expect(roleStatements(template, 'ApiRole')).toEqual(
      expect.arrayContaining([{ Effect: 'Allow', Action: ['ses:DescribeReceiptRule', 'ses:UpdateReceiptRule'], Resource: '*' }]),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'test API',
      Environment: { Variables: Match.objectLike({ RECEIPT_RULE_SET: { Ref: ids.ruleSet }, RECEIPT_RULE: RECEIPT_RULE_NAME }) },
    });
  });

  it('activates the rule set with a custom resource after the rule exists, refusing to replace another set by default', () => {
    const [[, activation]] = resourcesOf(template, 'Custom::PostroomRuleSetActivation') as [[string, { Properties: Record<string, unknown>; DependsOn: string[] }]];
    expect(activation.Properties).toMatchObject({ RuleSetName: { Ref: ids.ruleSet }, ReplaceActive: 'false' });
    expect(activation.DependsOn).toEqual(expect.arrayContaining([ids.rule]));
  });

  it('lets the activation function read and set the active rule set, and nothing else of SES', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('InboundActivationHandler'));
    const ses = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).filter((st) => JSON.stringify(st.Action).includes('ses:'));
    expect(ses).toEqual([{ Effect: 'Allow', Action: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'], Resource: '*' }]);
  });

  it('encrypts the inbound queue, enforces TLS and sends poison messages to the DLQ after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * 60 + 2,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    for (const queue of [ids.queue, ids.dlq]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('delivers raw notifications from the topic to the queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: ids.topic },
      Endpoint: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      RawMessageDelivery: true,
    });
  });

  it('encrypts the topic with a rotating key that SES of this account may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: sesCondition,
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish', Condition: sesCondition }),
        ]),
      },
    });
  });

  it('creates the rule only after SES may write to the bucket and publish to the topic', () => {
    const [, rule] = resourcesOf(template, 'Custom::PostroomReceiptRule')[0]!;
    expect(rule.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^MailPolicy/), expect.stringMatching(/^InboundTopicPolicy/)]));
  });

  it('lets SES of this account write raw mail under inbound/ only', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, '/inbound/*']] },
            Condition: sesCondition,
          },
        ]),
      },
    });
  });
});
