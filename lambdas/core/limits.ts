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
  /**
   * The header blocks of a message and all its parts together, counted as mailsplit counts them
   * (each line at least a floor). Real mail's headers are tens of KB; past this is abuse, and
   * per message rather than per part so many parts cannot multiply it.
   */
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

/**
 * Bounds on what one DynamoDB item keeps of a message and its history (decision 12). DynamoDB
 * refuses items over 400 KB, and a refused write is retried until the record dead-letters: the
 * mail would vanish. Each list that grows with the input is capped here; what is cut stays
 * reachable (the raw mail and, for attachments, the full list in S3) and the cut is recorded.
 * With these caps an interaction item stays under ~250 KB in the worst case: 64 KB inline HTML
 * (MailLimits), 8 KB preview, trail <= 100 x 500 chars, 50 attachments, 50 + 50 addresses,
 * 20 references, each string field capped.
 */
export const ITEM_LIMITS = {
  /** Trail entries kept on an interaction: the first ones (how it arrived) and the newest ones. */
  maxTrailEntries: 100,
  /** The newest entries kept when the trail is cut (the rest of the cap keeps the first ones). */
  trailTailEntries: 40,
  /** One trail line: a flow rule's summary or a reason; longer details are cut with "…". */
  maxTrailDetailChars: 500,
  /** Attachment entries on the item; the full list goes to S3 (`parts/<id>/attachments.json`). */
  maxAttachmentsOnItem: 50,
  /** File names are mostly short; a 200 KB name in a header is abuse. */
  maxFilenameChars: 255,
  /** RFC 5322 lines are <= 998 characters; subjects, names and Message-IDs on the item too. */
  maxHeaderValueChars: 998,
  /** To and CC addresses kept each; the raw mail keeps them all. */
  maxAddressesOnItem: 50,
  /** Tags kept on an interaction (the first ones): a flow may add one per action of every rule. */
  maxTags: 50,
  /** References kept (the newest), as mail clients cap them too. */
  maxReferencesOnItem: 20,
  /**
   * Replies one interaction takes. Each adds its transport key to the interaction's set that makes
   * attaching idempotent (~100 bytes); past this a further reply opens a new interaction.
   */
  maxRepliesPerInteraction: 500,
} as const;
