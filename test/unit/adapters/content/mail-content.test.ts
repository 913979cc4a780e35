import { describe, expect, it } from 'vitest';
import { blockRemoteImages, contentDisposition, mailHtmlCsp, safeDownloadName } from '../../../../lambdas/adapters/content/mail-content.ts';
import { sanitizeMailHtml } from '../../../../lambdas/adapters/mime/html-sanitizer.ts';

describe('download names', () => {
  it('keeps a plain name and removes paths, controls, quotes and leading dots', () => {
    expect(safeDownloadName('Rechnung März.pdf', 'x')).toBe('Rechnung März.pdf');
    expect(safeDownloadName('../../etc/passwd', 'x')).toBe('passwd');
    expect(safeDownloadName('C:\\Users\\a\\evil".exe', 'x')).toBe('evil_.exe');
    expect(safeDownloadName('.bashrc', 'x')).toBe('bashrc');
    expect(safeDownloadName('a\r\nContent-Type: x', 'x')).toBe('a__Content-Type_ x');
    expect(safeDownloadName(undefined, 'attachment-3')).toBe('attachment-3');
    expect(safeDownloadName('...', 'attachment-3')).toBe('attachment-3');
  });

  it('writes an RFC 6266 Content-Disposition with an ASCII and a UTF-8 name', () => {
    expect(contentDisposition("Rechnung März (1).pdf")).toBe(`attachment; filename="Rechnung M_rz (1).pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%281%29.pdf`);
  });
});

describe('remote images', () => {
  it('disables http(s) images in sanitized HTML and leaves cid: images and text alone', () => {
    // Prepare: through the real sanitizer, whose escaping the rewrite relies on
    const { html } = sanitizeMailHtml('<p>see &lt;img src="https://x.test/t.gif"&gt;</p><img alt="a>b" src="https://t.test/p.gif?a=1&b=2"><IMG SRC="http://t.test/q.gif"><img src="cid:logo">');

    // Act
    const out = blockRemoteImages(html);

    // Assess
    expect(out.blocked).toBe(2);
    expect(out.html).not.toMatch(/<img[^>]*\ssrc="https?:/i);
    expect(out.html).toContain('data-remote-src="https://t.test/p.gif?a=1&amp;b=2"');
    expect(out.html).toContain('data-remote-src="http://t.test/q.gif"');
    expect(out.html).toContain('src="cid:logo"');
    expect(out.html).toContain('see &lt;img src="https://x.test/t.gif"&gt;');
  });

  it('says in the CSP which images a viewer may load', () => {
    expect(mailHtmlCsp(false)).toContain("default-src 'none'; img-src cid: data:;");
    expect(mailHtmlCsp(true)).toContain('img-src cid: data: https: http:;');
  });
});
