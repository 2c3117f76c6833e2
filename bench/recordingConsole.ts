/**
 * The console side of bench:recording's CPU figure, in its own process so its CPU is its
 * own: a live console on a file_sd fleet, scraping every second. Told over IPC to measure a
 * window without the recorder, then one with it (flight recorder plus a recording to a
 * file); answers each with its CPU time and the recorder's own busy time.
 */
import path from 'node:path';
import { startLiveConsole } from '../src/main/core';
import { Recorder, RecordingClock } from '../src/main/core/recording';

const [fleetFile, outDir] = process.argv.slice(2);
if (!fleetFile || !outDir) throw new Error('usage: recordingConsole.ts <fleet-file> <out-dir>');

void (async () => {
  const clock = new RecordingClock();
  const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleetFile }, scrape: { intervalMs: 1000, timeoutMs: 1000 }, now: clock.now });
  let recorder: Recorder | null = null;
  let cpu0 = process.cpuUsage();
  let t0 = Date.now();
  let busy0 = 0;
  let scrapes = 0;
  let scrapes0 = 0;
  live.core.ingest.onChange(() => scrapes++);
  process.on('message', (m: { cmd: string; record?: boolean }) => {
    void (async () => {
      if (m.cmd === 'begin') {
        if (m.record && !recorder) {
          recorder = await Recorder.attach(live.core, { clock });
          const r = recorder.startRecording(path.join(outDir, `live-${Date.now()}.mcap`));
          if (!r.ok) throw new Error(r.message);
        }
        if (!m.record && recorder) {
          recorder.detach();
          recorder = null;
        }
        cpu0 = process.cpuUsage();
        t0 = Date.now();
        busy0 = recorder?.status().busyMs ?? 0;
        scrapes0 = scrapes;
        process.send?.({ begun: true });
      }
      if (m.cmd === 'end') {
        const cpu = process.cpuUsage(cpu0);
        const st = recorder?.status();
        const nodes = [...live.core.ingest.nodes.values()];
        process.send?.({
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          wallSeconds: (Date.now() - t0) / 1000,
          recorderBusyMs: st ? st.busyMs - busy0 : 0,
          recordingBytes: st?.recording?.bytes ?? 0,
          flightBytes: st?.flight?.bytes ?? 0,
          changes: scrapes - scrapes0,
          nodesUp: nodes.filter((n) => n.health === 'up').length,
          targets: nodes.length,
        });
      }
      if (m.cmd === 'stop') {
        recorder?.detach();
        await live.stop();
        process.exit(0);
      }
    })();
  });
  process.send?.({ ready: true });
})();
