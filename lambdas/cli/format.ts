/**
 * Terminal output: tables, ages and addresses. Everything shown here may come from hostile mail,
 * so control characters are replaced before printing (an escape sequence in a subject must not
 * drive the user's terminal).
 */
import type { MailAddress } from '../core/message.ts';

/** Subjects and senders are cut to keep a row on one line of a common terminal. */
export const COLUMN_LIMITS = { subject: 48, from: 36 } as const;

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;

/** An age in whole minutes as people say it: "0m", "3m", "2h 5m", "2h", "3d 4h". */
export function formatAge(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  if (m < MINUTES_PER_HOUR) return `${m}m`;
  if (m < MINUTES_PER_DAY) {
    const rest = m % MINUTES_PER_HOUR;
    return `${Math.floor(m / MINUTES_PER_HOUR)}h${rest ? ` ${rest}m` : ''}`;
  }
  const hours = Math.floor((m % MINUTES_PER_DAY) / MINUTES_PER_HOUR);
  return `${Math.floor(m / MINUTES_PER_DAY)}d${hours ? ` ${hours}h` : ''}`;
}

/** A score with at most one decimal: "24", "16.5". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/** `Name <address>`, the bare address, or "-" when unknown. */
export function formatAddress(address: MailAddress | undefined): string {
  if (!address) return '-';
  return printable(address.name ? `${address.name} <${address.address}>` : address.address);
}

/** Replaces C0/C1 control characters (escape sequences, newlines) with a space. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A plain-text table: upper-case headers, columns padded to their widest cell and separated by two
 * spaces, no trailing spaces. Cells are made printable first.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(printable))];
  const widths = headers.map((_, col) => Math.max(...cells.map((r) => [...(r[col] ?? '')].length)));
  return cells
    .map((r) => r.map((cell, col) => cell.padEnd((widths[col] ?? 0) + cell.length - [...cell].length)).join('  ').trimEnd())
    .join('\n');
}
