/**
 * Reading the whole message of an interaction: full text and sanitized HTML, each attachment and
 * the raw .eml. Bytes reach the caller through {@link MailContent}: a presigned S3 URL deployed,
 * a stream from the API itself locally; the JSON answers are the same in both.
 */
import { Hono, type Context } from 'hono';
import * as z from 'zod/mini';
import { NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { Interaction } from '../../../core/interaction.ts';
import type { BlobRef } from '../../../core/message.ts';
import type { ApiDeps } from '../deps.ts';
import { blockRemoteImages, contentDisposition, mailHtmlCsp, safeDownloadName, type DownloadInfo, type MailContent } from '../../content/mail-content.ts';
import { idParams } from '../params.ts';
import { parseParams } from '../validation.ts';

/**
 * Most bytes of a stored text or HTML body put into one JSON answer. Why: API Gateway caps a
 * Lambda response at 6 MB and the API never buffers a whole 40 MB object; the rest of a longer
 * body is in the raw message (`GET /interactions/{id}/raw`).
 */
export const MAX_CONTENT_BODY_BYTES = 1_048_576;

const attachmentParams = z.object({
  id: idParams.shape.id,
  n: z.pipe(z.string().check(z.regex(/^\d{1,4}$/, 'must be an attachment number (0, 1, ...)')), z.transform(Number)),
});
const contentQuery = z.object({ images: z._default(z.enum(['blocked', 'remote']), 'blocked') });

/**
 * `GET /interactions/:id/content`, `/attachments`, `/attachments/:n`, `/raw`; in stream mode also
 * `/attachments/:n/download` and `/raw/download`, which the links of that mode point to.
 */
export function interactionContentRoutes(deps: ApiDeps, content: MailContent): Hono {
  const routes = new Hono();
  const load = async (id: string): Promise<Interaction> => {
    const interaction = await deps.interactions.get(id);
    if (!interaction) throw new NotFoundError(ERROR_REASONS.interactionNotFound, 'interaction', id);
    return interaction;
  };

  routes.get('/interactions/:id/content', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { images } = parseParams(contentQuery, c.req.query());
    const m = (await load(id)).message;
    const text = m.textBlob ? await content.readText(m.textBlob, MAX_CONTENT_BODY_BYTES) : { text: m.textPreview, truncated: false };
    const html = m.htmlBlob ? await content.readText(m.htmlBlob, MAX_CONTENT_BODY_BYTES) : m.html !== undefined ? { text: m.html, truncated: false } : undefined;
    // Truncated HTML may end inside a tag; it is not offered, the raw message has it all.
    const shownHtml = html && !html.truncated ? (images === 'remote' ? { html: html.text, blocked: 0 } : blockRemoteImages(html.text)) : undefined;
    return c.json({
      id,
      subject: m.subject,
      ...(m.from && { from: m.from }),
      ...(m.date && { date: m.date }),
      text: text.text,
      textTruncated: text.truncated,
      ...(shownHtml && { html: shownHtml.html }),
      ...(html?.truncated && { htmlTruncated: true }),
      images: { remote: images === 'remote' ? 'shown' : 'blocked', blocked: shownHtml?.blocked ?? 0 },
      csp: mailHtmlCsp(images === 'remote'),
      attachments: m.attachments.map(attachmentView),
    });
  });

  routes.get('/interactions/:id/attachments', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    return c.json({ attachments: (await load(id)).message.attachments.map(attachmentView) });
  });

  routes.get('/interactions/:id/attachments/:n', async (c) => {
    const { id, n } = parseParams(attachmentParams, c.req.param());
    const { blob, download } = attachmentOf(await load(id), n);
    return c.json({ ...(await linkTo(c, content, blob, download, `attachments/${n}`)), ...download, size: blob.size });
  });

  routes.get('/interactions/:id/raw', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { blob, download } = rawOf(await load(id));
    return c.json({ ...(await linkTo(c, content, blob, download, 'raw')), ...download, ...(blob.size !== undefined && { size: blob.size }) });
  });

  if (content.mode === 'stream') {
    routes.get('/interactions/:id/attachments/:n/download', async (c) => {
      const { id, n } = parseParams(attachmentParams, c.req.param());
      const { blob, download } = attachmentOf(await load(id), n);
      return streamed(c, content, blob, download);
    });
    routes.get('/interactions/:id/raw/download', async (c) => {
      const { id } = parseParams(idParams, c.req.param());
      const { blob, download } = rawOf(await load(id));
      return streamed(c, content, blob, download);
    });
  }
  return routes;
}

/** One attachment as listed: its index is what `/attachments/:n` takes. */
function attachmentView(a: Interaction['message']['attachments'][number], index: number) {
  return {
    index,
    ...(a.filename !== undefined && { filename: a.filename }),
    contentType: a.contentType,
    size: a.size,
    inline: a.inline,
    ...(a.contentId !== undefined && { contentId: a.contentId }),
    ...(a.checksum !== undefined && { checksum: a.checksum }),
  };
}

function attachmentOf(interaction: Interaction, n: number): { blob: BlobRef; download: DownloadInfo } {
  const attachment = interaction.message.attachments[n];
  if (!attachment?.blob) throw new NotFoundError(ERROR_REASONS.attachmentNotFound, 'attachment', `${interaction.id}/${n}`);
  const download = { filename: safeDownloadName(attachment.filename, `attachment-${n}`), contentType: attachment.contentType };
  return { blob: attachment.blob, download };
}

function rawOf(interaction: Interaction): { blob: BlobRef; download: DownloadInfo } {
  return { blob: interaction.message.raw, download: { filename: `${interaction.id}.eml`, contentType: 'message/rfc822' } };
}

/** A presigned URL, or in stream mode this API's own download path, valid as long as the link would be. */
async function linkTo(c: Context, content: MailContent, blob: BlobRef, download: DownloadInfo, path: string) {
  const link = await content.link(blob, download);
  if (link) return link;
  const url = new URL(c.req.url);
  url.pathname = url.pathname.replace(/\/(attachments\/\d+|raw)$/, `/${path}/download`);
  url.search = '';
  return { url: url.toString() };
}

async function streamed(c: Context, content: MailContent, blob: BlobRef, download: DownloadInfo): Promise<Response> {
  const { body, size } = await content.stream(blob);
  return c.body(body, 200, {
    'content-type': download.contentType,
    'content-disposition': contentDisposition(download.filename),
    'x-content-type-options': 'nosniff',
    ...(size !== undefined && { 'content-length': String(size) }),
  });
}
