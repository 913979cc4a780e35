import type { InboundRouting } from './mailboxes/server.ts';

/**
 * The one normalized message model (ARCHITECTURE.md decision 2). Both inbound paths, SES receipt
 * and the IMAP/POP3 pollers, produce an {@link InboundMessage}; nothing downstream knows which.
 */

/** Where a message came from, as the key that makes ingest exactly-once (decision 4). */
export type TransportIdentity =
  | { readonly kind: 'ses'; readonly messageId: string }
  | { readonly kind: 'imap'; readonly serverId: string; readonly uidValidity: string; readonly uid: string }
  | { readonly kind: 'pop3'; readonly serverId: string; readonly uidl: string };

/** A stable string form of a transport identity, used as the ingest record key. */
export function transportKey(t: TransportIdentity): string {
  switch (t.kind) {
    case 'ses':
      return `ses:${t.messageId}`;
    case 'imap':
      return `imap:${t.serverId}:${t.uidValidity}:${t.uid}`;
    case 'pop3':
      return `pop3:${t.serverId}:${t.uidl}`;
  }
}

/** A pointer into object storage (the claim check of decision 3). */
export interface BlobRef {
  readonly bucket: string;
  readonly key: string;
  readonly size?: number;
}

export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

/** SES's receipt verdicts; the local runtime and pollers compute the same fields. */
export interface Verdicts {
  readonly spam: VerdictStatus;
  readonly virus: VerdictStatus;
  readonly spf: VerdictStatus;
  readonly dkim: VerdictStatus;
  readonly dmarc: VerdictStatus;
}

export interface MailAddress {
  readonly address: string;
  readonly name?: string;
}

export interface AttachmentMeta {
  readonly filename?: string;
  readonly contentType: string;
  readonly size: number;
  readonly contentId?: string;
  readonly inline: boolean;
  /** Where the decoded content was streamed to. */
  readonly blob?: BlobRef;
  readonly checksum?: string;
}

/** What the receiving transport knew before the message was parsed. */
export interface ReceiptInfo {
  readonly transport: TransportIdentity;
  readonly receivedAt: string;
  /** Envelope recipients (RCPT TO), lower-cased. */
  readonly recipients: readonly string[];
  /** Envelope sender (MAIL FROM); empty string for the null sender `<>`. */
  readonly mailFrom: string;
  readonly verdicts: Verdicts;
  readonly raw: BlobRef;
  /**
   * How these facts were obtained when not from the transport's own notification, e.g. recovered
   * by the reconciler from the stored message's headers; shown in the interaction's trail.
   */
  readonly receiptNote?: string;
  /**
   * Set for mail a poller fetched from a customer mailbox (issue 10 item 5): which server, the
   * routing plan that server names (it decides the route, not the recipients: polled mail has no
   * envelope), and whether it came with the first poll's bounded backfill (or a UIDVALIDITY
   * resync), whose auto-acknowledgements are muted.
   */
  readonly mailbox?: { readonly serverId: string; readonly routing: InboundRouting; readonly backfill?: boolean };
}

/** The body and header facts the MIME adapter extracts from the raw message. */
export interface ParsedMail {
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  readonly subject: string;
  readonly from?: MailAddress;
  readonly replyTo: readonly MailAddress[];
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly date?: string;
  /** Selected headers (lower-cased names) that routing and loop detection look at. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly textTruncated: boolean;
  /** HTML body with active content removed, when small enough to keep inline. */
  readonly html?: string;
  /** Full text and HTML bodies, stored beside the raw message. */
  readonly textBlob?: BlobRef;
  readonly htmlBlob?: BlobRef;
  readonly attachments: readonly AttachmentMeta[];
  /**
   * The full attachment list as JSON in S3, written when the mail has more attachments than an
   * item keeps (ITEM_LIMITS.maxAttachmentsOnItem; claim check, decision 3).
   */
  readonly attachmentsBlob?: BlobRef;
  /** Counts the MIME adapter observed, kept for diagnosis. */
  readonly stats: { readonly parts: number; readonly depth: number; readonly bytes: number };
}

export interface InboundMessage extends ReceiptInfo, ParsedMail {}
