/**
 * Postroom's SES receipt rule (SES v1 API; SES v2 has no receipt rule operations), split by owner
 * (README "Domains are data: who owns what"): CloudFormation owns the rule's shape (its S3 action,
 * TLS policy and scanning) through the custom resource of lambdas/handlers/receipt-rule.ts, and
 * the domain registry owns its recipient list through {@link SesReceiptRecipients}. Each side
 * writes the whole rule (SES has no partial update) but keeps the other side's part as it reads it.
 */
import {
  CreateReceiptRuleCommand,
  DeleteReceiptRuleCommand,
  DescribeReceiptRuleCommand,
  UpdateReceiptRuleCommand,
  type ReceiptRule,
  type SESClient,
} from '@aws-sdk/client-ses';
import { DeploymentError, PermanentError } from '../../core/errors.ts';
import type { ReceiptRecipientsPort } from '../../core/domains/domain.ts';
import { sdkError } from './sdk-errors.ts';

/**
 * SES accepts at most 100 recipients per receipt rule (SES developer guide, quotas for email
 * receiving); Postroom keeps every served domain in one rule, so this caps the served domains too
 * (DOMAIN_LIMITS.maxDomainsCeiling).
 */
export const MAX_RULE_RECIPIENTS = 100;

/** SES's answers for a rule or rule set that is not there (400). */
const RULE_MISSING = 'RuleDoesNotExistException';
const RULE_SET_MISSING = 'RuleSetDoesNotExistException';
/** CreateReceiptRule's answer when a rule of that name exists already. */
const ALREADY_EXISTS = 'AlreadyExistsException';

/** Where the rule is. */
export interface ReceiptRuleRef {
  readonly ruleSetName: string;
  readonly ruleName: string;
}

/** The part of the rule CloudFormation owns: what SES does with a message, not for whom. */
export interface ReceiptRuleShape extends ReceiptRuleRef {
  readonly bucketName: string;
  readonly objectKeyPrefix: string;
  readonly topicArn: string;
  readonly tlsPolicy: 'Require' | 'Optional';
  readonly scanEnabled: boolean;
}

/**
 * Creates the rule with `shape` or, when it exists, replaces its shape and keeps its recipients
 * and enabled state (the registry's). A new rule gets `recipients` (the stored domains), enabled
 * only when there is at least one: SES matches every recipient of the verified domains when the
 * list is empty, so an empty rule must be a disabled one. A new rule goes first in its set (SES's
 * default without `After`).
 */
export async function putReceiptRule(ses: SESClient, shape: ReceiptRuleShape, recipients: readonly string[]): Promise<void> {
  const current = await describeRule(ses, shape);
  if (current) {
    await call('UpdateReceiptRule', shape, () =>
      ses.send(new UpdateReceiptRuleCommand({ RuleSetName: shape.ruleSetName, Rule: ruleOf(shape, current.Recipients ?? [], current.Enabled ?? false) })),
    );
    return;
  }
  const list = recipientList(recipients);
  try {
    await ses.send(new CreateReceiptRuleCommand({ RuleSetName: shape.ruleSetName, Rule: ruleOf(shape, list, list.length > 0) }));
  } catch (err) {
    // A retried create whose first attempt landed: the rule is there, so give it the shape.
    if (nameOf(err) !== ALREADY_EXISTS) throw sdkError(err, 'receiving', `SES CreateReceiptRule ${shape.ruleSetName}/${shape.ruleName}`);
    await putReceiptRule(ses, shape, recipients);
  }
}

/** Deletes the rule; a no-op when it or its rule set is gone (SES deletes a missing rule silently). */
export async function deleteReceiptRule(ses: SESClient, ref: ReceiptRuleRef): Promise<void> {
  try {
    await ses.send(new DeleteReceiptRuleCommand({ RuleSetName: ref.ruleSetName, RuleName: ref.ruleName }));
  } catch (err) {
    if (nameOf(err) !== RULE_SET_MISSING) throw sdkError(err, 'receiving', `SES DeleteReceiptRule ${ref.ruleSetName}/${ref.ruleName}`);
  }
}

/**
 * {@link ReceiptRecipientsPort} on the deployed rule: DescribeReceiptRule, then UpdateReceiptRule
 * with the same rule and the recipients replaced (sorted, so the same set writes the same rule);
 * no domains disables the rule, any enables it. Nothing is written when the rule already says so.
 * SES throttling and outages surface as TransientError `receiving-unavailable`; a missing rule as
 * DeploymentError `receiving-misconfigured` naming the rule (the stack owns it: a redeploy restores it).
 */
export class SesReceiptRecipients implements ReceiptRecipientsPort {
  constructor(
    private readonly ses: SESClient,
    private readonly ref: ReceiptRuleRef,
  ) {}

  async sync(domains: readonly string[]): Promise<void> {
    const current = await describeRule(this.ses, this.ref);
    if (!current) throw new DeploymentError('receiving-misconfigured', `SES receipt rule ${this.ref.ruleSetName}/${this.ref.ruleName} does not exist; redeploy the stack`);
    const recipients = recipientList(domains);
    const enabled = recipients.length > 0;
    // With no domain the old list stays beside Enabled false: SES refuses no recipient, and an empty list would match all.
    const kept = enabled ? recipients : (current.Recipients ?? []);
    if (current.Enabled === enabled && sameList(current.Recipients ?? [], kept)) return;
    await call('UpdateReceiptRule', this.ref, () =>
      this.ses.send(new UpdateReceiptRuleCommand({ RuleSetName: this.ref.ruleSetName, Rule: { ...current, Recipients: [...kept], Enabled: enabled } })),
    );
  }
}

/** The rule, or undefined when it (or its set) does not exist. */
async function describeRule(ses: SESClient, ref: ReceiptRuleRef): Promise<ReceiptRule | undefined> {
  try {
    const out = await ses.send(new DescribeReceiptRuleCommand({ RuleSetName: ref.ruleSetName, RuleName: ref.ruleName }));
    return out.Rule;
  } catch (err) {
    if (nameOf(err) === RULE_MISSING) return undefined;
    throw sdkError(err, 'receiving', `SES DescribeReceiptRule ${ref.ruleSetName}/${ref.ruleName}`);
  }
}

function ruleOf(shape: ReceiptRuleShape, recipients: readonly string[], enabled: boolean): ReceiptRule {
  return {
    Name: shape.ruleName,
    Enabled: enabled,
    TlsPolicy: shape.tlsPolicy,
    ScanEnabled: shape.scanEnabled,
    Recipients: [...recipients],
    Actions: [{ S3Action: { BucketName: shape.bucketName, ObjectKeyPrefix: shape.objectKeyPrefix, TopicArn: shape.topicArn } }],
  };
}

/** Lower-case, unique, sorted; more than SES's 100 is refused rather than cut (a cut domain would silently stop receiving). */
function recipientList(domains: readonly string[]): string[] {
  const list = [...new Set(domains.map((d) => d.toLowerCase()))].sort();
  if (list.length > MAX_RULE_RECIPIENTS) {
    throw new PermanentError('receiving-rejected', `an SES receipt rule takes at most ${MAX_RULE_RECIPIENTS} recipients; ${list.length} domains are served`);
  }
  return list;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
}

async function call<T>(action: string, ref: ReceiptRuleRef, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw sdkError(err, 'receiving', `SES ${action} ${ref.ruleSetName}/${ref.ruleName}`);
  }
}

function nameOf(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name;
}
