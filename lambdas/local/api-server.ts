/**
 * Serves the HTTP API's app (the same Hono app the API Lambda serves) on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface ApiServer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startApiServer(app: Hono, port: number, hostname = '127.0.0.1'): Promise<ApiServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${hostname}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
