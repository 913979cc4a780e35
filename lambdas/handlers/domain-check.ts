/**
 * The scheduled domain check (EventBridge schedule, every `postroom:domainCheckMinutes`): checks
 * every stored domain against DNS and SES, stores the statuses, publishes `Domain Verified` and
 * `Domain Record Drift` events, repairs the receipt rule's recipients, and emits metrics:
 * DomainVerified and DomainRecordDrift per domain (dimension Domain), the DomainsUnverified gauge
 * and DomainCheckErrors. A run with failures throws at the end (after everything else is done),
 * so the function's Errors metric alarms; the next scheduled run is the retry.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESClient } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { runScheduledCheck, type ScheduledCheckReport } from '../core/domains/scheduled-check.ts';
import { SesReceiptRecipients } from '../adapters/aws/ses-receipt-rule.ts';
import { documentClient } from '../adapters/aws-clients.ts';
import { createDnsLookup } from '../adapters/dns/dns-lookup.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';
import { EventBridgeDomainEvents } from '../adapters/events/domain-events.ts';
import { emfLine } from '../adapters/metrics/emf.ts';
import { domainCheckEnv } from '../adapters/receiving-env.ts';
import { SesV2IdentityAdapter } from '../adapters/ses/ses-identity.ts';

const env = domainCheckEnv();
const logger = new Logger({ serviceName: 'postroom-domain-check' });
const deps = {
  store: new DynamoDomainStore(documentClient(), env.configTable),
  ses: new SesV2IdentityAdapter(new SESv2Client({})),
  lookup: createDnsLookup(),
  region: env.region,
  recipients: new SesReceiptRecipients(new SESClient({}), env.receiptRule),
  events: new EventBridgeDomainEvents(new EventBridgeClient({}), env.eventBusName),
};

export async function handler(): Promise<ScheduledCheckReport> {
  const report = await runScheduledCheck({ ...deps, now: () => new Date() });
  const { events, failures } = report;
  logger.info('domains checked', { checked: report.checked, unverified: report.unverified, events, failures });
  // EMF lines go to stdout; CloudWatch Logs extracts the metrics.
  const at = new Date();
  let out = `${emfLine('domain-check', { DomainsUnverified: report.unverified, DomainCheckErrors: failures.length }, at)}\n`;
  for (const e of events) {
    out += `${emfLine('domain-check', e.kind === 'verified' ? { DomainVerified: 1 } : { DomainRecordDrift: 1 }, at, { Domain: e.domain })}\n`;
  }
  process.stdout.write(out);
  if (failures.length > 0) throw new Error(`domain check: ${failures.length} failure(s): ${failures.map((f) => `${f.domain}: ${f.error}`).join('; ').slice(0, 500)}`);
  return report;
}
