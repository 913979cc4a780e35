/**
 * Terminal output: tables, ages and addresses. Everything shown here may come from hostile mail,
 * so control characters are replaced before printing (an escape sequence in a subject must not
 * drive the user's terminal).
 */
import stringWidth from 'string-width';
import type { MailAddress } from '../core/message.ts';

/** Subjects and senders are cut to keep a row on one line of a common terminal (in columns). */
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

/**
 * How many terminal columns `text` takes: East Asian wide characters (日本語) and most emoji take
 * two, combining marks none (string-width).
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `max` terminal columns, marking the cut with an ellipsis (one column).
 * Cuts between graphemes, so neither a wide character nor an emoji sequence is split.
 */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  let kept = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (width + w > max - 1) break;
    kept += segment;
    width += w;
  }
  return `${kept}…`;
}

/**
 * A plain-text table: upper-case headers, columns padded to the display width of their widest
 * cell (so Japanese or emoji cells stay aligned) and separated by two spaces, no trailing spaces.
 * Cells are made printable first.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(printable))];
  const widths = headers.map((_, col) => Math.max(...cells.map((r) => displayWidth(r[col] ?? ''))));
  return cells
    .map((r) => r.map((cell, col) => `${cell}${' '.repeat(Math.max(0, (widths[col] ?? 0) - displayWidth(cell)))}`).join('  ').trimEnd())
    .join('\n');
}

/**
 * The line under a listing that has more pages: the command that shows the next one, so a user
 * pages without --json. Empty when `cursor` is undefined (the last page).
 */
export function nextPageHint(command: string, cursor: string | undefined): string {
  return cursor ? `\n(more: ${command} --cursor ${printable(cursor)})` : '';
}
