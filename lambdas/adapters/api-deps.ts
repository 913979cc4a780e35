/**
 * The HTTP API's dependencies wired over the AWS adapters: one place for both API Lambdas.
 * Clients are created once per container (aws-clients.ts); env is read when called.
 */
import { smtpIntegrationStore } from './dynamodb/smtp-integration-store.ts';
import type { ApiDeps } from './api/deps.ts';
import { apiStores } from './api-stores.ts';
import { documentClient, signedS3, signedSqs } from './aws-clients.ts';
import { SignedDeadLetterBodies, SignedInboundRequeue } from './aws/signed-dead-letter-io.ts';
import { S3MailContent } from './content/s3-mail-content.ts';
import { DynamoIngestFailures } from './dynamodb/ingest-failures.ts';
import { domainServiceFromEnv, type DomainServiceOptions } from './domain-service-env.ts';
import { contentDeliveryEnv, oauth2RedirectUriEnv, redriveEnv, tablesEnv } from './env.ts';
import { mailServerServiceFromEnv, secretsManagerSecretStore, type MailServerServiceOptions } from './mail-server-service-env.ts';
import { pollNowOnSavedFromEnv } from './mailboxes/poll-now.ts';
import { oauth2Wiring } from './oauth2/oauth2-wiring.ts';
import { outboundApiDeps, outboundApiEnv } from './outbound-api-deps.ts';
import { signedBatchCall, SqsOutboundNotifier } from './outbound/notifier.ts';
import { callerResolverFromEnv } from './auth/callers-env.ts';
import { userDirectoryFromEnv } from './users/user-directory-env.ts';

/**
 * The API's stores over DynamoDB (api-stores.ts) and its S3 and SQS parts, from the Lambda
 * environment (read once per container). Both API Lambdas (handlers/api.ts, handlers/flow-api.ts)
 * are wired with these.
 */
export function apiDeps(): ApiDeps {
  const env = tablesEnv();
  const stores = apiStores(documentClient(), env, { now: () => new Date() });
  const redrive = redriveEnv();
  const outbound = outboundApiEnv();
  return {
    ...stores,
    // IAM callers (the CLI) and, with AUTH_ISSUER and AUTH_CLIENT_ID, the console's Cognito tokens.
    callers: callerResolverFromEnv(),
    // Sending (issue 11) when MAIL_BUCKET and OUTBOUND_QUEUE_URL are set; notices through signed calls (no SQS SDK client here).
    ...(outbound && {
      outbound: outboundApiDeps(documentClient(), env, outbound.mailBucket, signedS3(), new SqsOutboundNotifier(signedBatchCall(signedSqs()), outbound.outboundQueueUrl)),
    }),
    content: new S3MailContent(signedS3(), contentDeliveryEnv()),
    deadLetters: {
      store: stores.deadLetters,
      ...(redrive && {
        redrive: {
          store: stores.deadLetters,
          ledger: new DynamoIngestFailures(documentClient(), env.interactionsTable),
          bodies: new SignedDeadLetterBodies(signedS3(), redrive.deadLetterBucket),
          requeue: new SignedInboundRequeue(signedSqs(), redrive.inboundQueueUrl),
          now: () => new Date(),
        },
      }),
    },
  };
}

/**
 * {@link apiDeps} plus the domain registry (domain-service-env.ts), the mail server registry
 * (mail-server-service-env.ts; `mailServers` adds its connection test) and its OAuth2 consent
 * routes (adapters/oauth2, redirect URI from OAUTH2_REDIRECT_URI), for the admin API Lambda
 * (handlers/flow-api.ts, the whole app). Why not in apiDeps: the registry brings the SES v2 and
 * Route 53 clients, which the agent-facing API Lambda's bundle leaves out (its size is tested).
 * `recipients`: the receipt rule's recipient sync, when the deployment receives through SES.
 */
export function adminApiDeps(options: DomainServiceOptions & { readonly mailServers?: MailServerServiceOptions } = {}): ApiDeps {
  const users = userDirectoryFromEnv();
  return {
    ...apiDeps(),
    domains: domainServiceFromEnv(options),
    mailServers: mailServerServiceFromEnv({ ...pollNowOnSavedFromEnv(), ...options.mailServers }),
    oauth2: oauth2Wiring(documentClient(), tablesEnv().configTable, secretsManagerSecretStore(), oauth2RedirectUriEnv()).api,
    smtpIntegrations: smtpIntegrationStore(documentClient(), tablesEnv().configTable),
    // The console's users when the stack set USER_POOL_ID (the Cognito client stays out of the agent API's bundle).
    ...(users && { users }),
  };
}
