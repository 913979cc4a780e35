/**
 * A loopback OAuth2 token introspection endpoint (RFC 7662) for Dovecot's oauth2 passdb: the test
 * decides which access tokens are active and whom they name, and sees every token asked about.
 * Only the introspection half of an authorization server; token issuing comes with the pollers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestIntrospection {
  /** POST target for `DovecotOAuth2Options.introspectionUrl`. */
  readonly url: string;
  /** Active tokens and the user each names; any other token is inactive (expired, revoked). */
  readonly activeTokens: Map<string, string>;
  /** Every token introspected, in order. */
  readonly introspected: string[];
  stop(): Promise<void>;
}

/** Starts the endpoint on a free 127.0.0.1 port; answers `{active, username}` as JSON. */
export async function startTestIntrospection(): Promise<TestIntrospection> {
  const activeTokens = new Map<string, string>();
  const introspected: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('token') ?? '';
      introspected.push(token);
      const username = activeTokens.get(token);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(username ? { active: true, username } : { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/introspect`,
    activeTokens,
    introspected,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
