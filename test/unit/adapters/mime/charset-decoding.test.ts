import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repairHeaderLine } from '../../../../lambdas/adapters/mime/header-charset.ts';
import { parseRaw } from './mail-fixtures.ts';

/** The exact bytes of one fixture in test/fixtures/decoding. */
function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/decoding/${name}`, import.meta.url));
}

describe('charset decoding of headers and bodies', () => {
  it('decodes raw 8-bit bytes inside an encoded word in the declared charset', async () => {
    // Act
    const { mail } = await parseRaw(fixture('encoded-word-raw-8bit.eml'));

    // Assess
    expect(mail.subject).toBe('Frösche');
    expect(mail.from).toEqual({ address: 'joerg@example.de', name: 'Jörg Müller' });
  });

  it('decodes UTF-7 encoded words (Q and B) and a charset=utf-7 text body', async () => {
    // Act
    const { mail } = await parseRaw(fixture('utf7-subject-and-body.eml'));

    // Assess
    expect(mail.subject).toBe('Frösche und Grüße');
    expect(mail.from).toEqual({ address: 'joerg@example.de', name: 'Jörg' });
    expect(mail.text.trim()).toBe('Frösche im Teich, "Grüße".');
  });

  it('decodes a UTF-7 HTML body and still sanitizes what it decodes to', async () => {
    // Act
    const { mail } = await parseRaw(fixture('utf7-html-body.eml'));

    // Assess
    expect(mail.html).toContain('<p>Frösche</p>');
    expect(mail.html).not.toContain('script');
    expect(mail.html).not.toContain('alert');
  });

  it('reads raw 8-bit headers that are not UTF-8 in the declared charset and keeps valid UTF-8 as is', async () => {
    // Act
    const latin = await parseRaw(fixture('raw-8bit-headers.eml'));
    const utf8 = await parseRaw(fixture('raw-utf8-headers.eml'));

    // Assess
    expect(latin.mail.subject).toBe('Grüße aus Köln');
    expect(latin.mail.text.trim()).toBe('Hallo €');
    expect(utf8.mail.subject).toBe('Grüße aus Köln');
  });

  it('strips NUL and other C0 controls but keeps tab and line breaks in text, subject and names', async () => {
    // Act
    const { mail } = await parseRaw(fixture('nul-in-text.eml'));

    // Assess
    expect(mail.text).toBe('Order 12[31m34\tdone\nnext line\n');
    expect(mail.subject).toBe('Nullbytehere');
    expect(mail.from?.name).toBe('NulName');
    expect(mail.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});

describe('repairHeaderLine', () => {
  it('leaves ASCII lines and valid encoded words untouched', () => {
    expect(repairHeaderLine('Subject: =?UTF-8?Q?Caf=C3=A9?=')).toBe('Subject: =?UTF-8?Q?Caf=C3=A9?=');
    expect(repairHeaderLine('Subject: plain')).toBe('Subject: plain');
  });

  it('falls back to latin1 for raw bytes that are not UTF-8 when no charset is declared', () => {
    // Arrange: "Köln" with a latin1 ö, as a binary string
    const line = Buffer.from([...Buffer.from('Subject: K'), 0xf6, ...Buffer.from('ln')]).toString('binary');

    // Act
    const repaired = repairHeaderLine(line);

    // Assess
    expect(Buffer.from(repaired, 'binary').toString('utf8')).toBe('Subject: Köln');
  });
});
