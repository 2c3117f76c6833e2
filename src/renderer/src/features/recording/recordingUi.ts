import { createStore } from 'zustand/vanilla';
import { useShallow } from 'zustand/react/shallow';
import { useLive } from '../live';
import { onRecordingOpened } from '../replay';

/** A result worth a line under the top bar: a saved file (with its name, to open it), or a failure. */
export interface RecordingNotice {
  tone: 'ok' | 'bad';
  text: string;
  /** A recording in the folder the notice offers to open. */
  name: string | null;
}

export const recordingUi = createStore<{
  drawer: boolean;
  notice: RecordingNotice | null;
  setDrawer(open: boolean): void;
  setNotice(n: RecordingNotice | null): void;
}>()((set) => ({
  drawer: false,
  notice: null,
  setDrawer: (drawer) => set({ drawer }),
  setNotice: (notice) => set({ notice }),
}));

// A save's notice ("Saved …, Open it") is about the live session: gone once a recording is open.
onRecordingOpened(() => recordingUi.getState().setNotice(null));

/** The recorder's status from the latest frame, flattened so it compares by value (no re-render per frame). */
export interface RecorderView {
  available: boolean;
  flightWindowMs: number | null;
  flightBytes: number;
  flightFromMs: number | null;
  flightToMs: number | null;
  recState: 'recording' | 'stopped' | 'capped' | 'failed' | null;
  recFile: string | null;
  recBytes: number;
  recError: string | null;
  recFromMs: number | null;
  recToMs: number | null;
  lastError: string | null;
}

export const baseName = (file: string): string => file.split(/[\\/]/).pop() ?? file;

export function useRecorder(): RecorderView {
  return useLive(
    useShallow((s): RecorderView => {
      const r = s.latest?.frame.session.recorder ?? null;
      const f = r?.flight ?? null;
      const rec = r?.recording ?? null;
      return {
        available: r !== null,
        flightWindowMs: f?.windowMs ?? null,
        flightBytes: f?.bytes ?? 0,
        flightFromMs: f?.fromMs ?? null,
        flightToMs: f?.toMs ?? null,
        recState: rec?.state ?? null,
        recFile: rec ? baseName(rec.file) : null,
        recBytes: rec?.bytes ?? 0,
        recError: rec?.error ?? null,
        recFromMs: rec?.fromMs ?? null,
        recToMs: rec?.toMs ?? null,
        lastError: r?.lastError ?? null,
      };
    }),
  );
}
