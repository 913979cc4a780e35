/**
 * Environment of the Lambdas that touch the SES receipt rule or check domains (the receipt rule
 * resource, the scheduled domain check, and whoever syncs the rule's recipients), read once at
 * cold start like env.ts: a missing variable fails the cold start with its name.
 */
import { SESClient } from '@aws-sdk/client-ses';
import { ENV } from '../../contract/environment.ts';
import type { ReceiptRecipientsPort } from '../core/domains/domain.ts';
import { SesReceiptRecipients, type ReceiptRuleRef } from './aws/ses-receipt-rule.ts';

let ses: SESClient | undefined;

function read(name: string, source: NodeJS.ProcessEnv): string {
  const value = source[name]?.trim();
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

/** The config table, where the domains are stored (CONFIG_TABLE). */
export function configTableEnv(source: NodeJS.ProcessEnv = process.env): string {
  return read(ENV.configTable, source);
}

/** The receipt rule whose recipients the registry owns (RECEIPT_RULE_SET, RECEIPT_RULE). */
export function receiptRuleEnv(source: NodeJS.ProcessEnv = process.env): ReceiptRuleRef {
  return { ruleSetName: read(ENV.receiptRuleSet, source), ruleName: read(ENV.receiptRule, source) };
}

/** What the scheduled domain check needs: the store, the rule to repair, the bus for its events. */
export interface DomainCheckEnv {
  readonly configTable: string;
  readonly receiptRule: ReceiptRuleRef;
  readonly eventBusName: string;
  /** The region SES receives in; the MX records of the plan name it (AWS_REGION, set by Lambda). */
  readonly region: string;
}

/** {@link DomainCheckEnv} from CONFIG_TABLE, RECEIPT_RULE_SET, RECEIPT_RULE, EVENT_BUS_NAME and AWS_REGION. */
export function domainCheckEnv(source: NodeJS.ProcessEnv = process.env): DomainCheckEnv {
  return {
    configTable: configTableEnv(source),
    receiptRule: receiptRuleEnv(source),
    eventBusName: read(ENV.eventBus, source),
    region: read('AWS_REGION', source),
  };
}

/**
 * The receipt rule's recipient sync when the environment names the rule (RECEIPT_RULE_SET and
 * RECEIPT_RULE, set by `SesInbound.bindRecipientSync`), for the domain registry's Lambdas; undefined
 * without them (the local runtime, whose receiver reads the stored domains itself). The SES v1
 * client is created once per container.
 */
export function receiptRecipientsFromEnv(source: NodeJS.ProcessEnv = process.env): ReceiptRecipientsPort | undefined {
  if (!source[ENV.receiptRuleSet]?.trim()) return undefined;
  ses ??= new SESClient({});
  return new SesReceiptRecipients(ses, receiptRuleEnv(source));
}
