/**
 * Flow API Lambda: API Gateway sends it `/flows` and `/flows/*`. It runs the whole API app (the
 * local runtime serves the same), so flows are validated exactly as everywhere, RE2 (re2js)
 * included, and the e-mail domain registry with its SES v2 and Route 53 clients; the agent-facing
 * API Lambda (api.ts) leaves that weight out of its bundle. API Gateway sends `/domains` here too
 * (lib/constructs/admin-api.ts), and the domain registry keeps the SES receipt rule's recipients in
 * step when the stack bound the recipient sync (RECEIPT_RULE_SET, RECEIPT_RULE).
 */
import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../adapters/api/app.ts';
import { adminApiDeps } from '../adapters/api-deps.ts';
import { MailConnectionTester } from '../adapters/mailboxes/connection-tester.ts';
import { receiptRecipientsFromEnv } from '../adapters/receiving-env.ts';
import { documentClient } from '../adapters/aws-clients.ts';
import { tablesEnv } from '../adapters/env.ts';
import { flowDryRunFromEnv } from '../adapters/flow-dry-run-deps.ts';

const recipients = receiptRecipientsFromEnv();
// The flow dry run when the stack gives this Lambda routing's settings (DEFAULT_QUEUE_ID ...); here, not
// in api-deps.ts, so its language detector stays out of the agent API Lambda's bundle.
const flowDryRun = flowDryRunFromEnv(documentClient(), tablesEnv().interactionsTable);

/**
 * The app, exported so the handler's wiring can be exercised without API Gateway. `/servers` is
 * served here too, with the real connection test: saving an enabled mail server tests it (SRV-6).
 */
export const app = createApiApp({ ...adminApiDeps({ ...(recipients && { recipients }), mailServers: { tester: new MailConnectionTester() } }), ...(flowDryRun && { flowDryRun }) });

/** The Lambda entry point. */
export const handler = handle(app);
