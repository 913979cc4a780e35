/**
 * Downloads attachment `n` of an interaction. GET /interactions/:id/attachments/:n answers a link:
 * deployed a presigned S3 URL (opened as is: it carries its own signature and must not get the
 * bearer token), locally the API's own download path (fetched with the bearer token into a blob
 * URL, since a plain link would carry no token).
 */
import { api, apiBaseUrl, send } from '../../../lib/api-client.ts';

interface AttachmentLink {
  readonly url: string;
  readonly filename: string;
  readonly contentType: string;
}

/** Saves the attachment in the browser under its (API-sanitized) file name. */
export async function downloadAttachment(interactionId: string, n: number): Promise<string> {
  const link = await api.get<AttachmentLink>(`/interactions/${encodeURIComponent(interactionId)}/attachments/${n}`);
  const base = apiBaseUrl();
  if (link.url.startsWith(`${base}/`)) {
    const res = await send('GET', link.url.slice(base.length));
    const blobUrl = URL.createObjectURL(await res.blob());
    try {
      save(blobUrl, link.filename);
    } finally {
      // Revoked after the click has started the download; the browser keeps its copy.
      setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
    }
  } else {
    save(link.url, link.filename);
  }
  return link.filename;
}

function save(href: string, filename: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
