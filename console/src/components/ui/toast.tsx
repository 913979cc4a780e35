import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** A short message after an action; errors stay until dismissed, others go after a while. */
export interface ToastMessage {
  readonly id: number;
  readonly text: string;
  readonly kind: 'info' | 'success' | 'error';
}

/** How long a non-error toast stays: long enough to read two lines. */
const TOAST_MS = 6000;

type Show = (text: string, kind?: ToastMessage['kind']) => void;
const ToastContext = createContext<Show>(() => undefined);

/** Holds the toasts and renders them in a polite live region (errors assertive). */
export function ToastProvider({ children, dismissLabel }: { readonly children: ReactNode; readonly dismissLabel: string }) {
  const [toasts, setToasts] = useState<readonly ToastMessage[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (text, kind = 'info') => {
      const id = Date.now() + Math.random();
      setToasts((all) => [...all.slice(-4), { id, text, kind }]);
      if (kind !== 'error') setTimeout(() => dismiss(id), TOAST_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            <button type="button" className="btn btn-link" onClick={() => dismiss(t.id)} aria-label={dismissLabel}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** Shows a toast: `useToast()('Saved', 'success')`. */
export function useToast(): Show {
  return useContext(ToastContext);
}
