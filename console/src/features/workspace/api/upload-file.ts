/**
 * An attachment for a reply: POST /uploads declares name, type and size and answers a presigned
 * PUT; the browser then sends the file straight to storage (the API never carries the bytes).
 */
import { api } from '../../../lib/api-client.ts';
import type { UploadTicket } from './types.ts';

/** Uploads `file` and returns its upload id for the reply's `attachments`. */
export async function uploadFile(file: File): Promise<string> {
  const { upload } = await api.post<{ upload: UploadTicket }>('/uploads', {
    filename: file.name,
    contentType: file.type || 'application/octet-stream',
    size: file.size,
  });
  const res = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file });
  if (!res.ok) throw new Error(`upload of ${file.name} failed: ${res.status}`);
  return upload.uploadId;
}
