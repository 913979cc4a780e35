import { readFileSync } from 'node:fs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { describe, expect, it } from 'vitest';
import { ContextError, readPostroomContext } from '../../lib/context.ts';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('readPostroomContext', () => {
  it('accepts a deployment that declares no domain (the API adds them) and ships none in cdk.json', () => {
    // Prepare
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
    // Act
    const context = readPostroomContext((key) => cdkJson.context[key]);
    // Assess
    expect(context.domains).toEqual([]);
  });

  it('applies the documented defaults when only the domains are given', () => {
    // Prepare
    const read = from({ 'postroom:domains': ['support.acme.com'] });
    // Act
    const context = readPostroomContext(read);
    // Assess
    expect(context).toEqual({
      stackName: 'Postroom',
      domains: [{ name: 'support.acme.com' }],
      maxDomains: 2,
      domainCheckMinutes: 15,
      defaultQueueId: 'default',
      defaultPriority: 0,
      logRetention: RetentionDays.THREE_MONTHS,
      inboundTlsPolicy: TlsPolicy.OPTIONAL,
      threadWindowDays: 30,
      languages: ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja'],
      inboundAgeAlarmMinutes: 15,
      replaceActiveRuleSet: false,
    });
  });

  it('reads every optional key, including numbers passed as strings on the command line', () => {
    // Prepare
    const read = from({
      'postroom:domains': ['support.acme.com'],
      'postroom:stackName': 'PostroomStaging',
      'postroom:defaultQueueId': 'triage',
      'postroom:defaultPriority': '5',
      'postroom:logRetentionDays': '30',
      'postroom:inboundTlsPolicy': 'Require',
      'postroom:threadWindowDays': '14',
      'postroom:languages': 'EN, de,en',
    });
    // Act
    const context = readPostroomContext(read);
    // Assess
    expect(context).toMatchObject({
      stackName: 'PostroomStaging',
      defaultQueueId: 'triage',
      defaultPriority: 5,
      logRetention: RetentionDays.ONE_MONTH,
      inboundTlsPolicy: TlsPolicy.REQUIRE,
      threadWindowDays: 14,
      languages: ['en', 'de'],
    });
  });

  it.each([
    ['postroom:defaultPriority', 1.5, /postroom:defaultPriority must be an integer/],
    ['postroom:logRetentionDays', 42, /postroom:logRetentionDays must be one of/],
    ['postroom:inboundTlsPolicy', 'require', /must be 'Optional' or 'Require'/],
    ['postroom:defaultQueueId', 'a queue', /postroom:defaultQueueId must match/],
    ['postroom:stackName', '1stack', /postroom:stackName must be a CloudFormation stack name/],
    ['postroom:threadWindowDays', 31, /postroom:threadWindowDays must be a whole number of days from 1 to 30/],
    ['postroom:languages', 'english', /postroom:languages must list ISO 639-1 codes/],
    ['postroom:languages', [], /postroom:languages must list ISO 639-1 codes/],
  ])('rejects %s = %j with a message naming the key', (key, value, message) => {
    // Prepare
    const read = from({ 'postroom:domains': ['support.acme.com'], [key]: value });
    // Act
    const act = () => readPostroomContext(read);
    // Assess
    expect(act).toThrow(message);
  });

  it('reads the alarm target: an e-mail address or a topic ARN, never both, and the inbound age in minutes', () => {
    const domains = { 'postroom:domains': ['support.acme-corp.net'] };
    expect(readPostroomContext(from({ ...domains, 'postroom:alarmEmail': ' ops@example.com ' })).alarmEmail).toBe('ops@example.com');
    const arn = 'arn:aws:sns:eu-west-1:111111111111:ops-alerts';
    expect(readPostroomContext(from({ ...domains, 'postroom:alarmTopicArn': arn })).alarmTopicArn).toBe(arn);
    expect(readPostroomContext(from({ ...domains, 'postroom:inboundAgeAlarmMinutes': '40' })).inboundAgeAlarmMinutes).toBe(40);
    expect(() => readPostroomContext(from({ ...domains, 'postroom:alarmEmail': 'ops@example.com', 'postroom:alarmTopicArn': arn }))).toThrow(
      /postroom:alarmEmail and postroom:alarmTopicArn exclude each other/,
    );
    expect(() => readPostroomContext(from({ ...domains, 'postroom:alarmEmail': 'ops.example.com' }))).toThrow(/postroom:alarmEmail must be an e-mail address/);
    expect(() => readPostroomContext(from({ ...domains, 'postroom:alarmTopicArn': 'ops-alerts' }))).toThrow(/postroom:alarmTopicArn must be an SNS topic ARN/);
    expect(() => readPostroomContext(from({ ...domains, 'postroom:inboundAgeAlarmMinutes': 0 }))).toThrow(/from 1 to 1440/);
  });

  it('reads an existing receipt rule set, absent by default, and refuses a name SES would refuse', () => {
    // Prepare
    const domains = { 'postroom:recipientDomains': 'support.acme.com' };
    // Act
    const shared = readPostroomContext(from({ ...domains, 'postroom:receiptRuleSet': 'admin-rules.v2' }));
    const own = readPostroomContext(from(domains));
    const bad = () => readPostroomContext(from({ ...domains, 'postroom:receiptRuleSet': '-bad name' }));
    // Assess
    expect(shared.receiptRuleSet).toBe('admin-rules.v2');
    expect(own).not.toHaveProperty('receiptRuleSet');
    expect(bad).toThrow(ContextError);
    expect(bad).toThrow(/postroom:receiptRuleSet must be the name of an existing SES receipt rule set, got -bad name/);
  });

  it('reads postroom:returnPathDomain as a domain name, lower-cased without the trailing dot, absent by default and unset in cdk.json', () => {
    // Prepare
    const domains = { 'postroom:domains': ['support.acme.com'] };
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
    // Act
    const named = readPostroomContext(from({ ...domains, 'postroom:returnPathDomain': ' Bounces.Support.ACME.com. ' }));
    const unset = readPostroomContext(from(domains));
    const documented = readPostroomContext((key) => cdkJson.context[key]);
    const bad = (value: unknown) => () => readPostroomContext(from({ ...domains, 'postroom:returnPathDomain': value }));
    // Assess
    expect(named.returnPathDomain).toBe('bounces.support.acme.com');
    expect(unset).not.toHaveProperty('returnPathDomain');
    expect(Object.keys(cdkJson.context)).toContain('postroom:returnPathDomain');
    expect(documented).not.toHaveProperty('returnPathDomain');
    expect(bad('bounces+x@acme.com')).toThrow(/postroom:returnPathDomain must be a domain name.*got bounces\+x@acme.com/);
    expect(bad(42)).toThrow(ContextError);
    expect(bad('bounces.example.com')).toThrow(/postroom:returnPathDomain is a reserved example domain/);
  });

  it('reads postroom:replaceActiveRuleSet as true or false, and refuses it beside an existing rule set', () => {
    // Prepare
    const domains = { 'postroom:recipientDomains': 'support.acme.com' };
    // Act
    const allowed = readPostroomContext(from({ ...domains, 'postroom:replaceActiveRuleSet': 'true' }));
    const maybe = () => readPostroomContext(from({ ...domains, 'postroom:replaceActiveRuleSet': 'yes' }));
    const both = () => readPostroomContext(from({ ...domains, 'postroom:replaceActiveRuleSet': true, 'postroom:receiptRuleSet': 'admin-rules' }));
    // Assess
    expect(allowed.replaceActiveRuleSet).toBe(true);
    expect(maybe).toThrow(/postroom:replaceActiveRuleSet must be true or false, got yes/);
    expect(both).toThrow(/postroom:receiptRuleSet and postroom:replaceActiveRuleSet exclude each other/);
  });

  it("reads the console's settings: a hosted UI prefix by Cognito's rule, its own domain only with a us-east-1 certificate", () => {
    // Prepare
    const domains = { 'postroom:domains': 'support.acme.com' };
    const arn = 'arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012';
    const read = (more: Record<string, unknown>) => () => readPostroomContext(from({ ...domains, ...more }));
    // Act
    const plain = readPostroomContext(from(domains));
    const set = readPostroomContext(from({ ...domains, 'postroom:authDomainPrefix': 'acme-support', 'postroom:consoleDomainName': 'console.acme.com', 'postroom:consoleCertificateArn': arn }));
    // Assess
    expect(plain).not.toHaveProperty('authDomainPrefix');
    expect(plain).not.toHaveProperty('consoleDomain');
    expect(set.authDomainPrefix).toBe('acme-support');
    expect(set.consoleDomain).toEqual({ domainName: 'console.acme.com', certificateArn: arn });
    expect(read({ 'postroom:authDomainPrefix': 'Acme' })).toThrow(/postroom:authDomainPrefix must be lowercase.*got Acme/);
    expect(read({ 'postroom:authDomainPrefix': 'acme-cognito' })).toThrow(/without aws, amazon or cognito/);
    expect(read({ 'postroom:authDomainPrefix': '-acme' })).toThrow(ContextError);
    expect(read({ 'postroom:consoleDomainName': 'console.acme.com' })).toThrow(/go together; set both or neither/);
    expect(read({ 'postroom:consoleDomainName': 'console.acme.com', 'postroom:consoleCertificateArn': arn.replace('us-east-1', 'eu-west-1') })).toThrow(/in us-east-1/);
    expect(read({ 'postroom:consoleDomainName': 'https://console.acme.com', 'postroom:consoleCertificateArn': arn })).toThrow(/must be a host name/);
  });
});
