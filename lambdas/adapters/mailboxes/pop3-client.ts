/**
 * Postroom's own POP3 client (RFC 1939; CAPA RFC 2449; STLS RFC 2595; AUTH RFC 5034 with PLAIN
 * RFC 4616 and XOAUTH2). Own, because no maintained npm POP3 client speaks STLS and SASL: node-pop3
 * 0.11 has neither, and the pollers need both plus a binary-safe, back-pressured RETR stream.
 *
 * Answers are read one command at a time: a command waits for the one before, and RETR holds the
 * session until its stream has been read to the end. When the server offers RFC 2449 PIPELINING
 * every command is written as soon as it is asked for ({@link Pop3Session.issue}), so a poll that
 * asks for the next RETRs and the DELEs while a message is read waits no round trip for them;
 * without it the DELEs asked for while another command runs are sent one after another when the
 * session is free (the command channel is pop3-channel.ts). Nothing here logs, so no credential can reach
 * a log line; errors pass through connection-errors.ts, which blanks them out.
 */
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { MailConnectionError, type MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { classifyConnectionError } from './connection-errors.ts';
import { endpointOf, openSocket, tlsHandshake } from './mail-endpoint.ts';
import { pop3Login } from './pop3-auth.ts';
import { Pop3Channel } from './pop3-channel.ts';
import { Pop3Wire } from './pop3-wire.ts';
import type { ConnectOptions, Pop3Client, Pop3Listing } from './session-types.ts';

/**
 * Largest RETR accepted when the caller names no `maxBytes`: 64 MiB, beyond what any provider
 * delivers (Microsoft 365 and Gmail cap messages at 150 MB and 50 MB including encoding, most
 * servers at 25-50 MB), so a runaway or hostile stream ends instead of filling the Lambda.
 */
export const MAX_POP3_MESSAGE_BYTES = 67_108_864;

/** RETR of a message larger than the caller's limit; the session is closed (it cannot skip the rest). */
export class MessageTooLargeError extends MailConnectionError {
  constructor(
    readonly messageNumber: number,
    readonly limitBytes: number,
  ) {
    super('protocol', `message ${messageNumber} is larger than ${limitBytes} bytes; the session was closed`);
    this.name = 'MessageTooLargeError';
  }
}

interface Deletion {
  readonly number: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

class Pop3Session extends Pop3Channel implements Pop3Client {
  /** DELEs waiting for the session; sent together by {@link Pop3Session.sendDeletions}. */
  private deletions: Deletion[] = [];

  /** RFC 2449 CAPA: the capability names (upper-case) and their arguments; none when the server lacks CAPA. */
  async capabilities(): Promise<Map<string, string[]>> {
    const caps = new Map<string, string[]>();
    const text = await this.collect('CAPA').catch((err: unknown) => {
      if (err instanceof MailConnectionError && err.reason === 'protocol' && !this.closed) return Buffer.alloc(0);
      throw err;
    });
    for (const line of text.toString('utf8').split('\r\n').filter(Boolean)) {
      const [name = '', ...args] = line.trim().split(/\s+/);
      caps.set(name.toUpperCase(), args.map((a) => a.toUpperCase()));
    }
    return caps;
  }

  /** RFC 2595 4 STLS: upgrades in place; capabilities must be asked again afterwards. */
  async startTls(): Promise<void> {
    await this.send('STLS');
    // Bytes already waiting after +OK were sent in plaintext before the handshake: injected, not the server's.
    if (this.wire.buffered > 0) throw this.abort(new MailConnectionError('tls', `the server on ${this.where} sent data before the TLS handshake (possible injection attack)`));
    const plain = this.wire.release();
    const { host, servername, ca } = this.endpoint;
    const secure = tlsConnect({ socket: plain, host, servername, ca });
    await tlsHandshake(secure, this.endpoint.timeoutMs);
    this.socket = secure;
    this.wire.bind(secure);
  }

  /** Logs in ({@link pop3Login}). */
  login(credentials: MailCredentials, caps: Map<string, string[]>): Promise<void> {
    return pop3Login({ send: (line, onErr) => this.send(line, onErr), writeLine: (line) => void this.socket.write(`${line}\r\n`), readLine: () => this.wire.readLine() }, credentials, caps);
  }

  stat = () => {
    const sent = this.issue('STAT');
    return this.exclusive(async () => {
      const [count = NaN, size = NaN] = (await sent()).split(/\s+/).map(Number);
      if (!Number.isSafeInteger(count) || !Number.isSafeInteger(size)) throw new MailConnectionError('protocol', `the server on ${this.where} answered STAT without counts`);
      return { count, size };
    });
  };

  uidl = async () => listing(await this.collectIssued('UIDL')).map(([n, id]): Pop3Listing => ({ number: Number(n), uidl: id ?? '' }));

  list = async () => listing(await this.collectIssued('LIST')).map(([n, size]) => ({ number: Number(n), size: Number(size) }));

  top = (number: number, lines = 0) => this.collectIssued(`TOP ${number} ${lines}`);

  /** Resolves once the server answered this DELE with +OK (sent together with the other DELEs waiting). */
  dele = (number: number): Promise<void> => {
    if (this.pipelining && !this.closed) {
      const sent = this.issue(`DELE ${number}`);
      return this.exclusive(async () => void (await sent()));
    }
    return new Promise<void>((resolve, reject) => {
      this.deletions.push({ number, resolve, reject });
      if (this.deletions.length === 1) void this.exclusive(() => this.sendDeletions()).catch(() => undefined);
    });
  };

  /** Sends the DELEs waiting now (no PIPELINING), one at a time. */
  private async sendDeletions(): Promise<void> {
    const batch = this.deletions;
    this.deletions = [];
    for (const d of batch) {
      try {
        await this.send(`DELE ${d.number}`);
        d.resolve();
      } catch (err) {
        d.reject(this.classify(err));
      }
    }
  }

  retr(number: number, maxBytes = MAX_POP3_MESSAGE_BYTES): Promise<Readable> {
    const sent = this.issue(`RETR ${number}`);
    return new Promise<Readable>((resolveStream, rejectStream) => {
      void this.exclusive(async () => {
        try {
          await sent();
        } catch (err) {
          rejectStream(err);
          return;
        }
        let complete = false;
        const session = this;
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        async function* bytes() {
          try {
            yield* session.wire.body(maxBytes, () => session.abort(new MessageTooLargeError(number, maxBytes)));
            complete = true;
          } catch (err) {
            throw err instanceof MessageTooLargeError ? err : session.classify(err);
          } finally {
            // A stream left unread (or failed) leaves the rest of the message on the wire: the session cannot go on.
            if (!complete) session.close();
            finish();
          }
        }
        resolveStream(Readable.from(bytes(), { objectMode: false }));
        await finished;
      });
    });
  }

  quit = () => {
    const sent = this.issue('QUIT');
    return this.exclusive(async () => {
      await sent();
      this.close();
    });
  };

}

/** The "n value" lines of UIDL or LIST. */
function listing(body: Buffer): string[][] {
  return body.toString('latin1').split('\r\n').filter(Boolean).map((line) => line.trim().split(/\s+/));
}

/**
 * Opens an authenticated POP3 session with `server`: implicit TLS when its `tls` is set, otherwise
 * plain with STLS when CAPA offers it (and `starttls-unavailable` when `server.requireStartTls` and
 * it does not). The certificate is verified against the SNI name (`sniServerName`, else the host;
 * none for an IP) with the system's CAs plus `options.ca`. Timeouts @default 30 s per step.
 * @throws MailConnectionError with the reason, in words an admin understands
 */
export async function connectPop3(server: MailServer, credentials: MailCredentials, options: ConnectOptions = {}): Promise<Pop3Client> {
  const endpoint = endpointOf(server, options);
  const context = { host: endpoint.host, port: endpoint.port, credentials, timeoutMs: endpoint.timeoutMs };
  let session: Pop3Session | undefined;
  try {
    const socket = await openSocket(endpoint, server.tls);
    session = new Pop3Session(socket, new Pop3Wire(socket, `${endpoint.host}:${endpoint.port}`, endpoint.timeoutMs), endpoint, credentials);
    await session.status();
    let caps = await session.capabilities();
    if (!server.tls && caps.has('STLS')) {
      await session.startTls();
      caps = await session.capabilities();
    } else if (!server.tls && server.requireStartTls) {
      throw new MailConnectionError('starttls-unavailable', `the server on ${session.where} does not offer STLS (STARTTLS), which this server's settings require`);
    }
    await session.login(credentials, caps);
    session.pipelining = caps.has('PIPELINING');
    return session;
  } catch (err) {
    session?.close();
    throw classifyConnectionError(err, context);
  }
}
