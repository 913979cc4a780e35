/**
 * The embedded AWS stand-ins of the local runtime: dynalite (DynamoDB) and fauxqs (SQS, SNS, S3),
 * both in-process on loopback. Tests use the same starters so that they talk to real servers.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { startFauxqs, type FauxqsServer } from 'fauxqs';

const require = createRequire(import.meta.url);

export interface RunningService {
  /** Base URL on 127.0.0.1, for `endpoint` / `AWS_ENDPOINT_URL_*`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface Dynalite extends RunningService {}

/**
 * Listens with `server` on 127.0.0.1 (never another interface: the stand-ins have no auth) and
 * gives its endpoint; `stop` closes it and its open connections.
 * @param port defaults to 0 (any free port)
 */
export async function serveOnLoopback(server: Server, port = 0): Promise<RunningService> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/**
 * Starts dynalite on 127.0.0.1.
 * @param options.path a folder for LevelDB files; in memory when omitted
 * @param options.port defaults to 0 (any free port)
 */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<Dynalite> {
  const dynalite = require('dynalite') as (opts: object) => Server;
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path && { path: options.path }),
  });
  return serveOnLoopback(server, options.port);
}

export interface Fauxqs extends RunningService {
  readonly server: FauxqsServer;
}

/** Starts fauxqs (SQS, SNS and S3 on one endpoint) on 127.0.0.1. */
export async function startFauxqsService(options: { port?: number; region?: string } = {}): Promise<Fauxqs> {
  const server = await startFauxqs({
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: false,
    defaultRegion: options.region ?? 'us-east-1',
  });
  return { endpoint: `http://127.0.0.1:${server.port}`, server, stop: () => server.stop() };
}

/** Credentials the local emulators accept; they never leave this machine. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';
