/**
 * API Lambda: the agent-facing HTTP API behind API Gateway's HTTP API (IAM auth, payload format
 * 2.0): every route but `/flows`, whose RE2 pattern validation lives in the flow API Lambda
 * (flow-api.ts) so that this bundle stays small for cold starts. Wiring only: env is read and
 * clients are created once per container. It imports no MIME adapter and no S3 or SQS SDK client.
 */
import { handle } from 'hono/aws-lambda';
import { createAgentApiApp } from '../adapters/api/api-app.ts';
import { apiDeps } from '../adapters/api-deps.ts';

/** The app, exported so the handler's wiring can be exercised without API Gateway. */
export const app = createAgentApiApp(apiDeps());

/** The Lambda entry point. */
export const handler = handle(app);
