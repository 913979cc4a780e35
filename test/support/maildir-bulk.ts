/**
 * Writes many messages straight into a Maildir folder for the test Dovecot (test/support/dovecot.ts),
 * for mailboxes of thousands of messages (the 10,000-message backfill and the benchmark) where one
 * `doveadm save` per message would take minutes. Dovecot then gives the new files UIDs in the order
 * of their names, which this writer makes the order of the input, and takes each file's mtime as
 * the message's INTERNALDATE, which lets a test place mail days or weeks in the past.
 */
import { chown, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One message to store, with the date the server received it. */
export interface BulkMessage {
  readonly raw: Buffer | string;
  /** INTERNALDATE (what IMAP SEARCH SINCE and a backfill window see). @default now */
  readonly receivedAt?: Date;
}

/** Files are written this many at a time: fast, and far below any open-files limit. */
const WRITE_BATCH = 200;

/**
 * Writes the messages into `<maildir>/cur` (through `tmp`, as Maildir requires), named so they sort
 * in input order, owned by the mail user, with `receivedAt` as mtime. The folder must exist (Dovecot
 * made it, so it has the right owner); the caller makes Dovecot notice the files (`doveadm force-resync`).
 */
export async function writeMaildirMessages(maildir: string, messages: readonly BulkMessage[], owner: { uid: number; gid: number }): Promise<void> {
  const stamp = Math.floor(Date.now() / 1000);
  const asRoot = process.getuid?.() === 0;
  for (let start = 0; start < messages.length; start += WRITE_BATCH) {
    await Promise.all(
      messages.slice(start, start + WRITE_BATCH).map(async (message, offset) => {
        const raw = typeof message.raw === 'string' ? Buffer.from(message.raw) : message.raw;
        // One shared second and a zero-padded counter: Dovecot orders new files by name.
        const name = `${stamp}.M${String(start + offset).padStart(9, '0')}P${process.pid}.postroom-test,S=${raw.length}`;
        const temp = join(maildir, 'tmp', name);
        await writeFile(temp, raw);
        if (asRoot) await chown(temp, owner.uid, owner.gid);
        const when = message.receivedAt ?? new Date();
        await utimes(temp, when, when);
        await rename(temp, join(maildir, 'cur', `${name}:2,`));
      }),
    );
  }
}
