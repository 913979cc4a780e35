/**
 * The deployment settings of the Postroom stack, as lib/context.ts reads them from CDK context and
 * bin/app.ts passes them on: each with the behaviour it gets when left out.
 */
import type { StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { TlsPolicy } from 'aws-cdk-lib/aws-ses';
import type { DeclaredDomain } from './context-domains.ts';

/** The deployment settings (lib/context.ts reads and validates them from CDK context). */
export interface PostroomStackProps extends StackProps {
  /**
   * The domains the CDK app declares (`postroom:domains`); admins add more through the API.
   * @default - none
   */
  readonly domains?: readonly DeclaredDomain[];
  /** How many domains the organisation may serve, declared and API-added together. @default 2 */
  readonly maxDomains?: number;
  /** How often the scheduled domain check runs. @default 15 minutes */
  readonly domainCheckMinutes?: number;
  /** The queue seeded on first deploy, where mail waits when no route or flow names another. @default 'default' */
  readonly defaultQueueId?: string;
  /** The priority of mail no route or flow gives one. @default 0 */
  readonly defaultPriority?: number;
  /** Retention of every Lambda and API access log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /** Whether SES requires TLS from sending servers. @default TlsPolicy.OPTIONAL */
  readonly inboundTlsPolicy?: TlsPolicy;
  /** How long a customer's reply still joins its interaction, 1-30 days. @default 30 */
  readonly threadWindowDays?: number;
  /** ISO 639-1 codes language detection chooses among. @default en,de,fr,es,it,nl,pt,ja */
  readonly languages?: readonly string[];
  /** CloudFormation deletion protection of the tables. @default true */
  readonly tableDeletionProtection?: boolean;
  /**
   * E-mail address the inbound alarms notify (through a new encrypted topic).
   * @default - no topic is created; without `alarmTopicArn` either, the alarms have no actions
   */
  readonly alarmEmail?: string;
  /** Existing SNS topic the inbound alarms notify, instead of `alarmEmail`. @default - the alarms notify no existing topic */
  readonly alarmTopicArn?: string;
  /** Age of the oldest inbound message that alarms. @default 15 minutes */
  readonly inboundAgeAlarmMinutes?: number;
  /**
   * An existing SES receipt rule set to add Postroom's rule to, leaving the active set as it is.
   * @default - Postroom creates its own rule set and activates it
   */
  readonly receiptRuleSet?: string;
  /** Whether activating Postroom's own rule set may replace another active set (else the deployment fails). @default false */
  readonly replaceActiveRuleSet?: boolean;
  /**
   * The bounce domain of the SMTP path's VERP return paths (`bounces+<outboxId>@<domain>`), given to
   * the sender and to routing (whose ingest reads those bounces). It must be a served domain (MX to
   * SES inbound) or bounces never reach ingest.
   * @default - SMTP sends use the From address as MAIL FROM; no VERP bounces are read
   */
  readonly returnPathDomain?: string;
  /** The console's hosted sign-in domain prefix (ConsoleIdentityProps.domainPrefix). @default 'postroom-' + 8 hex digits of the stack id */
  readonly authDomainPrefix?: string;
  /** The console's own domain and its ACM certificate's ARN (us-east-1). @default - the CloudFront domain */
  readonly consoleDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** The built console (a folder with index.html). @default console/dist */
  readonly consoleAssetsPath?: string;
}
