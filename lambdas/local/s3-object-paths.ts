/**
 * Where the local S3 stand-in keeps an object on disk. Any S3 key (up to 1,024 bytes of UTF-8,
 * any character) maps to one safe relative path, so no key is dropped and none escapes its bucket:
 *
 * - the key is split on `/`; each segment becomes one folder (the last one the file name), so the
 *   data folder reads like the bucket (`inbound/<id>@`);
 * - inside a segment only `a-z 0-9 _ - .` are kept as they are; every other byte of its UTF-8,
 *   upper-case letters included (case-insensitive file systems would merge `A` and `a`), becomes
 *   `%XX`; a leading or trailing `.` is escaped too (no `.`/`..`, no hidden files, Windows drops a
 *   trailing dot), as is the first letter of a Windows device name (`con`, `nul`, ...);
 * - an empty segment (`a//b`) is `%_`; a segment whose encoding is longer than
 *   {@link MAX_SEGMENT_CHARS} is `%H` + its SHA-256 (the key itself is then read from the sidecar);
 * - the object's bytes are in `<last segment>@`, its metadata in `<last segment>@meta.json`. `@` never
 *   occurs in an encoded segment, so `a` (a file) and `a/b` (a folder `a`) never collide.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** File names are limited to 255 bytes; this leaves room for the `@meta.json` suffix. */
export const MAX_SEGMENT_CHARS = 200;
/** S3's own limit on a key's length, in bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** Suffix of the file that holds an object's bytes. */
export const DATA_SUFFIX = '@';
/** Suffix of the JSON sidecar that holds an object's key, headers and ETag. */
export const META_SUFFIX = '@meta.json';

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/;

/** The encoded form of one key segment (see the module comment). */
export function encodeSegment(segment: string): string {
  if (segment === '') return '%_';
  const bytes = Buffer.from(segment, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const plain =
      (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x2d || (b === 0x2e && i > 0 && i < bytes.length - 1);
    out += plain ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (WINDOWS_DEVICE.test(out)) out = `%${out.charCodeAt(0).toString(16).toUpperCase()}${out.slice(1)}`;
  return out.length > MAX_SEGMENT_CHARS ? `%H${createHash('sha256').update(segment).digest('hex')}` : out;
}

/** The segment an encoded name stands for, or undefined for a hashed (`%H`) name. */
export function decodeSegment(name: string): string | undefined {
  if (name === '%_') return '';
  if (name.startsWith('%H')) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '%') {
      bytes.push(parseInt(name.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(name.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Relative path segments (folders, then the object's base name) of `key`. */
export function keySegments(key: string): string[] {
  return key.split('/').map(encodeSegment);
}

/** Absolute paths of an object's data file and metadata sidecar inside `bucketDir`. */
export function objectPaths(bucketDir: string, key: string): { readonly data: string; readonly meta: string } {
  const base = join(bucketDir, ...keySegments(key));
  return { data: base + DATA_SUFFIX, meta: base + META_SUFFIX };
}

/** S3's bucket naming rules (lower-case, 3-63 characters); anything else is never a folder. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !name.includes('..');
}
