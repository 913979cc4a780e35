/** A PKCE pair (RFC 7636, S256) as the console makes one: a random verifier and its challenge. */
import { createHash, randomBytes } from 'node:crypto';

/** A fresh verifier (32 random bytes, base64url) and its S256 challenge. */
export function pkcePair(): { readonly verifier: string; readonly challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
