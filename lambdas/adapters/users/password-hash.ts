/**
 * Password hashes of the local sign-in with node:crypto's scrypt (RFC 7914), a memory-hard function:
 * a stolen hash file costs an attacker memory and time per guess. The stored form names its
 * parameters (`scrypt$N$r$p$salt$hash`), so stronger ones later still verify older hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB and ~50-100 ms per hash here). Why: OWASP's
 * guidance for scrypt is at least 2^15 with r 8; sign-ins are rare and rate limited, so the cost
 * falls on guessing, not on users.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyBytes: 32, saltBytes: 16 } as const;
/** Room for N * r * 128 bytes plus Node's own overhead (its default maxmem is exactly 32 MiB). */
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyBytes, { ...options, maxmem: SCRYPT_MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))));
}

/** The stored form of `password`, with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyBytes, saltBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, keyBytes, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether `password` matches `stored`, compared in constant time. Without a stored hash (no such
 * user) a hash is still computed, so the answer takes as long as for a known user and timing does
 * not tell which usernames exist.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parts = stored?.split('$') ?? [];
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    await hashPassword(password);
    return false;
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
