/**
 * Decodes the `aws-chunked` content encoding the AWS SDK uses for streamed uploads
 * (`x-amz-content-sha256: STREAMING-...`): `<hex size>[;chunk-signature=...]\r\n<bytes>\r\n` per
 * chunk, a zero-size chunk, then trailer lines (`x-amz-checksum-crc32:...`) and an empty line.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 *
 * Streaming, with constant memory: only a chunk header line is ever gathered. Chunk signatures and
 * trailing checksums are not verified; the local server binds to loopback only.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** A chunk header or trailer line longer than this is malformed (real ones are < 200 bytes). */
const MAX_LINE_BYTES = 4096;

type State = 'header' | 'data' | 'data-end' | 'trailer' | 'done';

/** True when a request's body is aws-chunked encoded. */
export function isAwsChunked(headers: { 'content-encoding'?: string; 'x-amz-content-sha256'?: string }): boolean {
  return (
    (headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked') ||
    (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
  );
}

/** A Transform from the aws-chunked body to the object's bytes; fails on a malformed or cut body. */
export function awsChunkedDecoder(): Transform {
  let state: State = 'header';
  let line = '';
  let remaining = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let at = 0;
      try {
        while (at < chunk.length && state !== 'done') {
          if (state === 'data') {
            const take = Math.min(remaining, chunk.length - at);
            this.push(chunk.subarray(at, at + take));
            at += take;
            remaining -= take;
            if (remaining === 0) state = 'data-end';
            continue;
          }
          // Every other state reads a line ending in CRLF.
          const lf = chunk.indexOf(0x0a, at);
          const end = lf === -1 ? chunk.length : lf + 1;
          line += chunk.toString('latin1', at, end);
          at = end;
          if (line.length > MAX_LINE_BYTES) throw new Error('aws-chunked line too long');
          if (lf === -1) continue;
          const text = line.replace(/\r?\n$/, '');
          line = '';
          state = next(state, text, (size) => (remaining = size));
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      // The terminal chunk without trailers may end without its final empty line.
      if (state === 'done' || (state === 'trailer' && line === '')) done();
      else done(new Error('aws-chunked body ended early'));
    },
  });
}

function next(state: State, text: string, setSize: (size: number) => void): State {
  switch (state) {
    case 'header': {
      const hex = text.split(';', 1)[0]!.trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error('malformed aws-chunked chunk header');
      const size = parseInt(hex, 16);
      if (size === 0) return 'trailer';
      setSize(size);
      return 'data';
    }
    case 'data-end':
      if (text !== '') throw new Error('aws-chunked chunk not followed by CRLF');
      return 'header';
    case 'trailer':
      return text === '' ? 'done' : 'trailer';
    default:
      return state;
  }
}
