/**
 * The whole message: the full text, the sanitized HTML in a sandboxed frame (no scripts, no same
 * origin, its own Content-Security-Policy from the API: remote images blocked until the agent asks)
 * and the attachments to download.
 */
import { useState } from 'react';
import { Button, Spinner } from '../../../components/ui/index.ts';
import { useErrorText, useFormat } from '../../../lib/i18n/index.tsx';
import { useToast } from '../../../components/ui/index.ts';
import { downloadAttachment } from '../api/download-attachment.ts';
import { useContent } from '../api/get-content.ts';
import type { InteractionContent } from '../api/types.ts';
import { useWorkspaceT } from '../i18n/use-workspace-text.ts';

/** The frame's document: the API's CSP as a meta tag first, so it applies before any content. */
export function mailDocument(content: Pick<InteractionContent, 'html' | 'csp'>): string {
  const csp = content.csp.replace(/"/g, '&quot;');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="referrer" content="no-referrer"></head><body>${content.html ?? ''}</body></html>`;
}

/** The message body of interaction `id`. */
export function MailBody({ id }: { readonly id: string }) {
  const t = useWorkspaceT();
  const f = useFormat();
  const errorText = useErrorText();
  const toast = useToast();
  const [images, setImages] = useState<'blocked' | 'remote'>('blocked');
  const [view, setView] = useState<'html' | 'text'>('html');
  const content = useContent(id, images);
  if (content.isLoading) return <Spinner label={t('mail.loading')} />;
  if (content.error || !content.data) return <p className="error-text">{errorText(content.error)}</p>;
  const c = content.data;
  const showHtml = view === 'html' && c.html !== undefined;
  const download = (n: number) =>
    downloadAttachment(id, n).then(
      (name) => toast(t('attachments.downloaded', { name }), 'success'),
      (err: unknown) => toast(errorText(err), 'error'),
    );
  return (
    <section aria-labelledby="mail-heading">
      <h3 id="mail-heading">{t('mail.message')}</h3>
      <div className="row">
        {c.html !== undefined && (
          <Button onClick={() => setView(view === 'html' ? 'text' : 'html')} aria-pressed={view === 'text'}>
            {view === 'html' ? t('mail.showText') : t('mail.showHtml')}
          </Button>
        )}
        {showHtml && c.images.remote === 'blocked' && c.images.blocked > 0 && (
          <>
            <span className="muted">{t('mail.imagesBlocked', { count: c.images.blocked })}</span>
            <Button onClick={() => setImages('remote')}>{t('mail.showImages')}</Button>
          </>
        )}
      </div>
      {showHtml ? (
        <iframe className="mail-html" title={t('mail.htmlFrame')} sandbox="" srcDoc={mailDocument(c)} referrerPolicy="no-referrer" />
      ) : (
        <pre className="mail-text" tabIndex={0} aria-label={t('mail.text')}>
          {c.text}
        </pre>
      )}
      {c.textTruncated && <p className="muted">{t('mail.truncated')}</p>}
      {c.attachments.length > 0 && (
        <>
          <h3>{t('attachments.title')}</h3>
          <ul>
            {c.attachments.map((a) => (
              <li key={a.index}>
                <Button variant="link" onClick={() => void download(a.index)}>
                  {t('attachments.download', { name: a.filename ?? `attachment-${a.index}` })}
                </Button>{' '}
                <span className="muted">
                  {a.contentType}, {f.bytes(a.size)}
                  {a.inline ? ` · ${t('attachments.inline')}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
