/**
 * The local runtime's HTTP origin (issue 12): the local sign-in, the console and the whole API (as
 * the admin Lambda serves it) on one server, every API request verified by the same
 * jwtCallerResolver as deployed, over the local issuer's keys. The console PUTs attachments to the
 * local S3 (its presigned URLs), another origin: its CSP admits that origin, and the S3 stand-in
 * answers CORS for this origin's uploads only.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainService } from '../core/domains/domain-service.ts';
import { smtpIntegrationStore } from '../adapters/dynamodb/smtp-integration-store.ts';
import { startApiServer } from './api-server.ts';
import type { LocalResources } from './handler-environment.ts';
import { createLocalSite } from './local-site.ts';
import type { LocalMailServers } from './local-mail-servers.ts';
import type { S3FileServer } from './s3-file-server.ts';
import { LOCAL_TOKEN_CLIENT_IDS, type LocalIssuer } from './sign-in/local-issuer.ts';

/** What the origin serves over, from the runtime's other parts. */
export interface LocalApiOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly resources: LocalResources;
  /** The data folder (the issuer's keys and users live in `<dataDir>/issuer`); a temporary one when absent. */
  readonly dataDir?: string;
  /** The built console. @default console/dist of this checkout */
  readonly consoleDir?: string;
  /** The local S3, where the console's uploads go. */
  readonly s3Files: Pick<S3FileServer, 'endpoint' | 'allowBrowserUploads'>;
  readonly domains: DomainService;
  readonly mailServers: Pick<LocalMailServers, 'service' | 'oauth2'>;
  /** @default 8787 */
  readonly port?: number;
  readonly log: (line: string) => void;
}

/** The running origin: its URL, the issuer (users, keys) and `stop`. */
export interface LocalApi {
  readonly url: string;
  readonly issuer: LocalIssuer;
  stop(): Promise<void>;
}

/** Creates the issuer and the console site, serves them with the API on `port`, and wires the API's caller check. */
export async function startLocalApi(o: LocalApiOptions): Promise<LocalApi> {
  const r = o.resources;
  const site = await createLocalSite({ ...(o.dataDir && { dataDir: o.dataDir }), doc: o.doc, configTable: r.configTable, ...(o.consoleDir && { consoleDir: o.consoleDir }), connectSources: [new URL(o.s3Files.endpoint).origin], log: o.log });
  const { createApiApp } = await import('../adapters/api/app.ts');
  const { apiDeps } = await import('../adapters/api-deps.ts');
  // The flow dry run with routing's settings (configureHandlerEnvironment put them in the environment).
  const { flowDryRunFromEnv } = await import('../adapters/flow-dry-run-deps.ts');
  const flowDryRun = flowDryRunFromEnv(o.doc, r.interactionsTable);
  const server = await startApiServer(site, o.port ?? 8787);
  site.issuer.listen(server.url, server.origins);
  o.s3Files.allowBrowserUploads(r.mailBucket, server.origins);
  // The same verification as deployed: tokens of the local issuer (the console's and the local CLI's), checked against its keys.
  const { jwtCallerResolver } = await import('../adapters/auth/token-verifier.ts');
  const callers = jwtCallerResolver({ issuer: site.issuer.issuer(), clientIds: LOCAL_TOKEN_CLIENT_IDS, jwks: { keys: [...site.issuer.jwks.keys] } });
  site.serveApi(
    createApiApp({
      ...apiDeps(),
      ...(flowDryRun && { flowDryRun }),
      domains: o.domains,
      mailServers: o.mailServers.service,
      oauth2: o.mailServers.oauth2,
      smtpIntegrations: smtpIntegrationStore(o.doc, r.configTable),
      users: site.issuer.users,
      callers,
    }),
  );
  return {
    url: server.url,
    issuer: site.issuer,
    async stop() {
      await server.stop();
      await site.stop();
    },
  };
}
