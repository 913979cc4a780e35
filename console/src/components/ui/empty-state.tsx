import type { ReactNode } from 'react';

/** What a list shows when it has nothing: a sentence and maybe an action. */
export function EmptyState({ children, action }: { readonly children: ReactNode; readonly action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p>{children}</p>
      {action}
    </div>
  );
}
