/**
 * The admin and agent HTTP API: API Gateway HTTP API with IAM (SigV4) authorization in front of
 * the API Lambda.
 */
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Grant, PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { RetentionDays, type LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { OAUTH2_CALLBACK_PATH } from '../../contract/oauth2.ts';
import type { IInteractionTables } from './interaction-tables.ts';
import type { IMailStore } from './mail-store.ts';
import { addLoggedStage } from './http-api-stage.ts';
import { PostroomFunction, handlerEntry } from './postroom-function.ts';

export { API_THROTTLE } from './http-api-stage.ts';

/** The API function's sizing: small JSON reads against DynamoDB. */
export const API_LIMITS = { timeout: Duration.seconds(10), memorySize: 256 } as const;

/** What the admin API does with mail server secrets (adapters/secrets/secrets-manager-store.ts). */
export const MAIL_SERVER_SECRET_ACTIONS = [
  'secretsmanager:CreateSecret',
  'secretsmanager:PutSecretValue',
  'secretsmanager:GetSecretValue',
  'secretsmanager:DeleteSecret',
  'secretsmanager:TagResource',
  'secretsmanager:DescribeSecret',
] as const;

/**
 * The paths API Gateway sends to the admin function (lambdas/handlers/flow-api.ts), each with its
 * sub-paths: flows (RE2 validation), the domain and mail server registries and the SMTP integrations
 * (SES v2, Route 53 and Secrets Manager clients), and the users (Cognito), all of which stay out of
 * the agent-facing bundle. Both HTTP APIs (IAM and console) split by this list.
 */
export const ADMIN_API_PATHS = ['/flows', '/domains', '/servers', '/smtp-integrations', '/users'] as const;

/** Every route key prefix of {@link ADMIN_API_PATHS}: the path itself and `<path>/{proxy+}`. */
export function adminRoutePaths(): string[] {
  return ADMIN_API_PATHS.flatMap((p) => [p, `${p}/{proxy+}`]);
}

/** The tables the API reads and writes, the mail it presigns, the served domains and its log retention. */
export interface AdminApiProps {
  /** The tables agents claim and release interactions in and admins configure queues, routes and flows in. */
  readonly tables: IInteractionTables;
  /** Raw mail and decoded parts, which agents read through presigned URLs the function signs. */
  readonly mailStore: IMailStore;
  /** Retention of both functions' log groups and of the API's access logs. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * An HTTP API whose every route but `GET /oauth2/callback` (a browser redirect, guarded by the
 * consent state; its URL goes to the API function as OAUTH2_REDIRECT_URI) requires IAM
 * authorization (SigV4, as the `postroom` CLI signs),
 * a `/{proxy+}` route for any method to the API Lambda (lambdas/handlers/api.ts; 256 MB, 10 s),
 * `/flows`, `/domains` and their sub-paths to the admin API Lambda (lambdas/handlers/flow-api.ts:
 * the same app with the flow routes, whose RE2 validation stays out of the agent-facing bundle,
 * the domain registry, the mail server registry at `/servers` and their sending settings at
 * `/smtp-integrations`; it may read and write the config
 * table and the secrets `postroom/mail-servers/*`, and the stack binds domain management to it:
 * `EmailDomains.bindDomainManagement`),
 * JSON access logs in their own log group and stage throttling of 50 req/s (burst 100).
 * The API function may read, write and delete items of the three tables and read raw mail
 * (`inbound/*`) and decoded parts (`parts/*`) to presign 5-minute download URLs for agents; the
 * stack adds the rights to redrive dead letters (`DeadLetters.bindRedrive`). Nothing else.
 */
export class AdminApi extends Construct {
  /** The IAM-authorized HTTP API. */
  readonly api: HttpApi;
  /** Serves every route but `/flows`. */
  readonly handler: PostroomFunction;
  /** Serves `/flows` (flow validation carries the RE2 engine) and `/domains` (SES and Route 53 clients). */
  readonly flowHandler: PostroomFunction;
  /** The default stage's JSON access logs (retained on stack deletion). */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    const retention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    const environment = {
      ...props.tables.environment(),
      [ENV.contentDelivery]: 'presign',
    };
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('api'),
      description: 'Postroom admin and agent API',
      timeout: API_LIMITS.timeout,
      memorySize: API_LIMITS.memorySize,
      logRetention: retention,
      environment,
    });
    this.flowHandler = new PostroomFunction(this, 'FlowHandler', {
      entry: handlerEntry('flow-api'),
      description: 'Postroom API: flows (RE2 pattern validation)',
      timeout: API_LIMITS.timeout,
      memorySize: API_LIMITS.memorySize,
      logRetention: retention,
      environment,
    });
    // Flows, their versions and the templates and routes they reference all live in the config table.
    props.tables.config.grantReadWriteData(this.flowHandler);
    // The mail server registry keeps passwords and tokens in Secrets Manager, never in the table.
    this.grantMailServerSecrets(this.flowHandler);
    this.flowHandler.acknowledgePolicyFinding(
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:postroom/mail-servers/*]',
      'Mail servers are added at runtime, one secret each, named postroom/mail-servers/<id>; the prefix admits those secrets and no other.',
    );
    // Exactly what the API's stores call, per table: no Scan of interactions, no batch writes (item 1).
    props.tables.grantApiAccess(this.handler);
    // A presigned URL carries the signer's permissions: reading exactly these two prefixes.
    props.mailStore.grantReadRaw(this.handler);
    props.mailStore.grantReadParts(this.handler);

    this.api = new HttpApi(this, 'Api', {
      description: 'Postroom admin and agent API (IAM-authorized)',
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    this.api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('Handler', this.handler.function),
    });
    const flows = new HttpLambdaIntegration('FlowHandler', this.flowHandler.function);
    // The OAuth2 provider sends the admin's browser here, and a browser cannot sign with SigV4: this
    // one route has no authorizer; the consent state (unguessable, single use, 10 minutes) protects
    // it. The admin function serves it: it holds the mail server secrets the consent is stored in.
    const [callback] = this.api.addRoutes({ path: OAUTH2_CALLBACK_PATH, methods: [HttpMethod.GET], integration: flows, authorizer: new HttpNoneAuthorizer() });
    Validations.of(callback!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The OAuth2 provider redirects the admin browser here and a browser cannot sign requests; the single-use, 10-minute consent state authorizes the request.',
    });
    this.flowHandler.function.addEnvironment(ENV.oauth2RedirectUri, this.api.apiEndpoint + OAUTH2_CALLBACK_PATH);
    for (const path of adminRoutePaths()) this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration: flows });
    this.accessLogs = addLoggedStage(this, this.api, { retention });
  }

  /**
   * Lets `grantee` create, read, replace and delete the mail servers' secrets, and nothing else in
   * Secrets Manager: only names under `postroom/mail-servers/` (SRV-10), encrypted with the account's
   * default key. TagResource because CreateSecret with tags needs it; DescribeSecret to tell a
   * missing secret from a denied one.
   */
  grantMailServerSecrets(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [...MAIL_SERVER_SECRET_ACTIONS],
      resourceArns: [`arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:postroom/mail-servers/*`],
    });
  }

  /** The invoke URL of the default stage (what the CLI calls). */
  get url(): string {
    return this.api.apiEndpoint + '/';
  }
}
