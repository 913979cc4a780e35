/**
 * Everything the local runtime serves on its API origin (issue 12 items 1 and 6): the local issuer's
 * sign-in at `/auth/*`, the console at `/console/`, and the HTTP API for every other path. The API
 * app is handed in once the server listens, because its token verifier needs the issuer URL, which
 * names the port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Hono } from 'hono';
import type { FetchHandler } from './api-server.ts';
import { consoleSite } from './console-site.ts';
import { ISSUER_DIR } from './sign-in/issuer-keys.ts';
import { createLocalIssuer, type LocalIssuer } from './sign-in/local-issuer.ts';

/** The site: a fetch handler for the API server, with the issuer and the seam for the API app. */
export interface LocalSite extends FetchHandler {
  readonly issuer: LocalIssuer;
  /** The issuer's folder (`<data>/issuer`, or a temporary one in memory mode). */
  readonly issuerDir: string;
  /** Serves `api` for every path the sign-in and the console do not; until then those answer 503. */
  serveApi(api: FetchHandler): void;
  stop(): Promise<void>;
}

/** What the site is built over. */
export interface LocalSiteOptions {
  /** The data folder; the issuer keeps its keys in `<dataDir>/issuer`. @default a temporary folder removed at stop */
  readonly dataDir?: string;
  readonly doc: DynamoDBDocumentClient;
  readonly configTable: string;
  /** The built console. @default console/dist of this checkout */
  readonly consoleDir?: string;
  /** Origins besides its own the console may fetch from: the local S3 (uploads). @default [] */
  readonly connectSources?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Creates the issuer (keys, users) and the site's routes. */
export async function createLocalSite(options: LocalSiteOptions): Promise<LocalSite> {
  const issuerDir = options.dataDir ? join(options.dataDir, ISSUER_DIR) : await mkdtemp(join(tmpdir(), 'postroom-issuer-'));
  const issuer = await createLocalIssuer({ dir: issuerDir, doc: options.doc, configTable: options.configTable, ...(options.log && { log: options.log }) });
  let api: FetchHandler | undefined;
  const site = new Hono();
  site.route('/', issuer.routes);
  site.route('/', consoleSite({ ...(options.consoleDir && { dir: options.consoleDir }), ...(options.connectSources && { connectSources: options.connectSources }), auth: (origin) => issuer.consoleAuth(origin) }));
  site.all('*', (c) => (api ? api.fetch(c.req.raw, c.env) : c.text('starting', 503)));
  return {
    issuer,
    issuerDir,
    fetch: (req, env) => site.fetch(req, env),
    serveApi: (app) => void (api = app),
    stop: async () => {
      if (!options.dataDir) await rm(issuerDir, { recursive: true, force: true });
    },
  };
}
