/**
 * The mail bucket: the claim check of decision 3. Every message is stored here (under `inbound/`)
 * before anything else happens, and so are its decoded parts and the large bodies of dead letters;
 * queues and tables only point at it.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Grant, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { DEAD_LETTER_PREFIX, PARTS_PREFIX, POLLED_MAIL_PREFIX, RAW_MAIL_PREFIX } from '../../contract/mail-bucket.ts';
import { acknowledgeSdkCallProvider, grantObjectPrefix } from './acknowledgements.ts';
import { sdkCallProviderLogGroup } from './sdk-call-provider.ts';

/**
 * What a browser page may do with presigned URLs of the mail bucket: PUT an attachment upload with
 * the signed type and name (the browser sets Content-Length), GET or HEAD a download. An hour of
 * preflight caching; ETag exposed so an upload can be confirmed.
 */
export const BROWSER_CORS_RULE = {
  AllowedMethods: ['PUT', 'GET', 'HEAD'],
  AllowedHeaders: ['content-type', 'content-disposition'],
  ExposeHeaders: ['ETag'],
  MaxAgeSeconds: 3600,
} as const;

/** Retention and removal of the mail store; the security settings are not optional. */
export interface MailStoreProps {
  /**
   * How long a replaced or deleted object version is kept: a mistaken overwrite or delete of a
   * customer's mail can be undone for this long, after which storage stops growing.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * How long S3 server access logs are kept.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;
  /**
   * What happens to the buckets when the stack is deleted. Mail is customer data.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What the constructs that use the mail store need of it: the bucket (for its name in a function's
 * environment, and as SES's target) and grants by key prefix.
 */
export interface IMailStore {
  /** The mail bucket: raw mail under `inbound/`, parts under `parts/`, dead-letter bodies under `dead-letters/`. */
  readonly bucket: IBucket;
  /** The entry naming the bucket, as MAIL_BUCKET or (the dead-letter store's) DEAD_LETTER_BUCKET. @default MAIL_BUCKET */
  environment(variable?: 'mailBucket' | 'deadLetterBucket'): Record<string, string>;
  /** Lets `grantee` read raw messages (`inbound/*`). */
  grantReadRaw(grantee: IGrantable): Grant;
  /** Lets `grantee` list the bucket with an `inbound/` prefix only. */
  grantListRaw(grantee: IGrantable): Grant;
  /** Lets `grantee` write (and abort multipart uploads of) decoded parts (`parts/*`). */
  grantWriteParts(grantee: IGrantable): Grant;
  /** Lets `grantee` read decoded parts (`parts/*`). */
  grantReadParts(grantee: IGrantable): Grant;
  /** Lets `grantee` write large dead-letter bodies (`dead-letters/*`). */
  grantWriteDeadLetters(grantee: IGrantable): Grant;
  /** Lets `grantee` read large dead-letter bodies (`dead-letters/*`). */
  grantReadDeadLetters(grantee: IGrantable): Grant;
  /** Lets `grantee` store polled mail (`polled/*`): the mailbox pollers. */
  grantWritePolled(grantee: IGrantable): Grant;
  /** Lets `grantee` read polled mail (`polled/*`): routing, which parses it as it parses `inbound/`. */
  grantReadPolled(grantee: IGrantable): Grant;
  /** Lets `grantee` list the bucket with a `polled/` prefix only (the reconciler). */
  grantListPolled(grantee: IGrantable): Grant;
  /** Lets browser pages of `origin` use presigned URLs of the bucket (CORS for that origin only). */
  allowBrowserAccess(origin: string, logRetention?: RetentionDays): AwsCustomResource;
}

/**
 * The mail bucket (S3-managed encryption so SES can write without a key grant, TLS only, all
 * public access blocked, versioned) and its server access log bucket. Defaults: noncurrent
 * versions expire after 30 days, access logs after 365, both buckets are retained on delete.
 * Grants are by key prefix (contract/mail-bucket.ts) and go to the grantee's identity policy only,
 * never the bucket policy: every grantee is a role of the same stack. SES's own write permission
 * is added by the receipt rule's action (raw-mail-action.ts).
 */
export class MailStore extends Construct implements IMailStore {
  readonly bucket: IBucket;
  /** Receives the mail bucket's server access logs (under `mail/`); nothing else writes to it. */
  readonly accessLogBucket: IBucket;

  constructor(scope: Construct, id: string, props: MailStoreProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(365) }],
      removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log target of the mail bucket; logging it into itself would log its own log writes.',
    });
    this.accessLogBucket = accessLogs;
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'mail/',
      lifecycleRules: [
        {
          noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
  }

  /** The environment entry naming the bucket under `variable` of contract/environment.ts (default `mailBucket`). */
  environment(variable: 'mailBucket' | 'deadLetterBucket' = 'mailBucket'): Record<string, string> {
    return { [ENV[variable]]: this.bucket.bucketName };
  }

  /** Lets `grantee` read raw messages (`inbound/*`), and nothing else in the bucket. */
  grantReadRaw(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)] },
      'Raw mail objects are keyed per message by SES under inbound/; read access is limited to that prefix.',
    );
  }

  /**
   * Lets `grantee` list raw messages: ListBucket on the bucket, only with an `inbound/` prefix (the
   * reconciler's listing), so no other key of the bucket is even named to it.
   */
  grantListRaw(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${RAW_MAIL_PREFIX}*`] } },
    });
  }

  /**
   * Lets `grantee` write decoded parts (`parts/*`), and nothing else in the bucket. Large parts go
   * up as multipart uploads, so aborting one (after a failure) is part of writing.
   */
  grantWriteParts(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [this.bucket.arnForObjects(`${PARTS_PREFIX}*`)] },
      'Decoded parts are keyed per interaction under parts/; write access is limited to that prefix.',
    );
  }

  /** Lets `grantee` read decoded parts (`parts/*`), e.g. for showing attachments to agents. */
  grantReadParts(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects(`${PARTS_PREFIX}*`)] },
      'Decoded parts are keyed per interaction under parts/; read access is limited to that prefix.',
    );
  }

  /** Lets `grantee` store the large bodies of dead letters (`dead-letters/*`), and nothing else in the bucket. */
  grantWriteDeadLetters(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:PutObject'], resourceArns: [this.bucket.arnForObjects(`${DEAD_LETTER_PREFIX}*`)] },
      'Large dead-letter bodies are keyed per dead letter under dead-letters/; write access is limited to that prefix.',
    );
  }

  /** Lets `grantee` read the large bodies of dead letters (`dead-letters/*`), to redrive them. */
  grantReadDeadLetters(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects(`${DEAD_LETTER_PREFIX}*`)] },
      'Large dead-letter bodies are keyed per dead letter under dead-letters/; read access is limited to that prefix.',
    );
  }

  /**
   * Lets `grantee` store polled mail (`polled/*`), and nothing else in the bucket. Large messages
   * go up as multipart uploads, so aborting one (after a failure) is part of writing.
   */
  grantWritePolled(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [this.bucket.arnForObjects(`${POLLED_MAIL_PREFIX}*`)] },
      'Polled mail objects are keyed per message by their transport identity under polled/; write access is limited to that prefix.',
    );
  }

  /** Lets `grantee` read polled mail (`polled/*`), and nothing else in the bucket. */
  grantReadPolled(grantee: IGrantable): Grant {
    return grantObjectPrefix(
      { grantee, actions: ['s3:GetObject'], resourceArns: [this.bucket.arnForObjects(`${POLLED_MAIL_PREFIX}*`)] },
      'Polled mail objects are keyed per message by their transport identity under polled/; read access is limited to that prefix.',
    );
  }

  /** Lets `grantee` list polled mail: ListBucket on the bucket, only with a `polled/` prefix. */
  grantListPolled(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${POLLED_MAIL_PREFIX}*`] } },
    });
  }

  /**
   * Lets pages of `origin` (the console, e.g. `https://d111.cloudfront.net`, no trailing slash) use
   * presigned URLs of this bucket from the browser: the bucket's CORS rules ({@link BROWSER_CORS_RULE}
   * for that origin only), put by an SDK call on deploy and removed with the stack. Why not the
   * bucket's own `cors`: the console's CSP names this bucket and this rule names the console's
   * distribution, a dependency cycle in one template. Each request is still authorized by its signature.
   */
  allowBrowserAccess(origin: string, logRetention?: RetentionDays): AwsCustomResource {
    const put: AwsSdkCall = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: { Bucket: this.bucket.bucketName, CORSConfiguration: { CORSRules: [{ ...BROWSER_CORS_RULE, AllowedOrigins: [origin] }] } },
      physicalResourceId: PhysicalResourceId.of('mail-bucket-browser-cors'),
    };
    const cors = new AwsCustomResource(this, 'BrowserCors', {
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'S3', action: 'deleteBucketCors', parameters: { Bucket: this.bucket.bucketName } },
      installLatestAwsSdk: false,
      logGroup: sdkCallProviderLogGroup(this, logRetention),
      policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [this.bucket.bucketArn] })]),
    });
    acknowledgeSdkCallProvider(this);
    return cors;
  }
}
