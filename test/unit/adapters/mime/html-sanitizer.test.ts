import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from '../../../../lambdas/adapters/mime/html-sanitizer.ts';

describe('sanitizeMailHtml', () => {
  it('removes scripts, styles and their content', () => {
    // Act
    const { html } = sanitizeMailHtml('<style>p{color:red}</style><p>Hi<script>alert(1)</script></p>');

    // Assess
    expect(html).toBe('<p>Hi</p>');
  });

  it('removes event handlers and style attributes but keeps formatting', () => {
    // Act
    const { html } = sanitizeMailHtml('<b onclick="steal()" style="position:fixed">bold</b><img src="x" onerror="alert(1)">');

    // Assess
    expect(html).not.toMatch(/onclick|onerror|style=/);
    expect(html).toContain('<b>bold</b>');
  });

  it('drops javascript: and data: links but keeps web and mail links, opened safely', () => {
    // Act
    const { html } = sanitizeMailHtml(
      '<a href="javascript:alert(1)">x</a><a href="JaVaScRiPt&#58;alert(1)">y</a><a href="data:text/html,<script>">z</a><a href="https://example.com/a">w</a><a href="mailto:a@example.com">m</a>',
    );

    // Assess
    expect(html).not.toMatch(/javascript|data:/i);
    expect(html).toContain('href="https://example.com/a"');
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).toContain('href="mailto:a@example.com"');
  });

  it('keeps cid: images and drops javascript: image sources', () => {
    // Act
    const { html } = sanitizeMailHtml('<img src="cid:logo@example.com" alt="logo"><img src="javascript:alert(1)">');

    // Assess
    expect(html).toContain('src="cid:logo@example.com"');
    expect(html).not.toContain('javascript');
  });

  it('removes active and embedding elements: iframe, object, form, svg, meta refresh, base', () => {
    // Act
    const { html } = sanitizeMailHtml(
      '<iframe src="https://evil.example"></iframe><object data="x"></object><form action="https://evil.example"><input name="p"></form><svg onload="alert(1)"></svg><meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">ok',
    );

    // Assess
    expect(html).toBe('ok');
  });

  it('collects a whitespace-collapsed text preview, cut to the requested length', () => {
    // Act
    const result = sanitizeMailHtml('<title>Subject</title><p>Dear   support,</p>\n<p>my order &amp; invoice &lt;123&gt;</p>', 30);

    // Assess
    expect(result.previewText).toBe('Dear support, my order & invoi');
    expect(result.previewTruncated).toBe(true);
  });

  it('reports an untruncated preview when the text fits', () => {
    // Act
    const result = sanitizeMailHtml('<div>Short</div>', 100);

    // Assess
    expect(result.previewText).toBe('Short');
    expect(result.previewTruncated).toBe(false);
  });
});
