import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { formatClock } from '../../lib/format';
import { useApi } from '../live';
import { formatBytes } from '../replay';
import { recordingUi } from './recordingUi';

/** What a saved file's notice says: its name, size and span. */
function savedText(what: string, s: { name: string; bytes: number; fromMs: number | null; toMs: number | null }): string {
  const span = s.fromMs !== null && s.toMs !== null ? `, ${formatClock(s.fromMs)}–${formatClock(s.toMs)}` : '';
  return `${what} ${s.name} (${formatBytes(s.bytes)}${span}).`;
}

/** Save the flight recorder, start and stop a named recording: results go to the notice line and the list. */
export function useRecordingActions(): {
  busy: 'save' | 'start' | 'stop' | null;
  saveFlight(): Promise<void>;
  start(name?: string): Promise<boolean>;
  stop(): Promise<void>;
} {
  const api = useApi();
  const qc = useQueryClient();
  const [busy, setBusy] = useState<'save' | 'start' | 'stop' | null>(null);
  const notice = recordingUi.getState().setNotice;
  const refresh = useCallback(() => void qc.invalidateQueries({ queryKey: ['recordings'] }), [qc]);

  const saveFlight = useCallback(async () => {
    setBusy('save');
    const r = await api.saveFlightRecording({});
    setBusy(null);
    notice(r.ok ? { tone: 'ok', text: savedText('Saved the flight recording as', r.value), name: r.value.name } : { tone: 'bad', text: `The flight recording was not saved: ${r.message}`, name: null });
    refresh();
  }, [api, notice, refresh]);

  const start = useCallback(
    async (name?: string) => {
      setBusy('start');
      const r = await api.startRecording(name ? { name } : {});
      setBusy(null);
      if (!r.ok) notice({ tone: 'bad', text: `Recording did not start: ${r.message}`, name: null });
      else notice(null);
      refresh();
      return r.ok;
    },
    [api, notice, refresh],
  );

  const stop = useCallback(async () => {
    setBusy('stop');
    const r = await api.stopRecording();
    setBusy(null);
    notice(r.ok ? { tone: 'ok', text: savedText('Recording saved as', r.value), name: r.value.name } : { tone: 'bad', text: `Stopping the recording failed: ${r.message}`, name: null });
    refresh();
  }, [api, notice, refresh]);

  return { busy, saveFlight, start, stop };
}
