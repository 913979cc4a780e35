/**
 * Where the console is served from (issue 12 item 6): its built assets in a private S3 bucket behind
 * a CloudFront distribution (origin access control), with security headers on every answer, and the
 * console API behind the same origin under `/api`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  Function as EdgeFunction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_CONFIG_FILE, type ConsoleConfig } from '../../contract/console.ts';
import { ContextError } from '../context-error.ts';
import { acknowledgeBucketDeployment } from './console-acknowledgements.ts';
import { PROJECT_ROOT } from './postroom-function.ts';

/** Where `npm run build:console` writes the console (console/build.mjs). */
export const CONSOLE_DIST = join(PROJECT_ROOT, 'console', 'dist');

/** The path the console API is served under on the console's origin; CloudFront strips it. */
export const CONSOLE_API_PATH = '/api';

/** Headers every answer carries; the CSP's connect-src gets the console's other origins appended. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: https:",
  "style-src 'self' 'unsafe-inline'",
  "frame-src 'self' about:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
] as const;

/** HSTS for two years with subdomains: the console is only ever served over HTTPS. */
const HSTS_MAX_AGE = Duration.days(730);

/** What the console is built from, where it may connect, and its optional own domain. */
export interface ConsoleHostingProps {
  /**
   * The built console: a folder with `index.html` (`npm run build:console`).
   * @default CONSOLE_DIST (console/dist)
   */
  readonly assetsPath?: string;
  /**
   * Origins the console fetches from besides its own (the CSP's connect-src): the hosted sign-in
   * (token and logout endpoints) and the mail bucket (attachment uploads to presigned URLs).
   * @default - none; only the console's own origin and its `/api`
   */
  readonly connectSources?: readonly string[];
  /**
   * The console's own domain name and its certificate (ACM in us-east-1), with TLS 1.2 (2021) the
   * minimum. @default - the distribution's CloudFront domain and the default CloudFront certificate
   */
  readonly customDomain?: { readonly domainName: string; readonly certificate: ICertificate };
  /** An AWS WAF web ACL (in us-east-1) to attach. @default - none */
  readonly webAclId?: string;
  /** How long S3 and CloudFront access logs are kept. @default Duration.days(365) */
  readonly accessLogRetention?: Duration;
  /** Retention of the upload handler's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * A private, versioned, encrypted, TLS-only bucket (server access logs to its own log bucket, which
 * also receives the distribution's standard logs) behind a CloudFront distribution with origin
 * access control: HTTPS (HTTP redirects), `index.html` at the root, HTTP/2 and 3, and on every
 * answer HSTS, nosniff, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer` and the
 * {@link CONSOLE_CSP} whose connect-src is `'self'` and `connectSources`. {@link addApi} serves an
 * HTTP API at `/api/*`; {@link deploy} uploads the assets and `config.json`.
 * Throws a ContextError when `assetsPath` has no `index.html` (the console is not built).
 */
export class ConsoleHosting extends Construct {
  readonly bucket: IBucket;
  readonly logBucket: IBucket;
  readonly distribution: Distribution;
  private readonly headers: ResponseHeadersPolicy;
  private readonly assetsPath: string;
  private readonly domainName: string;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps = {}) {
    super(scope, id);
    this.assetsPath = props.assetsPath ?? CONSOLE_DIST;
    this.logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    if (!existsSync(join(this.assetsPath, 'index.html'))) {
      throw new ContextError(`the console is not built (${join(this.assetsPath, 'index.html')} is missing): run \`npm run build:console\` first`);
    }
    const common = { encryption: BucketEncryption.S3_MANAGED, enforceSSL: true, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, removalPolicy: RemovalPolicy.RETAIN };
    // CloudFront's standard logs are written with an ACL, so the log bucket keeps ACLs (owner preferred).
    this.logBucket = new Bucket(this, 'AccessLogs', {
      ...common,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(365) }],
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access log target of the console bucket and distribution; logging it into itself would log its own log writes.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...common,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    });
    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Postroom console security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: HSTS_MAX_AGE, includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: consoleCsp(props.connectSources ?? []), override: true },
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Postroom console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclId !== undefined && { webAclId: props.webAclId }),
      ...(props.customDomain && {
        domainNames: [props.customDomain.domainName],
        certificate: props.customDomain.certificate,
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
    });
    this.domainName = props.customDomain?.domainName ?? this.distribution.distributionDomainName;
    this.acknowledgeDistribution(props);
  }

  /** The console's URL with a trailing slash (its sign-in callback and sign-out URL). */
  get url(): string {
    return `https://${this.domainName}/`;
  }

  /** The console's origin, `https://<domain>` without a trailing slash (what CORS rules name). */
  get origin(): string {
    return `https://${this.domainName}`;
  }

  /** The console API's URL on the console's origin, without a trailing slash (config.json's apiUrl). */
  get apiUrl(): string {
    return `https://${this.domainName}${CONSOLE_API_PATH}`;
  }

  /**
   * Serves `api` at `/api/*` on the console's origin: HTTPS only, never cached, every viewer header
   * but Host (Authorization included) and the query string forwarded, and a viewer-request function
   * that strips the `/api` prefix so the API sees its own paths. Why the same origin: the API's CORS
   * would name the distribution and the distribution's CSP the API, a dependency cycle; on one origin
   * neither is needed, and no preflight precedes each call.
   */
  addApi(api: IHttpApi): void {
    const stripPrefix = new EdgeFunction(this, 'ApiPathFunction', {
      comment: 'Strips /api before the console API',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        `function handler(event) { var r = event.request; r.uri = r.uri.replace(/^\\${CONSOLE_API_PATH}(?=\\/|$)/, '') || '/'; return r; }`,
      ),
    });
    const origin = new HttpOrigin(`${api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    this.distribution.addBehavior(`${CONSOLE_API_PATH}/*`, origin, {
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.headers,
      functionAssociations: [{ function: stripPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
    });
  }

  /**
   * Uploads the built console and `config.json` (written from `config`, tokens resolved at deploy
   * time), removes files no longer built, and invalidates the distribution so the new version is
   * served at once.
   */
  deploy(config: ConsoleConfig): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(this.assetsPath), Source.jsonData(CONSOLE_CONFIG_FILE, config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
      logGroup: new LogGroup(this, 'AssetsLogs', { retention: this.logRetention, removalPolicy: RemovalPolicy.RETAIN }),
    });
    acknowledgeBucketDeployment(deployment);
    return deployment;
  }

  private acknowledgeDistribution(props: ConsoleHostingProps): void {
    const acknowledge = (id: string, reason: string) => Validations.of(this.distribution).acknowledge({ id, reason });
    acknowledge('AwsSolutions-CFR1', 'Agents and admins sign in from wherever the organisation works; who may use the console is decided by the sign-in, not by country.');
    if (props.webAclId === undefined) {
      acknowledge('AwsSolutions-CFR2', 'The console is static files and every API call needs a verified token and is throttled; a web ACL is optional (ConsoleHostingProps.webAclId) because of its fixed monthly cost.');
    }
    if (!props.customDomain) {
      acknowledge('AwsSolutions-CFR4', 'Without a custom domain the distribution uses the default CloudFront certificate, whose minimum protocol CloudFront fixes; with one (customDomain) the minimum is TLS 1.2 (2021).');
    }
  }
}

/** The console's Content-Security-Policy: {@link CONSOLE_CSP} with connect-src `'self'` and `connectSources`. */
export function consoleCsp(connectSources: readonly string[]): string {
  return [...CONSOLE_CSP.slice(0, 4), ["connect-src 'self'", ...connectSources].join(' '), ...CONSOLE_CSP.slice(4)].join('; ');
}
