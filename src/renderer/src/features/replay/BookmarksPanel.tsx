import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Bookmark } from '../../../../shared/replay';
import { formatClock } from '../../lib/format';
import { Icon } from '../../ui';
import { useApi, useLiveStore } from '../live';
import { formatOffset } from './replayFormat';
import { useReplayClock } from './useReplay';

export interface BookmarksPanelProps {
  name: string;
  startMs: number;
  bookmarks: readonly Bookmark[];
  /** Why bookmarks cannot be saved (the sidecar file is unreadable, the folder read-only), or null. */
  bookmarksError: string | null;
  seek(ts: number): void;
  /** The marks changed: refetch them. */
  changed(): void;
  close(): void;
  /** Put the cursor in the note field at once (opened with "Add bookmark"). */
  focusNote?: boolean;
}

/**
 * Bookmarks of the open recording: add one at the replay clock with a note, edit or
 * delete one, click one to go there. They live beside the recording (a sidecar file),
 * so handing both on hands the notes on.
 */
export function BookmarksPanel({ name, startMs, bookmarks, bookmarksError, seek, changed, close, focusNote }: BookmarksPanelProps) {
  const api = useApi();
  const store = useLiveStore();
  const titleId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (focusNote) noteRef.current?.focus();
  }, [focusNote]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [close]);

  const edit = async (e: Parameters<typeof api.editBookmark>[0]): Promise<boolean> => {
    setBusy(true);
    const r = await api.editBookmark(e);
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      return false;
    }
    setError(null);
    changed();
    return true;
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    // The clock at the moment of adding, read once: this panel does not follow every tick.
    const ts = store.getState().latest?.frame.session.replay?.status.clockMs;
    if (ts === undefined) return;
    if (await edit({ op: 'add', ts, note: note.trim() })) setNote('');
  };

  return (
    <section className="bookmarks-pop" role="dialog" aria-modal="false" aria-labelledby={titleId} data-testid="bookmarks-panel">
      <header className="pop-head">
        <h2 id={titleId} className="pop-title">
          <Icon name="bookmark" size={16} /> Bookmarks <span className="muted">{bookmarks.length}</span>
        </h2>
        <button type="button" className="btn btn-ghost" onClick={close} aria-label="Close bookmarks">
          <Icon name="close" size={14} /> <kbd>Esc</kbd>
        </button>
      </header>
      {bookmarksError ? (
        <p className="bm-error" role="alert" data-testid="bookmarks-error">
          <Icon name="warning" size={14} /> Bookmarks cannot be saved: {bookmarksError}
        </p>
      ) : null}
      <form className="bm-add" onSubmit={(e) => void add(e)}>
        <label className="bm-field">
          <span>
            Note at <AddAt startMs={startMs} />
          </span>
          <textarea ref={noteRef} value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={10_000} placeholder="What happened here, what to look at" disabled={bookmarksError !== null} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy || bookmarksError !== null}>
          <Icon name="bookmark" size={14} /> Add bookmark
        </button>
      </form>
      {error ? (
        <p className="bm-error" role="alert">
          {error}
        </p>
      ) : null}
      {bookmarks.length === 0 ? (
        <p className="muted bm-empty">No bookmarks yet. Pause at a moment worth a note and add one.</p>
      ) : (
        <ol className="bm-list" aria-label="Bookmarks by time">
          {bookmarks.map((b) => (
            <BookmarkItem key={b.id} b={b} startMs={startMs} seek={seek} busy={busy} edit={edit} readOnly={bookmarksError !== null} />
          ))}
        </ol>
      )}
      <p className="muted bm-where">
        Saved beside the recording as <code>{name}.bookmarks.json</code>: hand both on together.
      </p>
    </section>
  );
}

function AddAt({ startMs }: { startMs: number }) {
  const clock = useReplayClock() ?? startMs;
  return (
    <b>
      {formatClock(clock)} <span className="muted">(+{formatOffset(clock - startMs)})</span>
    </b>
  );
}

function BookmarkItem({ b, startMs, seek, busy, edit, readOnly }: { b: Bookmark; startMs: number; seek(ts: number): void; busy: boolean; edit(e: { op: 'update'; id: string; note: string } | { op: 'remove'; id: string }): Promise<boolean>; readOnly: boolean }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm'>('view');
  const [draft, setDraft] = useState(b.note);
  const editRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (mode === 'edit') editRef.current?.focus();
  }, [mode]);
  return (
    <li className="bm-item" data-bookmark-id={b.id}>
      <button type="button" className="bm-time" onClick={() => seek(b.ts)} aria-label={`Go to ${formatClock(b.ts)}`}>
        <Icon name="bookmark" size={13} /> {formatClock(b.ts)} <span className="muted">+{formatOffset(b.ts - startMs)}</span>
      </button>
      {mode === 'edit' ? (
        <form
          className="bm-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void edit({ op: 'update', id: b.id, note: draft.trim() }).then((ok) => ok && setMode('view'));
          }}
        >
          <label className="sr-only" htmlFor={`bm-${b.id}`}>
            Note of the bookmark at {formatClock(b.ts)}
          </label>
          <textarea id={`bm-${b.id}`} ref={editRef} value={draft} onChange={(e) => setDraft(e.target.value)} rows={2} maxLength={10_000} />
          <div className="bm-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Save
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDraft(b.note);
                setMode('view');
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="bm-note">{b.note || <span className="muted">(no note)</span>}</p>
          {readOnly ? null : mode === 'confirm' ? (
            <div className="bm-actions" role="group" aria-label="Delete this bookmark?">
              <span className="bm-confirm">Delete this bookmark?</span>
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void edit({ op: 'remove', id: b.id })}>
                Delete
              </button>
              <button type="button" className="btn" onClick={() => setMode('view')}>
                Keep
              </button>
            </div>
          ) : (
            <div className="bm-actions">
              <button type="button" className="btn btn-ghost" onClick={() => setMode('edit')} aria-label={`Edit the bookmark at ${formatClock(b.ts)}`}>
                <Icon name="edit" size={13} /> Edit
              </button>
              <button type="button" className="btn btn-ghost" onClick={() => setMode('confirm')} aria-label={`Delete the bookmark at ${formatClock(b.ts)}`}>
                <Icon name="trash" size={13} /> Delete
              </button>
            </div>
          )}
        </>
      )}
    </li>
  );
}
