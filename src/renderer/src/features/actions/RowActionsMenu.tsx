import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import { createPortal } from 'react-dom';
import { ACTION_KINDS } from '../../../../shared/actions';
import type { ActionKind } from '../../../../shared/actions';
import { Icon } from '../../ui';
import { useLive } from '../live';
import { KIND_LOOK } from './actionLook';
import { openActionsDialog } from './actionsUiStore';
import { nodeActionBlock, runningOn, useActionsBlocked, useCommands } from './useCommands';

/**
 * The row's action menu: one small button (so 200 rows stay cheap: it reads nothing until
 * opened) that opens a menu of Drain…, Undrain…, Restart…, each disabled with its reason
 * in words. Arrow keys move, Enter picks, Escape closes and returns to the button.
 */
export const RowActionsMenu = memo(function RowActionsMenu({ node }: { node: string }) {
  const [open, setOpen] = useState(false);
  const btn = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={btn}
        type="button"
        className="row-menu-btn"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Actions for ${node}`}
        title={`Actions for ${node}: drain, undrain, restart`}
        data-row-actions={node}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            e.stopPropagation();
            setOpen(true);
          }
        }}
      >
        <Icon name="more" className="icon-bold" />
      </button>
      {open ? (
        <RowMenu
          node={node}
          anchor={btn}
          onClose={(refocus) => {
            setOpen(false);
            if (refocus) btn.current?.focus();
          }}
        />
      ) : null}
    </>
  );
});

function RowMenu({ node, anchor, onClose }: { node: string; anchor: RefObject<HTMLButtonElement | null>; onClose(refocus: boolean): void }) {
  const n = useLive((s) => s.latest?.byId.get(node));
  const blocked = useActionsBlocked();
  const commands = useCommands();
  const running = runningOn(commands, node);
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top: number; left: number }>({ top: 0, left: 0 });
  const items: { kind: ActionKind; why: string | null }[] = ACTION_KINDS.map((kind) => ({ kind, why: nodeActionBlock(kind, n, blocked, running) }));

  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  /** Puts the menu under its button (above it near the bottom of the window); false when the button is gone or out of view. */
  const place = useCallback((): boolean => {
    const a = anchor.current;
    if (!a || !a.isConnected) return false;
    const r = a.getBoundingClientRect();
    if (r.bottom < 0 || r.top > window.innerHeight) return false;
    const width = ref.current?.offsetWidth ?? 280;
    const height = ref.current?.offsetHeight ?? 0;
    const below = r.bottom + 4 + height + 8 <= window.innerHeight || r.top - 4 - height < 8;
    setPos({ top: below ? r.bottom + 4 : r.top - 4 - height, left: Math.max(8, Math.min(r.left, window.innerWidth - width - 8)) });
    return true;
  }, [anchor]);

  useLayoutEffect(() => {
    place();
    const enabled = ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? ref.current?.querySelector<HTMLElement>('[role="menuitem"]');
    enabled?.focus({ preventScroll: true });
  }, [place]);

  useEffect(() => {
    const outside = (e: Event) => {
      const t = e.target as Node | null;
      if (t && (ref.current?.contains(t) || anchor.current?.contains(t))) return;
      closeRef.current(false);
    };
    // The menu follows its button when the page or the table scrolls, and closes once the button is out of view.
    let frame = 0;
    const follow = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (!place()) closeRef.current(false);
      });
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
    };
  }, [anchor, place]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const all = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = all.indexOf(document.activeElement as HTMLElement);
    const go = (j: number) => all[(j + all.length) % all.length]?.focus();
    e.stopPropagation();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') onClose(true);
    else return;
    e.preventDefault();
  };

  const pick = (kind: ActionKind, why: string | null) => {
    if (why) return;
    // Focus goes back to the row's button first: the dialog returns it there when it closes.
    onClose(true);
    openActionsDialog({ kind: 'action', action: kind, node });
  };

  return createPortal(
    <div
      className="row-menu"
      role="menu"
      aria-label={`Actions for ${node}`}
      ref={ref}
      style={{ top: pos.top, left: pos.left }}
      onKeyDown={onKeyDown}
      // Clicks inside must not reach the row underneath (it would open the detail).
      onClick={(e) => e.stopPropagation()}
      data-testid="row-menu"
    >
      {items.map(({ kind, why }) => (
        <button key={kind} type="button" role="menuitem" className="row-menu-item" aria-disabled={why ? 'true' : undefined} tabIndex={-1} onClick={() => pick(kind, why)} data-kind={kind}>
          <span className="row-menu-label">
            <Icon name={KIND_LOOK[kind].icon} size={14} /> {KIND_LOOK[kind].verb}…
          </span>
          {why ? <span className="row-menu-why">{why}</span> : null}
        </button>
      ))}
    </div>,
    document.body,
  );
}
