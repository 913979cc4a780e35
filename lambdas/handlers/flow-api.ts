/**
 * Flow API Lambda: API Gateway sends it `/flows` and `/flows/*`. It runs the whole API app (the
 * local runtime serves the same), so flows are validated exactly as everywhere, RE2 (re2js)
 * included, and the e-mail domain registry with its SES v2 and Route 53 clients; the agent-facing
 * API Lambda (api.ts) leaves that weight out of its bundle. API Gateway must send `/domains` here too.
 */
import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../adapters/api/app.ts';
import { adminApiDeps } from '../adapters/api-deps.ts';

/** The app, exported so the handler's wiring can be exercised without API Gateway. */
export const app = createApiApp(adminApiDeps());

/** The Lambda entry point. */
export const handler = handle(app);
