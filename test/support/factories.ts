/**
 * Event and entity factories shared by every test (after Powertools' event factories): each builds
 * the object the way production receives or stores it, with fixed defaults a test overrides only
 * where its assertion depends on the value. Why defaults are fixed rather than random: a failing
 * assertion must show the same values on every run.
 */
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SesNotification } from '../../lambdas/adapters/ses/notification.ts';
import type { Agent, Queue } from '../../lambdas/core/agents/model.ts';
import type { Domain, ServedDomains } from '../../lambdas/core/domains/domain.ts';
import type { InboundMessage, ParsedMail, ReceiptInfo, Verdicts } from '../../lambdas/core/message.ts';
import type { EmailAddressRoute } from '../../lambdas/core/routing/model.ts';
import { sesReceiptNotification, type ReceivedMail } from '../../lambdas/local/ses-event.ts';

// ---- clock ----

/** 2026-11-23 at 09:mm:ss UTC, the clock of the documented score example (minute 0 is {@link T0}). */
export const at = (minute: number, second = 0): Date => new Date(Date.UTC(2026, 10, 23, 9, minute, second));

/** The instant every factory defaults to: 2026-11-23T09:00:00Z. */
export const T0 = at(0);

/** A clock for deps that take `now: () => Date`: fixed until the test moves it. */
export interface TestClock {
  readonly now: () => Date;
  /** Sets the time `now()` answers from here on. */
  set(to: Date): void;
  /** Moves the time on by `ms` milliseconds. */
  advance(ms: number): void;
}

/** A {@link TestClock} standing at `start` (default {@link T0}). */
export function testClock(start: Date = T0): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (to) => {
      current = to.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

// ---- events ----

/** Every SES verdict PASS: mail SES found clean and authenticated. */
export const PASS_VERDICTS: Verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

/** The SNS topic SES publishes receipt notifications to in the tests. */
export const INBOUND_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:inbound';

/**
 * The notification an SES receipt rule's S3 action publishes (raw SNS delivery: the SQS body is
 * this JSON), built by the local runtime's own builder so tests and runtime agree on the shape.
 * Defaults: message `m1` from ada@customer.example to help@support.example.com at {@link T0}, all
 * verdicts PASS, stored at `inbound/<messageId>` in bucket `mail`.
 */
export function sesNotification(over: Partial<ReceivedMail> = {}): SesNotification {
  const messageId = over.messageId ?? 'm1';
  return sesReceiptNotification({
    messageId,
    mailFrom: 'ada@customer.example',
    recipients: ['help@support.example.com'],
    receivedAt: T0,
    verdicts: PASS_VERDICTS,
    bucket: 'mail',
    key: `inbound/${messageId}`,
    topicArn: INBOUND_TOPIC_ARN,
    ...over,
  });
}

/** One SQS record as Lambda's event source mapping delivers it; `body` is sent as it is, or as JSON. */
export function sqsRecord(body: string | object, over: Partial<SQSRecord> = {}): SQSRecord {
  const messageId = over.messageId ?? 'm1';
  return {
    messageId,
    receiptHandle: messageId,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:inbound',
    awsRegion: 'us-east-1',
    ...over,
  };
}

/** An SQS event of these records, as the routing Lambda is invoked with. */
export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** The SNS envelope around a notification when raw message delivery is off: the SQS body then. */
export function snsEnvelope(message: object): string {
  return JSON.stringify({ Type: 'Notification', Message: JSON.stringify(message) });
}

/** The IAM principal {@link httpApiEvent}'s requests are signed by. */
export const TEST_IAM_USER_ARN = 'arn:aws:iam::123456789012:user/cloud-engineer';

/** A request as API Gateway's HTTP API (payload format 2.0) hands it to the API Lambda, signed with SigV4 by `iamUserArn`. */
export function httpApiEvent(method: string, path: string, iamUserArn: string | null = TEST_IAM_USER_ARN): APIGatewayProxyEventV2 {
  // The IAM authorizer's verified principal (issue 12: IAM callers are admins); null: a request without SigV4.
  const authorizer = iamUserArn === null ? {} : { authorizer: { iam: { userArn: iamUserArn } } };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.test' },
    isBase64Encoded: false,
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' }, domainName: 'api.example.test', stage: '$default', ...authorizer },
  } as unknown as APIGatewayProxyEventV2;
}

/** A Lambda context with a minute left: what Powertools' batch processing reads of it. */
export function lambdaContext(over: Partial<Context> = {}): Context {
  return { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 60_000, ...over } as Context;
}

// ---- messages ----

/**
 * What SES knew of message `messageId` before it was parsed: received at {@link T0} from
 * ada@customer.example for help@support.example.com, all verdicts PASS, stored at `inbound/<id>`.
 */
export function receiptInfo(messageId = 'm1', over: Partial<ReceiptInfo> = {}): ReceiptInfo {
  return {
    transport: { kind: 'ses', messageId },
    receivedAt: T0.toISOString(),
    recipients: ['help@support.example.com'],
    mailFrom: 'ada@customer.example',
    verdicts: PASS_VERDICTS,
    raw: { bucket: 'mail', key: `inbound/${messageId}` },
    ...over,
  };
}

/** A small plain-text mail from Ada to help@support.example.com as the MIME adapter extracts it. */
export function parsedMail(over: Partial<ParsedMail> = {}): ParsedMail {
  return {
    subject: 'Invoice 4711 is wrong',
    from: { address: 'ada@customer.example', name: 'Ada' },
    to: [{ address: 'help@support.example.com' }],
    cc: [],
    replyTo: [],
    references: [],
    headers: {},
    text: 'Please correct my invoice.',
    textTruncated: false,
    attachments: [],
    stats: { parts: 1, depth: 1, bytes: 300 },
    ...over,
  };
}

/** The normalized message core routes: {@link receiptInfo} of `m1` and {@link parsedMail}. */
export function inboundMessage(over: Partial<InboundMessage> = {}): InboundMessage {
  return { ...receiptInfo(), ...parsedMail(), ...over };
}

// ---- configuration and agents ----

/**
 * An address route as the config store holds it: replies come from the address itself, mail waits
 * in queue `default` with no skills at priority 0; created and updated at {@link T0}.
 */
export function addressRoute(address = 'help@support.example.com', over: Partial<EmailAddressRoute> = {}): EmailAddressRoute {
  return {
    address,
    fromName: 'Support',
    fromAddress: address,
    bcc: [],
    routing: { kind: 'queue', queueId: 'default', skills: [], priority: 0 },
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    ...over,
  };
}

/** A queue named `Queue <id>`, created at {@link T0}. */
export function queue(id: string, over: Partial<Queue> = {}): Queue {
  return { id, name: `Queue ${id}`, createdAt: T0.toISOString(), ...over };
}

/** An agent named `Agent <id>` who speaks English, has no skills and takes work from `queues`. */
export function agent(id: string, queues: readonly string[] = [], over: Partial<Agent> = {}): Agent {
  return { id, name: `Agent ${id}`, skills: [], languages: ['en'], queues, createdAt: T0.toISOString(), ...over };
}

/**
 * A served domain as the domain store holds it: added by an admin (`api`), MAIL FROM
 * `bounce.<name>`, no SES identity of Postroom's and no published records; created at {@link T0}.
 */
export function domainRecord(name: string, over: Partial<Domain> = {}): Domain {
  return {
    name,
    mailFromDomain: `bounce.${name}`,
    owner: 'api',
    sesIdentity: 'adopted',
    dkimTokens: [],
    publishedRecords: [],
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    ...over,
  };
}

/** Served domains fixed to `names` (lower-case), for tests whose subject is not the domain store. */
export function servedDomains(names: readonly string[]): ServedDomains {
  return { list: async () => names, has: async (name) => names.includes(name.toLowerCase()) };
}
