import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { RECEIPT_RULE_NAME, SesInbound } from '../../lib/constructs/ses-inbound.ts';
import { WHOLE_STACK_TIMEOUT_MS, newPostroomStack, newStack, resourcesOf } from './app-fixture.ts';

/** SesInbound in a fresh stack, with `existingRuleSetName` when given. */
function inboundTemplate(existingRuleSetName?: string): Template {
  const stack = newStack();
  new SesInbound(stack, 'Inbound', {
    configTable: new Table(stack, 'Config', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
    mailBucket: new Bucket(stack, 'Mail'),
    consumerTimeout: Duration.seconds(60),
    ...(existingRuleSetName !== undefined && { existingRuleSetName }),
  });
  return Template.fromStack(stack);
}

/** The rule set activations (custom resources) in `template`. */
function activations(template: Template): unknown[] {
  return resourcesOf(template, 'Custom::PostroomRuleSetActivation');
}

describe('the receipt rule set Postroom uses', () => {
  it('by default creates its own rule set, puts its rule there and activates it', () => {
    // Act
    const template = inboundTemplate();
    // Assess
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    const [[, rule]] = resourcesOf(template, 'Custom::PostroomReceiptRule') as [[string, { Properties: Record<string, any> }]];
    expect(rule.Properties.RuleSetName).toHaveProperty('Ref');
    expect(rule.Properties.RuleName).toBe(RECEIPT_RULE_NAME);
    expect(activations(template)).toHaveLength(1);
  });

  it('with an existing rule set, adds a rule to that set under a name unique to the stack and activates nothing', () => {
    // Act
    const template = inboundTemplate('admin-rules');
    // Assess
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    const [[, rule]] = resourcesOf(template, 'Custom::PostroomReceiptRule') as [[string, { Properties: Record<string, any> }]];
    expect(rule.Properties.RuleSetName).toBe('admin-rules');
    expect(rule.Properties.RuleName).not.toBe(RECEIPT_RULE_NAME);
    expect(rule.Properties.RuleName).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9]$/);
    expect(activations(template)).toEqual([]);
  });

  it('with an existing rule set, scopes SES to the rule in that set', () => {
    // Act
    const template = inboundTemplate('admin-rules');
    // Assess
    const [[, rule]] = resourcesOf(template, 'Custom::PostroomReceiptRule') as [[string, { Properties: Record<string, any> }]];
    const [[, topicPolicy]] = resourcesOf(template, 'AWS::SNS::TopicPolicy') as [[string, { Properties: Record<string, any> }]];
    expect(JSON.stringify(topicPolicy.Properties)).toContain(`:receipt-rule-set/admin-rules:receipt-rule/${rule.Properties.RuleName as string}`);
  });

  it('reports the set it uses in the stack output ReceiptRuleSetName', () => {
    // Act
    const template = Template.fromStack(newPostroomStack({ receiptRuleSet: 'admin-rules' }));
    // Assess
    template.hasOutput('ReceiptRuleSetName', { Value: 'admin-rules' });
    expect(activations(template)).toEqual([]);
  }, WHOLE_STACK_TIMEOUT_MS);

  it('passes postroom:replaceActiveRuleSet to the activation, false unless set', () => {
    // Act
    const template = Template.fromStack(newPostroomStack({ replaceActiveRuleSet: true }));
    // Assess
    template.hasResourceProperties('Custom::PostroomRuleSetActivation', { ReplaceActive: 'true' });
    inboundTemplate().hasResourceProperties('Custom::PostroomRuleSetActivation', { ReplaceActive: 'false' });
  }, WHOLE_STACK_TIMEOUT_MS);
});
