/**
 * Limits Postroom keeps on hostile input. Mail is untrusted: every limit here is enforced in the
 * MIME adapter before anything is buffered, and a message over a limit is quarantined, never thrown.
 */
export interface MailLimits {
  /** SES accepts at most 40 MB per message (ARCHITECTURE.md limits); larger raw mail is quarantined. */
  readonly maxMessageBytes: number;
  /** Real mail nests 3-5 levels; deeper trees are MIME bombs that exhaust recursive parsers. */
  readonly maxMimeDepth: number;
  /** Real mail has tens of parts; thousands of tiny parts are a CPU and memory amplification attack. */
  readonly maxParts: number;
  /** One header block (of the message or a part) past this is abuse: RFC 5322 lines are <= 998 chars. */
  readonly maxHeaderBytes: number;
  /** Text bodies kept on the interaction for preview; the full text lives in S3. */
  readonly maxPreviewChars: number;
  /** HTML kept inline for rendering; larger HTML bodies are stored in S3 only. */
  readonly maxInlineHtmlBytes: number;
}

export const MAIL_LIMITS: MailLimits = {
  maxMessageBytes: 40 * 1024 * 1024,
  maxMimeDepth: 20,
  maxParts: 512,
  maxHeaderBytes: 256 * 1024,
  maxPreviewChars: 2_000,
  maxInlineHtmlBytes: 64 * 1024,
};
