/**
 * The console's one confirmation for destructive actions (force release, close, delete, remove):
 * an accessible alert dialog in place of the browser's `window.confirm`, which cannot be styled,
 * translated or labelled, and which some browsers suppress. `useConfirm()` asks and resolves to
 * true only when the user confirms; Escape and Cancel resolve to false.
 */
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button } from './button.tsx';

/** What to ask: the dialog's title (the action, e.g. "Force release"), the question, the confirm button's label. */
export interface ConfirmRequest {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
}

/** Asks; true when the user confirmed. */
export type Confirm = (request: ConfirmRequest) => Promise<boolean>;

// Without a provider nothing destructive may happen unasked: the default answers "cancel".
const ConfirmContext = createContext<Confirm>(() => Promise.resolve(false));

/**
 * An alert dialog on the native <dialog> (modal: focus stays inside, the page behind is inert).
 * Opening moves focus to Cancel (the safe choice, so Enter does not destroy by accident); closing
 * returns focus to where it was. Escape and Cancel call `onCancel`, the danger button `onConfirm`.
 */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
}: ConfirmRequest & { readonly open: boolean; readonly cancelLabel: string; readonly onConfirm: () => void; readonly onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const messageId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.showModal();
      cancelRef.current?.focus();
    }
    if (!open && el.open) {
      el.close();
      // The opener may be gone (its row removed); then focus stays where the browser puts it.
      if (returnTo.current?.isConnected) returnTo.current.focus();
      returnTo.current = null;
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      // The browser may close a modal itself (a repeated Escape); the question is then cancelled, not left pending.
      onClose={() => {
        if (open) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={messageId}>{message}</p>
      <div className="row">
        {/* A plain button: Button takes no ref, and focus must be put here when the dialog opens. */}
        <button ref={cancelRef} type="button" className="btn btn-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
        <Button variant="danger" onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}

/** One pending question and how to answer it. */
interface Pending extends ConfirmRequest {
  readonly answer: (confirmed: boolean) => void;
}

/** Provides {@link useConfirm} and renders its dialog; `cancelLabel` in the user's language. */
export function ConfirmProvider({ children, cancelLabel }: { readonly children: ReactNode; readonly cancelLabel: string }) {
  const [pending, setPending] = useState<Pending | undefined>();
  const confirm = useCallback<Confirm>(
    (request) =>
      new Promise<boolean>((resolve) => {
        setPending((earlier) => {
          // A second question replaces the first, which counts as cancelled.
          earlier?.answer(false);
          return { ...request, answer: resolve };
        });
      }),
    [],
  );
  const settle = (confirmed: boolean) => {
    pending?.answer(confirmed);
    setPending(undefined);
  };
  const value = useMemo(() => confirm, [confirm]);
  return (
    <ConfirmContext.Provider value={value}>
      {children}
      <ConfirmDialog
        open={pending !== undefined}
        title={pending?.title ?? ''}
        message={pending?.message ?? ''}
        confirmLabel={pending?.confirmLabel ?? ''}
        cancelLabel={cancelLabel}
        onConfirm={() => settle(true)}
        onCancel={() => settle(false)}
      />
    </ConfirmContext.Provider>
  );
}

/** The confirm function: `if (!(await confirm({ title, message, confirmLabel }))) return;`. */
export function useConfirm(): Confirm {
  return useContext(ConfirmContext);
}
