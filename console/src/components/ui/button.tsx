import type { ButtonHTMLAttributes } from 'react';

/** A button; `variant` picks the style. @default variant 'secondary', type 'button' (never submits by accident) */
export function Button({
  variant = 'secondary',
  busy = false,
  className,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { readonly variant?: 'primary' | 'secondary' | 'danger' | 'link'; readonly busy?: boolean }) {
  return (
    <button
      {...rest}
      type={type}
      className={['btn', `btn-${variant}`, className].filter(Boolean).join(' ')}
      aria-busy={busy || undefined}
      disabled={rest.disabled || busy}
    />
  );
}
