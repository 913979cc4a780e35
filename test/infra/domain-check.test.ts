/**
 * The e-mail domains constructs: the configuration set, the domain-management rights of the admin
 * Lambda (SES identities, Route 53 limited by condition, the config table, the recipient sync) and
 * the scheduled check (schedule, environment, grants, event bus permission, alarm).
 */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../contract/environment.ts';
import { DomainCheck } from '../../lib/constructs/domain-check.ts';
import { EmailDomains, IDENTITY_ACTIONS, type IReceiptRecipients } from '../../lib/constructs/email-domains.ts';
import { PostroomFunction, handlerEntry, type IPostroomFunction } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

/** Stands in for SesInbound: records whom it bound and sets the two variables as the real binding does. */
class FakeReceipt implements IReceiptRecipients {
  readonly bound: IPostroomFunction[] = [];
  bindRecipientSync(fn: IPostroomFunction): Grant {
    this.bound.push(fn);
    fn.addEnvironment(ENV.receiptRuleSet, 'set');
    fn.addEnvironment(ENV.receiptRule, 'rule');
    return Grant.drop(fn, 'test');
  }
}

describe('EmailDomains and DomainCheck', () => {
  let template: Template;
  let receipt: FakeReceipt;
  let admin: PostroomFunction;
  let check: DomainCheck;
  let ids: Record<'table' | 'configSet' | 'checkFn', string>;

  beforeAll(() => {
    const stack = newStack();
    const table = new Table(stack, 'Config', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    receipt = new FakeReceipt();
    const domains = new EmailDomains(stack, 'Domains', { configTable: table, receipt, maxDomains: 5 });
    admin = new PostroomFunction(stack, 'Admin', { entry: handlerEntry('flow-api'), description: 'admin API' });
    domains.bindDomainManagement(admin);
    check = new DomainCheck(stack, 'Check', { configTable: table, receipt, domains, interval: Duration.minutes(30) });
    template = Template.fromStack(stack);
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    ids = { table: id(table), configSet: id(domains.configurationSet), checkFn: id(check.handler.function) };
  });

  it('has a configuration set with reputation metrics and TLS required for delivery', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });

  it('gives the admin Lambda the domain limit, the configuration set, the table and the receipt rule', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'admin API',
      Environment: {
        Variables: Match.objectLike({
          [ENV.maxDomains]: '5',
          [ENV.sesConfigurationSet]: { Ref: ids.configSet },
          [ENV.configTable]: { Ref: ids.table },
          [ENV.receiptRuleSet]: 'set',
        }),
      },
    });
    expect(receipt.bound).toContain(admin);
  });

  it('lets the admin Lambda manage SES identities and the configuration set, nothing else of SES', () => {
    const ses = roleStatements(template, 'AdminRole').filter((s) => JSON.stringify(s.Action).includes('ses:'));
    expect(ses).toHaveLength(1);
    expect([ses[0].Action].flat().sort()).toEqual([...IDENTITY_ACTIONS].sort());
    const resources = JSON.stringify(ses[0].Resource);
    expect(resources).toContain(':identity/*');
    expect(resources).toContain(':configuration-set/');
    expect(resources).toContain(`{"Ref":"${ids.configSet}"}`);
  });

  it('lets it change only CNAME, MX and TXT records by UPSERT or DELETE in Route 53, list record sets and find zones', () => {
    const route53 = roleStatements(template, 'AdminRole').filter((s) => JSON.stringify(s.Action).includes('route53:'));
    expect(route53).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: 'route53:ChangeResourceRecordSets',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/*']] },
          Condition: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME', 'MX', 'TXT'],
              'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
            },
          },
        },
        expect.objectContaining({ Action: 'route53:ListResourceRecordSets' }),
        { Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
      ]),
    );
    expect(route53).toHaveLength(3);
  });

  it('runs the check on its schedule without retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(30 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [ids.checkFn, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: ids.checkFn }, MaximumRetryAttempts: 0 });
  });

  it('gives the check exactly the environment domainCheckEnv() reads (AWS_REGION is Lambda\'s)', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id === ids.checkFn)!;
    expect(fn.Properties.Environment.Variables).toEqual({
      [ENV.configTable]: { Ref: ids.table },
      [ENV.eventBus]: 'default',
      [ENV.receiptRuleSet]: 'set',
      [ENV.receiptRule]: 'rule',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(receipt.bound).toContain(check.handler);
  });

  it('lets the check read identities, write the table and put events on the default bus; no Route 53, no identity changes', () => {
    const statements = roleStatements(template, 'CheckHandlerRole');
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions).toEqual(expect.arrayContaining(['ses:GetEmailIdentity', 'events:PutEvents', 'dynamodb:PutItem']));
    expect(actions.filter((a) => a.startsWith('route53:') || (a.startsWith('ses:') && a !== 'ses:GetEmailIdentity'))).toEqual([]);
    const put = statements.find((s) => s.Action === 'events:PutEvents');
    expect(JSON.stringify(put.Resource)).toContain(':event-bus/default');
  });

  it('alarms when a run fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.checkFn } }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });
});
