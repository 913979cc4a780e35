/**
 * The second step of a sign-in with a temporary password (Cognito's NEW_PASSWORD_REQUIRED): the
 * authorize POST that verified the temporary password starts a session, a random 256-bit value kept
 * only as its SHA-256 in memory, carried by the new-password form as a hidden field. Only with a live
 * session may `POST /auth/new-password` set the user's password, and only then is a code issued. The
 * session is what the form's post proves (with the origin check of api-server.ts): it cannot be
 * forged from another page, and the temporary password is never sent again.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Session bounds. */
export const NEW_PASSWORD_LIMITS = {
  /** A session's life: Cognito's default authentication session (3 minutes), so both issuers ask as much. */
  sessionTtlSeconds: 3 * 60,
  /** Refused new passwords per session, past which the user signs in again (through the lockout of failed sign-ins). */
  maxTries: 5,
  /** Sessions at once, the oldest dropped past it: a flood of sign-ins cannot grow memory without bound. */
  maxSessions: 10_000,
} as const;

interface Session<T> {
  readonly username: string;
  readonly request: T;
  readonly expiresAt: number;
  tries: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/** The live sessions of the new-password step; `T` is the authorization request each continues. */
export class NewPasswordSessions<T> {
  private readonly sessions = new Map<string, Session<T>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session for `username`, who proved the temporary password while asking for `request`. */
  start(username: string, request: T): string {
    const session = randomBytes(32).toString('base64url');
    if (this.sessions.size >= NEW_PASSWORD_LIMITS.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(digest(session), { username, request, expiresAt: this.now() + NEW_PASSWORD_LIMITS.sessionTtlSeconds * 1000, tries: 0 });
    return session;
  }

  /** The session's user and request when it is live; undefined when unknown, expired or spent. */
  find(session: string): { username: string; request: T } | undefined {
    const key = digest(session);
    const found = this.sessions.get(key);
    if (!found) return undefined;
    if (found.expiresAt <= this.now() || found.tries >= NEW_PASSWORD_LIMITS.maxTries) {
      this.sessions.delete(key);
      return undefined;
    }
    return { username: found.username, request: found.request };
  }

  /** Counts one refused new password; the session ends at NEW_PASSWORD_LIMITS.maxTries. */
  refused(session: string): void {
    const found = this.sessions.get(digest(session));
    if (found) found.tries++;
  }

  /** Ends the session (the password was set): it cannot be used twice. */
  end(session: string): void {
    this.sessions.delete(digest(session));
  }
}
