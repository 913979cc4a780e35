/**
 * Bytes as tests compare them: the SHA-256 of stored content against what was sent, and an S3
 * object's body read whole (objects in these tests are small enough to hold in memory).
 */
import { createHash } from 'node:crypto';

/** The SHA-256 of `bytes` in hex: equal digests, equal content, with a short failure message. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** An S3 GetObject body (`out.Body`) read whole; fails when the answer had none. */
export async function bytesOf(body: { transformToByteArray(): Promise<Uint8Array> } | undefined): Promise<Buffer> {
  if (!body) throw new Error('the object has no body');
  return Buffer.from(await body.transformToByteArray());
}
