/**
 * What the local issuer hands out besides access tokens: single-use authorization codes bound to
 * their PKCE challenge (RFC 7636), and rotated refresh tokens. Both are random 256-bit values kept
 * only as their SHA-256 (a leaked store signs nobody in). Codes live in memory (60 s); refresh tokens
 * in a 0600 file of the issuer's folder, so a console stays signed in across runtime restarts.
 * Refresh rotation detects theft (RFC 9700 4.14.2): presenting a rotated token revokes its family.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';

/** Grant lifetimes and bounds. */
export const GRANT_LIMITS = {
  /** A code's life: the console exchanges it at once, and 60 s covers a slow machine, no more. */
  codeTtlSeconds: 60,
  /** A refresh token's life: a console stays signed in over a working day without a password again. */
  refreshTtlSeconds: 12 * 60 * 60,
  /** Codes waiting for exchange at once, the oldest dropped past it: a flood of sign-ins cannot grow memory without bound. */
  maxPendingCodes: 10_000,
} as const;

/** What a code or refresh token was issued for. */
export interface GrantSubject {
  readonly username: string;
  readonly clientId: string;
}

interface PendingCode extends GrantSubject {
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly expiresAt: number;
}

interface RefreshRecord extends GrantSubject {
  readonly family: string;
  readonly expiresAt: number;
  /** Set once rotated: presenting it again revokes the family. */
  readonly rotated?: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const token = () => randomBytes(32).toString('base64url');

/** Whether `verifier` is the one whose S256 challenge is `challenge` (RFC 7636 4.6), in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const actual = Buffer.from(digest(verifier));
  const expected = Buffer.from(challenge);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The issuer's codes and refresh tokens; `file` keeps the refresh tokens' hashes (mode 0600). */
export class IssuerGrants {
  private readonly codes = new Map<string, PendingCode>();
  private refresh = new Map<string, RefreshRecord>();
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly now: () => number,
  ) {}

  /** Loads the refresh tokens kept in `file` (none when it does not exist yet). */
  static async open(file: string, now: () => number = Date.now): Promise<IssuerGrants> {
    const grants = new IssuerGrants(file, now);
    try {
      grants.refresh = new Map(Object.entries(JSON.parse(await readFile(file, 'utf8')) as Record<string, RefreshRecord>));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return grants;
  }

  /** A new single-use code for `subject`, bound to the redirect URI and the PKCE challenge. */
  issueCode(subject: GrantSubject & { redirectUri: string; codeChallenge: string }): string {
    const code = token();
    if (this.codes.size >= GRANT_LIMITS.maxPendingCodes) this.codes.delete(this.codes.keys().next().value!);
    this.codes.set(digest(code), { ...subject, expiresAt: this.now() + GRANT_LIMITS.codeTtlSeconds * 1000 });
    return code;
  }

  /**
   * The subject of `code` when it is pending, unexpired, and issued to this client and redirect URI
   * for this PKCE verifier; undefined otherwise. The code is spent by the attempt either way.
   */
  redeemCode(code: string, check: { clientId: string; redirectUri: string; codeVerifier: string }): GrantSubject | undefined {
    const key = digest(code);
    const pending = this.codes.get(key);
    this.codes.delete(key);
    if (!pending || pending.expiresAt <= this.now()) return undefined;
    if (pending.clientId !== check.clientId || pending.redirectUri !== check.redirectUri) return undefined;
    if (!pkceMatches(check.codeVerifier, pending.codeChallenge)) return undefined;
    return { username: pending.username, clientId: pending.clientId };
  }

  /** A new refresh token for `subject`, starting a family (a sign-in) or continuing one (a rotation). */
  async issueRefresh(subject: GrantSubject, family: string = randomUUID()): Promise<string> {
    const refresh = token();
    this.refresh.set(digest(refresh), { ...subject, family, expiresAt: this.now() + GRANT_LIMITS.refreshTtlSeconds * 1000 });
    await this.save();
    return refresh;
  }

  /**
   * Rotates `refresh`: the subject and a new token when it is current and issued to `clientId`;
   * undefined otherwise. A token presented after its rotation revokes every token of its family.
   */
  async rotateRefresh(refresh: string, clientId: string): Promise<{ subject: GrantSubject; refreshToken: string } | undefined> {
    const key = digest(refresh);
    const record = this.refresh.get(key);
    if (!record || record.expiresAt <= this.now() || record.clientId !== clientId) return undefined;
    if (record.rotated) {
      await this.revokeFamily(record.family);
      return undefined;
    }
    this.refresh.set(key, { ...record, rotated: true });
    const subject = { username: record.username, clientId: record.clientId };
    return { subject, refreshToken: await this.issueRefresh(subject, record.family) };
  }

  /** Revokes every refresh token of `username` (a disabled or removed user). */
  async revokeUser(username: string): Promise<void> {
    for (const [key, record] of this.refresh) if (record.username === username) this.refresh.delete(key);
    await this.save();
  }

  private async revokeFamily(family: string): Promise<void> {
    for (const [key, record] of this.refresh) if (record.family === family) this.refresh.delete(key);
    await this.save();
  }

  /** Writes the unexpired records to a 0600 temporary file and renames it over the old one, one save at a time. */
  private save(): Promise<void> {
    const run = this.saving.catch(() => undefined).then(async () => {
      const now = this.now();
      for (const [key, record] of this.refresh) if (record.expiresAt <= now) this.refresh.delete(key);
      const temporary = `${this.file}.${process.pid}.tmp`;
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(Object.fromEntries(this.refresh)));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
    });
    this.saving = run;
    return run;
  }
}
