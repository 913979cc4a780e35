/** The receiving Lambdas' environment getters: each missing variable named, the recipient sync only where the stack bound it. */
import { describe, expect, it } from 'vitest';
import { SesReceiptRecipients } from '../../../lambdas/adapters/aws/ses-receipt-rule.ts';
import { domainCheckEnv, receiptRecipientsFromEnv, receiptRuleEnv } from '../../../lambdas/adapters/receiving-env.ts';

const full = { CONFIG_TABLE: 'config', RECEIPT_RULE_SET: 'set', RECEIPT_RULE: 'rule', EVENT_BUS_NAME: 'default', AWS_REGION: 'eu-west-1' };

describe('receiving environment', () => {
  it('reads the domain check environment', () => {
    expect(domainCheckEnv(full)).toEqual({ configTable: 'config', receiptRule: { ruleSetName: 'set', ruleName: 'rule' }, eventBusName: 'default', region: 'eu-west-1' });
  });

  it.each(Object.keys(full))('names %s when it is missing', (name) => {
    const source: NodeJS.ProcessEnv = { ...full, [name]: ' ' };
    expect(() => domainCheckEnv(source)).toThrow(`environment variable ${name} is required`);
  });

  it('gives a recipient sync only when the receipt rule is named', () => {
    expect(receiptRecipientsFromEnv({})).toBeUndefined();
    expect(receiptRecipientsFromEnv(full)).toBeInstanceOf(SesReceiptRecipients);
    expect(() => receiptRuleEnv({ RECEIPT_RULE_SET: 'set' })).toThrow(/RECEIPT_RULE is required/);
  });
});
