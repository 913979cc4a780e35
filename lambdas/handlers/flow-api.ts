/**
 * Flow API Lambda: API Gateway sends it `/flows` and `/flows/*`. It runs the whole API app (the
 * local runtime serves the same), so flows are validated exactly as everywhere, RE2 (re2js)
 * included; the agent-facing API Lambda (api.ts) leaves that weight out of its bundle.
 */
import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../adapters/api/app.ts';
import { apiDeps } from '../adapters/api-deps.ts';

/** The app, exported so the handler's wiring can be exercised without API Gateway. */
export const app = createApiApp(apiDeps());

/** The Lambda entry point. */
export const handler = handle(app);
