/** A state shown in words with a colour that only repeats them (never colour alone). */
export function StateBadge({ ok, text }: { readonly ok: boolean | undefined; readonly text: string }) {
  return <span className={`badge ${ok === undefined ? 'badge-disabled' : ok ? 'badge-ok' : 'badge-error'}`}>{text}</span>;
}
