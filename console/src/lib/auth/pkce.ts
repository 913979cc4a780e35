/**
 * PKCE (RFC 7636) with S256 and the OAuth `state`: random values from the Web Crypto API, the
 * challenge as base64url(SHA-256(verifier)).
 */

/** 32 random bytes give a 43-character verifier, inside RFC 7636's 43..128. */
const VERIFIER_BYTES = 32;

/** base64url without padding (RFC 4648 section 5), as PKCE and JWTs spell it. */
export function base64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A fresh random URL-safe string of `bytes` random bytes. @default bytes 32 */
export function randomToken(bytes = VERIFIER_BYTES): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier. */
export async function s256Challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}
