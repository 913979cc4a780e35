/**
 * A TCP proxy on loopback that holds every chunk for `oneWayMs` in each direction, so a local
 * stand-in answers with the round trip of a remote service (a Lambda's S3 PUT or SQS call is a
 * network round trip of several ms, which the stand-ins on loopback do not have). Chunks keep
 * their order (timers of equal delay fire in order). For benchmarks: no back-pressure.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface DelayProxy {
  /** `http://127.0.0.1:<port>`: use it where the target's endpoint was used. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Proxies to `target` (an http URL on loopback) with `oneWayMs` added each way. */
export async function startDelayProxy(target: string, oneWayMs: number): Promise<DelayProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (client.destroy(), upstream.destroy()));
    }
    relay(client, upstream, oneWayMs);
    relay(upstream, client, oneWayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function relay(from: Socket, to: Socket, ms: number): void {
  from.on('data', (chunk) => void setTimeout(() => to.writable && to.write(chunk), ms));
  from.on('end', () => void setTimeout(() => to.writable && to.end(), ms));
}
