/**
 * E-mail domains as data (issue 9): Postroom's SES configuration set, which every domain identity
 * is associated with, and the rights of the Lambdas that manage domains (the admin API, the
 * CDK-declared domains' custom resource): SES v2 identities, Route 53 records, the config table
 * and the receipt rule's recipients.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, ConfigurationSetTlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Construct, type IConstruct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { DOMAIN_LIMITS } from '../../contract/recipient-domains.ts';
import { addEnvironmentEntries, type IPostroomFunction } from './postroom-function.ts';
import { tableEnvironment } from './table-environment.ts';

/** The SES v2 calls of lambdas/adapters/ses/ses-identity.ts (ensure, status, remove). */
export const IDENTITY_ACTIONS = [
  'ses:CreateEmailIdentity',
  'ses:GetEmailIdentity',
  'ses:DeleteEmailIdentity',
  'ses:PutEmailIdentityDkimAttributes',
  'ses:PutEmailIdentityDkimSigningAttributes',
  'ses:PutEmailIdentityMailFromAttributes',
  'ses:PutEmailIdentityConfigurationSetAttributes',
] as const;

/** The record types a domain's plan publishes (DKIM CNAMEs, MX, SPF/DMARC TXT): nothing else may change. */
export const PUBLISHED_RECORD_TYPES = ['CNAME', 'MX', 'TXT'] as const;

/** What a domain manager may bind to: the receipt rule's recipient sync (SesInbound). */
export interface IReceiptRecipients {
  bindRecipientSync(fn: IPostroomFunction): Grant;
}

/** The config table the domains live in, the receipt rule, and the domain limit. */
export interface EmailDomainsProps {
  /** Where the domain registry stores the domains (`DOMAIN#<name>` items). */
  readonly configTable: ITable;
  /** The receipt rule whose recipients the registry sets. */
  readonly receipt: IReceiptRecipients;
  /** How many domains the organisation may serve. @default DOMAIN_LIMITS.defaultMaxDomains (2) */
  readonly maxDomains?: number;
}

/**
 * Postroom's SES configuration set (reputation metrics on; TLS required for delivery, so SES
 * never hands Postroom's mail to a receiving server in plain text) and
 * {@link EmailDomains.bindDomainManagement} for the Lambdas that add and remove domains.
 */
export class EmailDomains extends Construct {
  /** Every domain identity is associated with this set. */
  readonly configurationSet: ConfigurationSet;
  private readonly props: EmailDomainsProps;

  constructor(scope: Construct, id: string, props: EmailDomainsProps) {
    super(scope, id);
    this.props = props;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
  }

  /** `arn:…:ses:<region>:<account>:identity/*`: identities are named by domains added at runtime. */
  static identityArns(): string {
    return `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/*`;
  }

  /**
   * Lets `grantee` read the SES status of any domain identity (GetEmailIdentity), for the check.
   * Acknowledges the identity wildcard's IAM5 finding on the grantee's policy.
   */
  grantIdentityRead(grantee: IGrantable): Grant {
    const grant = Grant.addToPrincipal({ grantee, actions: ['ses:GetEmailIdentity'], resourceArns: [EmailDomains.identityArns()] });
    acknowledgeIdentityWildcard(grantee);
    return grant;
  }

  /**
   * Everything adding and removing a domain takes, for `fn`: the SES v2 identity actions on
   * `identity/*` and the configuration set; Route 53 `ChangeResourceRecordSets` limited by
   * condition to CNAME, MX and TXT records and to UPSERT and DELETE (never a zone's NS or SOA),
   * `ListResourceRecordSets` on hosted zones and `ListHostedZonesByName` (which has no resource);
   * reading and writing the config table; the receipt rule's recipient sync. Sets MAX_DOMAINS,
   * SES_CONFIGURATION_SET, CONFIG_TABLE, RECEIPT_RULE_SET and RECEIPT_RULE.
   */
  bindDomainManagement(fn: IPostroomFunction): void {
    fn.addEnvironment(ENV.maxDomains, String(this.props.maxDomains ?? DOMAIN_LIMITS.defaultMaxDomains));
    fn.addEnvironment(ENV.sesConfigurationSet, this.configurationSet.configurationSetName);
    addEnvironmentEntries(fn, tableEnvironment({ config: this.props.configTable }));
    this.props.configTable.grantReadWriteData(fn);
    this.props.receipt.bindRecipientSync(fn);
    const configurationSetArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:configuration-set/${this.configurationSet.configurationSetName}`;
    Grant.addToPrincipal({ grantee: fn, actions: [...IDENTITY_ACTIONS], resourceArns: [EmailDomains.identityArns(), configurationSetArn] });
    const zones = `arn:${Aws.PARTITION}:route53:::hostedzone/*`;
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [zones],
        conditions: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsRecordTypes': [...PUBLISHED_RECORD_TYPES],
            'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
          },
        },
      }),
    );
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['route53:ListResourceRecordSets'], resources: [zones] }));
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['route53:ListHostedZonesByName'], resources: ['*'] }));
    acknowledgeIdentityWildcard(fn);
    acknowledge(fn, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:route53:::hostedzone/*]',
      'Domains and their hosted zones are added at runtime (given or found by name); record changes are limited by condition to CNAME/MX/TXT and UPSERT/DELETE.');
    acknowledge(fn, 'AwsSolutions-IAM5[Resource::*]', 'route53:ListHostedZonesByName supports no resource-level permissions; it finds the zone that serves a domain.');
  }
}

function acknowledgeIdentityWildcard(grantee: IGrantable): void {
  acknowledge(grantee, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
    'SES identities are named by the domains an admin adds at runtime; the actions are the identity calls of the domain registry only.');
}

/** Acknowledges one finding on the grantee role's DefaultPolicy, where cdk-nag reports it. */
function acknowledge(grantee: IGrantable, id: string, reason: string): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  const policy = Construct.isConstruct(principal) ? principal.node.tryFindChild('DefaultPolicy') : undefined;
  if (!policy) throw new Error(`no role policy to acknowledge ${id} on`);
  Validations.of(policy).acknowledge({ id, reason });
}
