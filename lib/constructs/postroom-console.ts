/**
 * The console as one capability (issue 12): who signs in (ConsoleIdentity), where it is served
 * (ConsoleHosting) and the API it calls on its own origin (ConsoleApi), wired in the one order
 * their references allow.
 */
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ConsoleApi } from './console-api.ts';
import { ConsoleHosting } from './console-hosting.ts';
import { ConsoleIdentity } from './console-identity.ts';
import type { IMailStore } from './mail-store.ts';
import type { PostroomFunction } from './postroom-function.ts';

/** The API functions the console calls, the mail store it uploads to, and the deployment's console settings. */
export interface PostroomConsoleProps {
  /** The API functions (AdminApi's): the console API routes to them as the IAM API does. */
  readonly api: { readonly handler: PostroomFunction; readonly flowHandler: PostroomFunction };
  /** Attachments are uploaded from the browser to its presigned URLs. */
  readonly mailStore: IMailStore;
  /** The hosted sign-in domain prefix. @default ConsoleIdentityProps.domainPrefix's default */
  readonly authDomainPrefix?: string;
  /** The console's own domain and its ACM certificate's ARN (us-east-1). @default - the CloudFront domain */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** The built console. @default CONSOLE_DIST (console/dist) */
  readonly assetsPath?: string;
  /** Retention of the console API's access logs and the upload handler's logs. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The user pool with its hosted UI and the console client (callback: the console's URL), the
 * console's distribution whose CSP admits the hosted UI and the mail bucket (uploads), the mail
 * bucket's CORS for the console's origin, the console API at `/api` on the console's origin, and
 * the upload of the console with its config.json (apiUrl on its own origin, the pool's sign-in).
 */
export class PostroomConsole extends Construct {
  readonly identity: ConsoleIdentity;
  readonly hosting: ConsoleHosting;
  readonly api: ConsoleApi;

  constructor(scope: Construct, id: string, props: PostroomConsoleProps) {
    super(scope, id);
    const retention = props.logRetention !== undefined ? { logRetention: props.logRetention } : {};
    const domain = props.customDomain;
    this.identity = new ConsoleIdentity(this, 'Identity', { ...(props.authDomainPrefix !== undefined && { domainPrefix: props.authDomainPrefix }) });
    this.hosting = new ConsoleHosting(this, 'Hosting', {
      connectSources: [this.identity.hostedUiUrl, `https://${props.mailStore.bucket.bucketRegionalDomainName}`],
      ...(props.assetsPath !== undefined && { assetsPath: props.assetsPath }),
      ...(domain && { customDomain: { domainName: domain.domainName, certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn) } }),
      ...retention,
    });
    this.identity.addConsoleClient(this.hosting.url);
    props.mailStore.allowBrowserAccess(this.hosting.origin, props.logRetention);
    this.api = new ConsoleApi(this, 'Api', { identity: this.identity, ...props.api, ...retention });
    this.hosting.addApi(this.api.api);
    this.hosting.deploy({ apiUrl: this.hosting.apiUrl, auth: this.identity.authConfig });
  }
}
