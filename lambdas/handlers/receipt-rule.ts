/**
 * The custom resource that owns the shape of Postroom's SES receipt rule (lib/constructs/
 * ses-inbound.ts; run by the CDK Provider framework, which reports a thrown error as the failed
 * resource's reason). Create and Update put the shape from the resource's properties; a new rule
 * gets the domains stored in the config table as recipients, an existing one keeps the list the
 * registry gave it (so a deploy never resets domains added at runtime). Delete deletes the rule.
 */
import { SESClient } from '@aws-sdk/client-ses';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { deleteReceiptRule, putReceiptRule, type ReceiptRuleShape } from '../adapters/aws/ses-receipt-rule.ts';
import { documentClient } from '../adapters/aws-clients.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';
import { configTableEnv } from '../adapters/receiving-env.ts';

const ses = new SESClient({});
const store = new DynamoDomainStore(documentClient(), configTableEnv());

/** The resource's properties, as CloudFormation passes them (every value a string). */
interface ReceiptRuleProperties {
  readonly RuleSetName: string;
  readonly RuleName: string;
  readonly BucketName: string;
  readonly ObjectKeyPrefix: string;
  readonly TopicArn: string;
  readonly TlsPolicy: string;
  readonly ScanEnabled: string;
}

/** Provider framework onEvent: the physical id is `<rule set>/<rule>`, so a renamed rule is a replacement. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string }> {
  const shape = shapeOf(event.ResourceProperties as unknown as ReceiptRuleProperties);
  const id = `${shape.ruleSetName}/${shape.ruleName}`;
  if (event.RequestType === 'Delete') {
    // After a replacement CloudFormation deletes the old rule with the old properties: never a foreign id.
    if (event.PhysicalResourceId === id) await deleteReceiptRule(ses, shape);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const domains = (await store.list()).map((d) => d.name);
  await putReceiptRule(ses, shape, domains);
  return { PhysicalResourceId: id };
}

function shapeOf(p: ReceiptRuleProperties): ReceiptRuleShape {
  return {
    ruleSetName: p.RuleSetName,
    ruleName: p.RuleName,
    bucketName: p.BucketName,
    objectKeyPrefix: p.ObjectKeyPrefix,
    topicArn: p.TopicArn,
    tlsPolicy: p.TlsPolicy === 'Require' ? 'Require' : 'Optional',
    scanEnabled: p.ScanEnabled !== 'false',
  };
}
