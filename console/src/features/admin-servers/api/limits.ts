/**
 * The limits of a mail server's settings the form shows and enforces while typing (seed step 2-8;
 * ARCHITECTURE.md's table): the same values as core's MAIL_SERVER_LIMITS, which the API enforces
 * (test/unit/console/admin-limits.test.ts fails when they differ). Counted in Unicode code points.
 */
export const SERVER_FORM_LIMITS = {
  maxNameChars: 200,
  maxDescriptionChars: 250,
  maxHostChars: 70,
  maxUserChars: 255,
  maxPasswordChars: 255,
  maxImapFolderChars: 255,
  maxSniServerNameChars: 255,
  maxAdditionalSenders: 100,
} as const;

/** Characters as the API counts them (code points: an emoji or a kanji is one). */
export function charCount(text: string): number {
  return [...text].length;
}
