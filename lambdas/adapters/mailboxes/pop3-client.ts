/**
 * Postroom's own POP3 client (RFC 1939; CAPA RFC 2449; STLS RFC 2595; AUTH RFC 5034 with PLAIN
 * RFC 4616 and XOAUTH2). Own, because no maintained npm POP3 client speaks STLS and SASL: node-pop3
 * 0.11 has neither, and the pollers need both plus a binary-safe, back-pressured RETR stream.
 *
 * One command at a time (no PIPELINING): a command waits for the one before, and RETR holds the
 * session until its stream has been read to the end. Nothing here logs, so no credential can reach
 * a log line; errors pass through connection-errors.ts, which blanks them out.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { MailConnectionError, type MailCredentials } from '../../core/mailboxes/connection.ts';
import type { MailServer } from '../../core/mailboxes/server.ts';
import { classifyConnectionError, cleanServerText, refusedWhat, secretsOf } from './connection-errors.ts';
import { endpointOf, type MailEndpoint } from './mail-endpoint.ts';
import { Pop3Wire } from './pop3-wire.ts';
import type { ConnectOptions, Pop3Client, Pop3Listing } from './session-types.ts';

/**
 * Largest RETR accepted when the caller names no `maxBytes`: 64 MiB, beyond what any provider
 * delivers (Microsoft 365 and Gmail cap messages at 150 MB and 50 MB including encoding, most
 * servers at 25-50 MB), so a runaway or hostile stream ends instead of filling the Lambda.
 */
export const MAX_POP3_MESSAGE_BYTES = 67_108_864;

/** Largest UIDL/LIST/CAPA/TOP answer: 64 bytes a message for a million messages; a header block is far less. */
export const MAX_POP3_LISTING_BYTES = 67_108_864;

/**
 * RFC 5034 4: an AUTH command with its initial response must fit 255 octets; a longer one (an
 * XOAUTH2 token usually is) is sent after the server's "+" continuation instead.
 */
const MAX_AUTH_INITIAL_LINE = 255;

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

class Pop3Session implements Pop3Client {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private socket: Socket,
    private readonly wire: Pop3Wire,
    private readonly endpoint: MailEndpoint,
    private readonly credentials: MailCredentials,
  ) {}

  get encrypted(): boolean {
    return (this.socket as TLSSocket).encrypted === true;
  }

  /** Runs `work` after every earlier command has finished (POP3 answers in order, one at a time). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const guarded = () => work().catch((err: unknown) => Promise.reject(this.classify(err)));
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends one command line; resolves with the +OK text, rejects with the -ERR text as `protocol`. */
  async send(line: string, onErr?: (text: string) => Error): Promise<string> {
    if (this.closed) throw new MailConnectionError('protocol', `the POP3 session with ${this.where} is closed`);
    this.socket.write(`${line}\r\n`);
    return this.status(onErr);
  }

  /** Reads one status line: "+OK ..." resolves with the text after it. */
  async status(onErr?: (text: string) => Error): Promise<string> {
    const reply = await this.wire.readLine();
    if (reply.startsWith('+OK')) return reply.slice(3).trim();
    const text = cleanServerText(reply.replace(/^-ERR\s*/, ''));
    throw onErr?.(text) ?? new MailConnectionError('protocol', `the server on ${this.where} answered ${JSON.stringify(text)}`);
  }

  /** A whole multi-line answer after +OK, as bytes. */
  async collect(line: string, maxBytes = MAX_POP3_LISTING_BYTES): Promise<Buffer> {
    await this.send(line);
    const parts: Buffer[] = [];
    for await (const part of this.wire.body(maxBytes, () => this.abort(new MailConnectionError('protocol', `the answer to ${line.split(' ')[0]} exceeds ${maxBytes} bytes`)))) parts.push(part);
    return Buffer.concat(parts);
  }

  /** Any failure as a MailConnectionError naming this server, without the credentials. */
  classify(err: unknown): MailConnectionError {
    return classifyConnectionError(err, { host: this.endpoint.host, port: this.endpoint.port, credentials: this.credentials, timeoutMs: this.endpoint.timeoutMs });
  }

  get where(): string {
    return `${this.endpoint.host}:${this.endpoint.port}`;
  }

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
    await handshake(secure, this.endpoint.timeoutMs);
    this.socket = secure;
    this.wire.bind(secure);
  }

  /** Logs in: XOAUTH2 for a token; AUTH PLAIN when offered, else USER/PASS, for a password. */
  async login(credentials: MailCredentials, caps: Map<string, string[]>): Promise<void> {
    const refused = (text: string) => new MailConnectionError('authentication', `${refusedWhat(credentials)} (the server said: ${cleanServerText(text, secretsOf(credentials))})`);
    if (/[\0\r\n]/.test(credentials.user)) throw new MailConnectionError('authentication', 'the user name contains a line break or NUL, which POP3 cannot send');
    const sasl = caps.get('SASL') ?? [];
    if (credentials.kind === 'oauth2') {
      const response = Buffer.from(`user=${credentials.user}\x01auth=Bearer ${credentials.accessToken}\x01\x01`).toString('base64');
      return this.authenticate('XOAUTH2', response, refused);
    }
    if (/[\0\r\n]/.test(credentials.password)) throw new MailConnectionError('authentication', 'the password contains a line break or NUL, which POP3 cannot send');
    if (sasl.includes('PLAIN')) {
      return this.authenticate('PLAIN', Buffer.from(`\0${credentials.user}\0${credentials.password}`).toString('base64'), refused);
    }
    await this.send(`USER ${credentials.user}`, refused);
    await this.send(`PASS ${credentials.password}`, refused);
  }

  /** RFC 5034 AUTH with an initial response; a server's "+ <base64 error>" challenge is answered empty, then -ERR follows. */
  private async authenticate(mechanism: string, response: string, refused: (text: string) => Error): Promise<void> {
    const inline = `AUTH ${mechanism} ${response}`;
    this.socket.write(inline.length <= MAX_AUTH_INITIAL_LINE ? `${inline}\r\n` : `AUTH ${mechanism}\r\n`);
    let reply = await this.wire.readLine();
    if (reply === '+' || (reply.startsWith('+ ') && inline.length > MAX_AUTH_INITIAL_LINE)) {
      this.socket.write(`${response}\r\n`);
      reply = await this.wire.readLine();
    }
    if (reply.startsWith('+ ') || reply === '+') {
      // XOAUTH2's error: a base64 JSON {status, schemes, scope}; the client must answer empty to get the -ERR.
      const detail = decodeChallenge(reply.slice(1).trim());
      this.socket.write('\r\n');
      reply = await this.wire.readLine();
      if (!reply.startsWith('+OK')) throw refused(`${reply.replace(/^-ERR\s*/, '')}${detail ? ` ${detail}` : ''}`);
    }
    if (!reply.startsWith('+OK')) throw refused(reply.replace(/^-ERR\s*/, ''));
  }

  /** Ends the session at once (a message too large, a timeout): nothing marked for deletion is deleted. */
  abort(err: Error): Error {
    this.close();
    return err;
  }

  stat = () =>
    this.exclusive(async () => {
      const [count = NaN, size = NaN] = (await this.send('STAT')).split(/\s+/).map(Number);
      if (!Number.isSafeInteger(count) || !Number.isSafeInteger(size)) throw new MailConnectionError('protocol', `the server on ${this.where} answered STAT without counts`);
      return { count, size };
    });

  uidl = () =>
    this.exclusive(async () =>
      listing(await this.collect('UIDL')).map(([n, id]): Pop3Listing => ({ number: Number(n), uidl: id ?? '' })),
    );

  list = () => this.exclusive(async () => listing(await this.collect('LIST')).map(([n, size]) => ({ number: Number(n), size: Number(size) })));

  top = (number: number, lines = 0) => this.exclusive(() => this.collect(`TOP ${number} ${lines}`));

  dele = (number: number) => this.exclusive(async () => void (await this.send(`DELE ${number}`)));

  retr(number: number, maxBytes = MAX_POP3_MESSAGE_BYTES): Promise<Readable> {
    return new Promise<Readable>((resolveStream, rejectStream) => {
      void this.exclusive(async () => {
        try {
          await this.send(`RETR ${number}`);
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

  quit = () =>
    this.exclusive(async () => {
      await this.send('QUIT');
      this.close();
    });

  close(): void {
    this.closed = true;
    this.wire.fail(new MailConnectionError('protocol', `the POP3 session with ${this.where} is closed`));
    this.socket.destroy();
  }
}

/** The "n value" lines of UIDL or LIST. */
function listing(body: Buffer): string[][] {
  return body.toString('latin1').split('\r\n').filter(Boolean).map((line) => line.trim().split(/\s+/));
}

/** The readable part of an XOAUTH2 error challenge (base64 JSON), or '' when it is none. */
function decodeChallenge(encoded: string): string {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  return /^\s*\{/.test(text) ? cleanServerText(text) : '';
}

/** Resolves once the TLS handshake succeeded and the certificate was verified; rejects with the TLS error. */
function handshake(socket: TLSSocket, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (socket.destroy(), reject(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' }))), timeoutMs);
    socket.once('secureConnect', () => (clearTimeout(timer), resolve()));
    socket.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/** Resolves once TCP is connected (plain) or TLS is established (implicit TLS). */
function open(endpoint: MailEndpoint, implicitTls: boolean): Promise<Socket> {
  const { host, port, servername, ca, timeoutMs } = endpoint;
  if (implicitTls) {
    const socket = tlsConnect({ host, port, servername, ca });
    return handshake(socket, timeoutMs).then(() => socket);
  }
  const socket = netConnect({ host, port });
  return new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => (socket.destroy(), reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }))), timeoutMs);
    socket.once('connect', () => (clearTimeout(timer), resolve(socket)));
    socket.once('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/**
 * Opens an authenticated POP3 session with `server`: implicit TLS when `server.tls`, otherwise
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
    const socket = await open(endpoint, server.tls);
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
    return session;
  } catch (err) {
    session?.close();
    throw classifyConnectionError(err, context);
  }
}
