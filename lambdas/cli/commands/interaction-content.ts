/**
 * `postroom interaction read|attachment|raw`: the whole message of an interaction for an agent:
 * its full text (or sanitized HTML), each attachment and the raw .eml. Files are fetched from the
 * short-lived link the API answers with (a presigned S3 URL deployed, the local API itself
 * locally) and streamed to disk, never held in memory.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import type { ApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { formatAddress, printable } from '../format.ts';

/** A download can be 40 MB over a slow link; the link itself lives 5 minutes. */
export const DOWNLOAD_TIMEOUT_MS = 300_000;

/** `GET /interactions/:id/content`, as the CLI reads it. */
interface ContentJson {
  readonly subject: string;
  readonly from?: { readonly address: string; readonly name?: string };
  readonly date?: string;
  readonly text: string;
  readonly textTruncated: boolean;
  readonly html?: string;
  readonly htmlTruncated?: boolean;
  readonly images: { readonly remote: 'blocked' | 'shown'; readonly blocked: number };
  readonly csp: string;
  readonly attachments: readonly { index: number; filename?: string; contentType: string; size: number; inline: boolean }[];
}

/** `GET /interactions/:id/attachments/:n` and `/raw`. */
interface LinkJson {
  readonly url: string;
  readonly expiresAt?: string;
  readonly filename: string;
  readonly size?: number;
}

/** Registers the reading commands under `interaction`. */
export function registerInteractionContent(interaction: Command, ctx: CliContext): void {
  interaction
    .command('read')
    .description('print the whole message: full text, or the sanitized HTML with --html')
    .argument('<id>', 'interaction id')
    .option('--html', 'print the sanitized HTML instead of the text')
    .option('--remote-images', 'with --html: keep remote images (they are disabled by default: tracking pixels)')
    .option('--json', 'print the API JSON')
    .action(async (id: string, o: { html?: boolean; remoteImages?: boolean; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const body = await api.get<ContentJson>(`interactions/${encodeURIComponent(id)}/content`, { images: o.remoteImages ? 'remote' : undefined });
      if (o.json) return ctx.io.out(`${JSON.stringify(body, null, 2)}\n`);
      if (o.html) {
        if (body.html === undefined) throw new CliError(body.htmlTruncated ? 'the HTML is too large to show; use `postroom interaction raw`' : 'this message has no HTML body');
        return ctx.io.out(`${body.html}\n`);
      }
      ctx.io.out(`${formatContent(body)}\n`);
    });
  interaction
    .command('attachment')
    .description('download attachment N (see `interaction read`); to its own file name unless --out')
    .argument('<id>', 'interaction id')
    .argument('<n>', 'attachment number, from 0')
    .option('--out <file>', "where to write it; '-' for standard output")
    .action(async (id: string, n: string, o: { out?: string }, command: Command) => {
      if (!/^\d{1,4}$/.test(n)) throw new CliError('the attachment number must be 0 or more');
      const api = await ctx.api(command);
      const link = await api.get<LinkJson>(`interactions/${encodeURIComponent(id)}/attachments/${n}`);
      await download(ctx, api, link, o.out);
    });
  interaction
    .command('raw')
    .description('download the raw message (.eml) exactly as received; to <id>.eml unless --out')
    .argument('<id>', 'interaction id')
    .option('--out <file>', "where to write it; '-' for standard output")
    .action(async (id: string, o: { out?: string }, command: Command) => {
      const api = await ctx.api(command);
      const link = await api.get<LinkJson>(`interactions/${encodeURIComponent(id)}/raw`);
      await download(ctx, api, link, o.out);
    });
}

/** The text of `interaction read`: a short header, the text, and what else there is. */
export function formatContent(c: ContentJson): string {
  const lines = [`From:     ${formatAddress(c.from)}`, `Subject:  ${printable(c.subject || '(no subject)')}`];
  if (c.date) lines.push(`Date:     ${c.date}`);
  lines.push('', c.text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, ' ').trimEnd());
  if (c.textTruncated) lines.push('', '[text cut at 1 MB; `postroom interaction raw` has the whole message]');
  if (c.attachments.length) {
    lines.push('', 'Attachments (postroom interaction attachment <id> <n>)');
    for (const a of c.attachments) lines.push(`  ${a.index}  ${printable(a.filename ?? '(unnamed)')}  ${printable(a.contentType)}  ${formatBytes(a.size)}${a.inline ? '  inline' : ''}`);
  }
  if (c.html !== undefined) {
    const images = c.images.blocked ? `; ${c.images.blocked} remote image(s) disabled, --remote-images loads them` : '';
    lines.push('', `HTML body available: postroom interaction read <id> --html${images}`);
  }
  return lines.join('\n');
}

/**
 * Streams the link's bytes to `out` (a file; '-' for stdout; default: the link's file name in the
 * current directory, never overwriting one). A presigned URL carries its own signature; a link to
 * the API itself (the local runtime streams) goes with the API's credentials (api-client.ts fetchLink).
 */
async function download(ctx: CliContext, api: ApiClient, link: LinkJson, out: string | undefined): Promise<void> {
  let res: Response;
  try {
    res = await api.fetchLink(link.url, DOWNLOAD_TIMEOUT_MS);
  } catch (err) {
    throw new CliError(`cannot download ${link.filename}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok || !res.body) throw new CliError(`cannot download ${link.filename}: HTTP ${res.status}`);
  const source = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  if (out === '-') {
    await pipeline(source, stdoutSink());
    return;
  }
  const path = resolve(ctx.io.cwd, out ?? link.filename);
  try {
    // 'wx' for the default name: a download must not silently replace a file the user has.
    await pipeline(source, createWriteStream(path, { flags: out === undefined ? 'wx' : 'w' }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new CliError(code === 'EEXIST' ? `${path} exists; choose another file with --out` : `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  ctx.io.out(`Saved ${printable(link.filename)} to ${path}${link.size !== undefined ? ` (${formatBytes(link.size)})` : ''}\n`);
}

/** Bytes as "512 B", "1.2 KB", "3.4 MB" (as `interaction show`; kept here, interaction.ts imports this file). */
function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  return size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KB` : `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/** Standard output as a stream sink that does not close it. */
function stdoutSink(): Writable {
  return new Writable({ write: (chunk, _encoding, done) => void process.stdout.write(chunk, done) });
}
