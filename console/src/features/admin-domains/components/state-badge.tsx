/** A state shown in words with a colour that only repeats them (never colour alone). */
export function StateBadge({ ok, text }: { readonly ok: boolean | undefined; readonly text: string }) {
  return <span className={`badge ${ok === undefined ? 'badge-muted' : ok ? 'badge-ok' : 'badge-danger'}`}>{text}</span>;
}
