/**
 * A modal dialog on the native `<dialog>` element: focus is trapped and restored by the browser,
 * Escape closes it, and its title is its accessible name.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Buttons at the bottom. */
  readonly actions?: ReactNode;
  /** With no `actions`: one Close button that calls `onClose`. */
  readonly closeButton?: boolean;
  readonly wide?: boolean;
  /** While true, Escape does not close (a run in progress). */
  readonly busy?: boolean;
}

export function Dialog({ title, onClose, children, actions, closeButton, wide, busy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide === true ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (busy !== true) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      {actions !== undefined ? (
        <div className="dialog-actions">{actions}</div>
      ) : (
        closeButton === true && (
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        )
      )}
    </dialog>
  );
}
