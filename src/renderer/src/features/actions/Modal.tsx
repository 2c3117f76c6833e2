import { useEffect, useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Icon } from '../../ui';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export interface ModalProps {
  title: ReactNode;
  /** A line under the title (what this dialog is about), also the dialog's description. */
  subtitle?: ReactNode;
  onClose(): void;
  children: ReactNode;
  /** The buttons at the bottom, always visible. */
  footer?: ReactNode;
  size?: 'md' | 'lg' | 'xl';
  /** What gets focus on open (default: the first field or button in the body). */
  initialFocus?: () => HTMLElement | null;
  /** Where focus goes on close when the control that opened the dialog is gone or disabled. */
  returnFocus?: () => HTMLElement | null;
  testId?: string;
}

/**
 * A real modal dialog: labelled by its title, `aria-modal`, the rest of the page inert
 * while it is open, Tab and Shift+Tab kept inside, Escape closes, and focus goes back to
 * whatever opened it. Rendered over everything (the node detail included).
 */
export function Modal({ title, subtitle, onClose, children, footer, size = 'md', initialFocus, returnFocus, testId }: ModalProps) {
  const titleId = useId();
  const descId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  // The latest callbacks, without re-running the open/close effect when they change.
  const focusFns = useRef({ initialFocus, returnFocus });
  focusFns.current = { initialFocus, returnFocus };

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const own = backdrop.current;
    // Everything else on the page is inert while the dialog is open (and only what we made so is restored).
    const made: Element[] = [];
    for (const el of Array.from(document.body.children)) {
      if (el === own || el.hasAttribute('inert') || el.tagName === 'SCRIPT') continue;
      el.setAttribute('inert', '');
      made.push(el);
    }
    const first = focusFns.current.initialFocus?.() ?? ref.current?.querySelector<HTMLElement>(`.modal-body ${FOCUSABLE}`) ?? ref.current;
    first?.focus();
    return () => {
      for (const el of made) el.removeAttribute('inert');
      const back = opener && opener.isConnected && !(opener as HTMLButtonElement).disabled ? opener : focusFns.current.returnFocus?.();
      back?.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      // Handled here: the node detail underneath must not close as well.
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest('[inert]'));
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const firstItem = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === firstItem || active === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      firstItem.focus();
    }
  };

  return createPortal(
    <div className="modal-backdrop" ref={backdrop}>
      <div
        className={`modal modal-${size}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={subtitle ? descId : undefined}
        ref={ref}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <header className="modal-head">
          <div className="modal-heading">
            <h2 id={titleId} className="modal-title">
              {title}
            </h2>
            {subtitle ? (
              <p id={descId} className="modal-subtitle">
                {subtitle}
              </p>
            ) : null}
          </div>
          <button type="button" className="btn btn-ghost" onClick={onClose} aria-label="Close this dialog">
            <Icon name="close" /> <kbd>Esc</kbd>
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-foot">{footer}</footer> : null}
      </div>
    </div>,
    document.body,
  );
}
