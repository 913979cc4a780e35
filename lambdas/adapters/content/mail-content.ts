/**
 * How the API hands stored mail to a reader: the port {@link MailContent} and the pure helpers
 * around it (safe download names, remote-image blocking, the content security policy hint).
 *
 * Why a port: deployed, bytes never pass through the API Lambda (its response is capped at 6 MB
 * and buffered); the caller gets a short-lived presigned S3 URL. Locally there is no S3 to sign
 * for, so the API streams the object itself. The routes are the same either way.
 */
import type { BlobRef } from '../../core/message.ts';

/** What a download is called and what it is, for Content-Disposition and Content-Type. */
export interface DownloadInfo {
  readonly filename: string;
  readonly contentType: string;
}

/** Where the caller fetches an object: a URL valid until `expiresAt`. */
export interface ContentLink {
  readonly url: string;
  readonly expiresAt: string;
}

/** Up to a bounded number of bytes of a stored text body, decoded as UTF-8. */
export interface BoundedText {
  readonly text: string;
  /** True when the object is longer than what was read. */
  readonly truncated: boolean;
}

/**
 * Stored mail objects (raw .eml, attachments, long bodies) for readers.
 * - `mode: 'presign'`: {@link MailContent.link} answers a presigned URL; nothing is streamed.
 * - `mode: 'stream'`: {@link MailContent.link} answers `undefined` and the API serves the bytes
 *   itself through {@link MailContent.stream}.
 */
export interface MailContent {
  readonly mode: 'presign' | 'stream';
  /** A short-lived GET URL for `blob` with the download's name and type; undefined in stream mode. */
  link(blob: BlobRef, download: DownloadInfo): Promise<ContentLink | undefined>;
  /** The object's bytes as a stream (stream mode); never buffered whole. */
  stream(blob: BlobRef): Promise<{ body: ReadableStream<Uint8Array>; size?: number }>;
  /** At most `maxBytes` of a text object, cut at a character boundary. */
  readText(blob: BlobRef, maxBytes: number): Promise<BoundedText>;
}

/** Longest download name offered; file systems cap names at 255 bytes. */
export const MAX_DOWNLOAD_NAME_CHARS = 150;

/**
 * A file name that is safe in a Content-Disposition header and on a disk: no path, no controls,
 * no quotes or separators, no leading dots, bounded; `fallback` when nothing is left.
 */
export function safeDownloadName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"*:<>?|;]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, MAX_DOWNLOAD_NAME_CHARS);
  return cleaned || fallback;
}

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<utf-8>` (RFC 6266): old clients read the
 * ASCII form, every current one the UTF-8 form. `name` must come from {@link safeDownloadName}.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Every `<img>` start tag of sanitized HTML: it escapes `<` and `>` in text and attribute values. */
const IMG_TAG = /<img\b[^>]*>/gi;
const REMOTE_SRC = /\ssrc="(https?:[^"]*)"/i;

/**
 * Remote images (tracking pixels) in sanitized mail HTML, disabled: `src="https://…"` becomes
 * `data-remote-src="https://…"`, so nothing loads until a viewer asks for them (`?images=remote`)
 * or restores the attribute itself. `cid:` and `data:` images are left alone.
 * @param html HTML from html-sanitizer.ts (the regex relies on its escaping)
 */
export function blockRemoteImages(html: string): { html: string; blocked: number } {
  let blocked = 0;
  const out = html.replace(IMG_TAG, (tag) => {
    if (!REMOTE_SRC.test(tag)) return tag;
    blocked += 1;
    return tag.replace(REMOTE_SRC, ' data-remote-src="$1"');
  });
  return { html: out, blocked };
}

/**
 * A Content-Security-Policy for the frame a viewer renders mail HTML in: nothing runs, nothing is
 * fetched, except images from the message itself, and remote images when they were asked for.
 */
export function mailHtmlCsp(remoteImages: boolean): string {
  const images = remoteImages ? "img-src cid: data: https: http:" : 'img-src cid: data:';
  return `default-src 'none'; ${images}; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;
}
