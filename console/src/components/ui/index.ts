/** The console's shared UI components (features import these, never each other). */
export { Button } from './button.tsx';
export { ConfirmDialog, ConfirmProvider, useConfirm, type Confirm, type ConfirmRequest } from './confirm.tsx';
export { Dialog } from './dialog.tsx';
export { EmptyState } from './empty-state.tsx';
export { Field, type ControlProps } from './field.tsx';
export { PageHeader } from './page-header.tsx';
export { Spinner } from './spinner.tsx';
export { Table, type Column } from './table.tsx';
export { ToastProvider, useToast, type ToastMessage } from './toast.tsx';
