/**
 * RFC 1939 dot-unstuffing, whatever way the network splits the bytes: the decoded body equals the
 * original, and the bytes after the terminator are handed back untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DotUnstuffer } from '../../../../lambdas/adapters/mailboxes/pop3-wire.ts';

/** RFC 1939 3: every line starting with "." gets one more; the body ends with CRLF "." CRLF. */
function stuff(body: Buffer): Buffer {
  const lines = body.toString('latin1').split('\r\n');
  return Buffer.from(`${lines.map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n')}.\r\n`, 'latin1');
}

function decodeInChunks(wire: Buffer, cuts: number[]): { body: Buffer; rest: Buffer } {
  const decoder = new DotUnstuffer();
  const out: Buffer[] = [];
  const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, wire.length]) {
    const step = decoder.push(wire.subarray(from, to));
    out.push(...step.out);
    from = to;
    if (step.done) return { body: Buffer.concat(out), rest: Buffer.concat([step.rest, wire.subarray(to)]) };
  }
  throw new Error('no terminator seen');
}

const line = fc.stringMatching(/^[.a\r\xe9\x01]{0,6}$/).filter((l) => !l.endsWith('\r'));

describe('DotUnstuffer', () => {
  it('restores any CRLF-ended body split at any points, and leaves what follows', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (lines, cuts) => {
        const body = Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
        const { body: decoded, rest } = decodeInChunks(Buffer.concat([stuff(body), Buffer.from('+OK next\r\n')]), cuts);
        expect(decoded.toString('latin1')).toBe(body.toString('latin1'));
        expect(rest.toString()).toBe('+OK next\r\n');
      }),
    );
  });

  it('treats a dot followed by CR but no LF as a stuffed dot, not the end', () => {
    const { body } = decodeInChunks(Buffer.from('..\rx\r\n.\r\n', 'latin1'), [1, 2, 3]);
    expect(body.toString('latin1')).toBe('.\rx\r\n');
  });
});
