/**
 * The console's HTTP API (issue 12 item 1): the same two API Lambdas as the IAM API, behind a JWT
 * authorizer on the console's Cognito tokens. The IAM API stays for the CLI.
 */
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { adminRoutePaths } from './admin-api.ts';
import type { ConsoleIdentity } from './console-identity.ts';
import { addLoggedStage } from './http-api-stage.ts';
import type { PostroomFunction } from './postroom-function.ts';

/** Who signs in, and the functions that serve the routes (AdminApi's `handler` and `flowHandler`). */
export interface ConsoleApiProps {
  /** The user pool and the console client whose access tokens the authorizer accepts (addConsoleClient first). */
  readonly identity: ConsoleIdentity;
  /** Serves every route but the admin paths (lambdas/handlers/api.ts). */
  readonly handler: PostroomFunction;
  /** Serves the admin paths, ADMIN_API_PATHS (lambdas/handlers/flow-api.ts), users included. */
  readonly flowHandler: PostroomFunction;
  /** Retention of the API's access logs. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * An HTTP API whose every route requires a valid access token of the console's app client: API
 * Gateway's JWT authorizer checks the signature against the pool's JWKS, `iss` (the pool), `exp`,
 * and `client_id` (Cognito access tokens carry no `aud`; API Gateway then checks `client_id`
 * against the audience). The functions verify the token again with the issuer and client id this
 * binds (ENV.authIssuer, ENV.authClientId), and take the caller and its role from it. `/{proxy+}`
 * goes to `handler`, the admin paths to `flowHandler`, which also gets the users routes' pool id and
 * rights (ConsoleIdentity.bindUserManagement). Throttled and logged as the IAM API (http-api-stage.ts),
 * with the token's username in every access log line. No CORS: the console calls it on its own
 * origin (ConsoleHosting.addApi), so no other origin is ever allowed.
 */
export class ConsoleApi extends Construct {
  readonly api: HttpApi;
  /** The default stage's JSON access logs (retained on stack deletion). */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ConsoleApiProps) {
    super(scope, id);
    const { identity } = props;
    this.api = new HttpApi(this, 'Api', {
      description: 'Postroom console API (Cognito JWT)',
      defaultAuthorizer: new HttpUserPoolAuthorizer('ConsoleAuthorizer', identity.userPool, { userPoolClients: [identity.consoleClient] }),
      createDefaultStage: false,
    });
    this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration: new HttpLambdaIntegration('Handler', props.handler.function) });
    const admin = new HttpLambdaIntegration('FlowHandler', props.flowHandler.function);
    for (const path of adminRoutePaths()) this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration: admin });
    this.accessLogs = addLoggedStage(this, this.api, {
      ...(props.logRetention !== undefined && { retention: props.logRetention }),
      extraFields: { username: '$context.authorizer.claims.username' },
    });
    identity.bindTokenVerification(props.handler);
    identity.bindTokenVerification(props.flowHandler);
    identity.bindUserManagement(props.flowHandler);
  }

  /** The API's own invoke URL (the console reaches it through the console's origin instead). */
  get url(): string {
    return this.api.apiEndpoint + '/';
  }
}
