/**
 * The default stage both Postroom HTTP APIs share: stage throttling and JSON access logs in a log
 * group of their own, so the IAM API (the CLI) and the console API are logged and limited alike.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpStage, LogGroupLogDestination, type IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * Stage throttling. The API serves a contact center's agents and admin tooling, not the public:
 * 50 requests/s with bursts of 100 is far above that use and caps the cost of a runaway client.
 */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** HTTP API access log fields, as JSON (HTTP APIs have no resourcePath; routeKey names the route). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
} as const;

/** The access logs' retention and the fields a particular API logs beside {@link ACCESS_LOG_FIELDS}. */
export interface LoggedStageOptions {
  /** @default RetentionDays.THREE_MONTHS */
  readonly retention?: RetentionDays;
  /** More `$context` fields, e.g. the JWT's username for the console API. @default - none */
  readonly extraFields?: Readonly<Record<string, string>>;
}

/**
 * Adds `api`'s `$default` stage (auto-deployed, throttled per {@link API_THROTTLE}) with JSON access
 * logs to a new log group `AccessLogs` under `scope`, retained on stack deletion.
 * @returns the access log group
 */
export function addLoggedStage(scope: Construct, api: IHttpApi, options: LoggedStageOptions = {}): LogGroup {
  const accessLogs = new LogGroup(scope, 'AccessLogs', { retention: options.retention ?? RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
  new HttpStage(scope, 'DefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: API_THROTTLE,
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(JSON.stringify({ ...ACCESS_LOG_FIELDS, ...options.extraFields })),
    },
  });
  return accessLogs;
}
