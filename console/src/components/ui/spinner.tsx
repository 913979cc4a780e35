/** A busy indicator that screen readers announce with `label`. */
export function Spinner({ label }: { readonly label: string }) {
  return (
    <div className="spinner" role="status">
      <span className="spinner-dot" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
