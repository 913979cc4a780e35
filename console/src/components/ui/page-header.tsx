import type { ReactNode } from 'react';

/** A page's heading (the one h1) with its actions on the right. */
export function PageHeader({ title, actions, children }: { readonly title: ReactNode; readonly actions?: ReactNode; readonly children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {children}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
