/**
 * The domains the CDK app declares (`postroom:domains`), created on deploy through the same code
 * path as the API's `domain add` (lambdas/handlers/declared-domains.ts, the domain registry). The
 * stack owns them; a deploy acts only on the difference between the previous and the new
 * declaration, so domains an admin added at runtime are never touched.
 */
import { CustomResource, Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';
import type { DeclaredDomain } from '../context-domains.ts';
import type { EmailDomains } from './email-domains.ts';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';
import { postroomProvider } from './postroom-provider.ts';

/**
 * Sizing: per declared domain an SES identity, a Route 53 change and a first check (DNS lookups of
 * up to 2 s x 2 tries); 5 minutes leaves room for the 100-domain ceiling and SES throttling.
 */
export const DECLARED_DOMAINS_LIMITS = { timeout: Duration.minutes(5), memorySize: 256 } as const;

/** What is declared, who grants the rights, and what must exist first. */
export interface DeclaredDomainsProps {
  /** The declared domains, in context order. May be empty: a deploy that declares none removes those declared before. */
  readonly domains: readonly DeclaredDomain[];
  /** Binds domain management (SES identities, Route 53, config table, recipient sync, MAX_DOMAINS) to the handler. */
  readonly emailDomains: EmailDomains;
  /** The receipt rule: the handler syncs its recipients, so it must exist first. */
  readonly receiptRule: IDependable;
  /** Retention of the handler's and the provider's log groups. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * A Lambda-backed custom resource (Provider framework; 5 min) whose one property `Domains` is the
 * declared list as a JSON string: CloudFormation sends an Update, with the old list beside the
 * new, exactly when the declaration changed. The handler gets the same rights as the admin API's
 * domain routes ({@link EmailDomains.bindDomainManagement}).
 */
export class DeclaredDomains extends Construct {
  readonly handler: PostroomFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DeclaredDomainsProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('declared-domains'),
      description: 'Postroom CDK-declared e-mail domains (deploy time)',
      timeout: DECLARED_DOMAINS_LIMITS.timeout,
      memorySize: DECLARED_DOMAINS_LIMITS.memorySize,
      logRetention: retention,
    });
    props.emailDomains.bindDomainManagement(this.handler);
    const provider = postroomProvider(this, this.handler, retention, 'declared domains');
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PostroomDeclaredDomains',
      properties: { Domains: JSON.stringify(props.domains) },
    });
    this.resource.node.addDependency(props.receiptRule);
  }
}
