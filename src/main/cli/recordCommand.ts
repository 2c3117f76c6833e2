// `switchboard record --fleet F --out FILE [--duration S]`: a headless live console on a
// file_sd fleet, recorded to an MCAP file until the duration ends or Ctrl-C / SIGTERM.
// Bad arguments are one line on stderr and exit code 2; a recording that stops on its
// own (disk full, size cap) says why on stderr.

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { startLiveConsole } from '../core';
import { Recorder, RecordingClock } from '../core/recording';
import type { RecordingStatus } from '../core/recording';
import { intOption } from './options';

interface RecordOptions {
  fleet?: string;
  out?: string;
  duration?: number;
  maxBytes?: number;
  scrapeInterval?: number;
}

const note = (line: string): void => void process.stderr.write(`switchboard record: ${line}\n`);
const fail = (message: string): void => {
  process.stderr.write(`switchboard record: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 2;
};

export function registerRecord(program: Command): void {
  program
    .command('record')
    .description('record a live console on a file_sd fleet to an MCAP file (headless) until --duration ends or Ctrl-C')
    .option('--fleet <file>', 'Prometheus file_sd file of the fleet (credentials beside it)')
    .option('--out <file>', 'the recording to write (.mcap; never overwritten)')
    .option('--duration <s>', 'stop after this many seconds', intOption(1, 7 * 24 * 3600))
    .option('--max-bytes <n>', 'stop (closing the file cleanly) before it grows past this size', intOption(4096, Number.MAX_SAFE_INTEGER))
    .option('--scrape-interval <ms>', 'scrape each node this often (default 5000)', intOption(250, 3_600_000))
    .action(async (o: RecordOptions) => {
      if (!o.fleet) return fail('--fleet <file> is required (the fleet\'s file_sd file)');
      if (!o.out) return fail('--out <file> is required (where to write the recording)');
      const fleet = path.resolve(o.fleet);
      const out = path.resolve(o.out);
      if (!existsSync(fleet)) return fail(`--fleet ${o.fleet}: no such file`);
      if (!statSync(fleet).isFile()) return fail(`--fleet ${o.fleet}: not a file`);
      if (existsSync(out)) return fail(`--out ${o.out}: the file already exists (a recording is never overwritten)`);
      if (!existsSync(path.dirname(out))) return fail(`--out ${o.out}: the directory ${path.dirname(out)} does not exist`);

      // A clock the recorder holds through each input: the replay then computes exactly what this console did.
      const clock = new RecordingClock();
      const live = await startLiveConsole({ inventory: { kind: 'file_sd', file: fleet }, now: clock.now, ...(o.scrapeInterval ? { scrape: { intervalMs: o.scrapeInterval } } : {}) });
      const inv = await live.core.getInventory();
      if (inv.ok && inv.value.lastError !== null && inv.value.targets.length === 0) {
        await live.stop();
        return fail(`--fleet ${o.fleet}: ${inv.value.lastError}`);
      }
      const recorder = await Recorder.attach(live.core, { clock, sourceName: fleet, flightWindowMs: 0 });
      const started = recorder.startRecording(out, { maxBytes: o.maxBytes });
      if (!started.ok) {
        recorder.detach();
        await live.stop();
        return fail(started.message);
      }
      note(`recording ${inv.ok ? inv.value.targets.length : 0} nodes of ${o.fleet} to ${o.out}${o.duration ? ` for ${o.duration} s` : ''}; Ctrl-C to stop`);

      const status = await new Promise<RecordingStatus | null>((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          process.off('SIGINT', finish);
          process.off('SIGTERM', finish);
          unsubscribe();
          resolve(recorder.stopRecording());
        };
        const timer = o.duration ? setTimeout(finish, o.duration * 1000) : undefined;
        process.on('SIGINT', finish);
        process.on('SIGTERM', finish);
        // The recording may end on its own: disk full, size cap.
        const unsubscribe = recorder.onStatus((s) => {
          if (s.recording && s.recording.state !== 'recording') finish();
        });
      });
      recorder.detach();
      await live.stop();
      if (!status) return fail('the recording did not start');
      if (status.error) note(status.error);
      const secs = status.fromMs !== null && status.toMs !== null ? ((status.toMs - status.fromMs) / 1000).toFixed(1) : '0';
      process.stdout.write(`recorded ${secs} s (${status.chunks} chunks, ${status.bytes} bytes) to ${out}\n`);
      if (status.state === 'failed') process.exitCode = 1;
    });
}
