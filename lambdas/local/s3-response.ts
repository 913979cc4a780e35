/**
 * How the local S3 stand-in answers: an empty answer, an XML document, and S3's error document
 * after what is left of the request body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3Failure } from './s3-file-store.ts';
import { errorXml } from './s3-xml.ts';

/** Answers `status` with `headers` and no body. */
export function end(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/** Answers `status` with an XML document (S3's answers and error documents). */
export function xml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers with S3's error document, after discarding what is left of the request body. */
export async function sendError(req: IncomingMessage, res: ServerResponse, failure: S3Failure, resource: string, requestId: string): Promise<void> {
  if (res.headersSent || (!req.complete && req.destroyed)) return void res.destroy();
  if (!req.complete && failure.code === 'EntityTooLarge') {
    // Gigabytes are not worth reading to throw away: answer and close the connection.
    res.setHeader('Connection', 'close');
  } else if (!req.complete) {
    // Discarded, not buffered: the client can read the answer instead of seeing a reset.
    req.unpipe();
    req.resume();
    await new Promise((resolve) => {
      req.once('end', resolve);
      req.once('error', resolve);
      req.once('close', resolve);
    });
  }
  if (req.method === 'HEAD') return end(res, failure.status);
  xml(res, failure.status, errorXml(failure.code, failure.message, resource, requestId));
}
