/**
 * Copies a value to the clipboard (DNS record names and values are long and must be exact) and
 * says so in a polite live region.
 */
import { useState } from 'react';
import { Button } from '../ui/index.ts';

/** A button copying `value`; `label` names what it copies for screen readers, `done` is said after. */
export function CopyButton({ value, label, text, done }: { readonly value: string; readonly label: string; readonly text: string; readonly done: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <>
      <Button variant="link" aria-label={label} onClick={() => void copy()}>
        {text}
      </Button>
      <span aria-live="polite" className="muted">
        {copied ? done : ''}
      </span>
    </>
  );
}
