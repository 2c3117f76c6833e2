// `switchboard export FILE [--from T] [--to T] --openmetrics OUT`: a recording's scraped
// samples as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
// Every failure is one line on stderr and exit code 2.

import path from 'node:path';
import type { Command } from 'commander';
import { exportOpenMetrics } from '../core/recording';

interface ExportOptions {
  from?: string;
  to?: string;
  openmetrics?: string;
}

/**
 * Parses a time given on the command line: an ISO 8601 time (`2024-05-01T10:00:00Z`) or
 * ms since the epoch (`1714557600000`). Returns null when it is neither.
 */
export function parseTimeArg(value: string): number | null {
  const v = value.trim();
  if (/^\d{1,16}(\.\d+)?$/.test(v)) return Number(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

const fail = (message: string): void => {
  process.stderr.write(`switchboard export: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 2;
};

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write the scraped samples of a recording (or a window of it) as OpenMetrics text, e.g. for promtool tsdb create-blocks-from openmetrics')
    .argument('<file>', 'a recording (.mcap)')
    .option('--from <time>', 'window start: ISO time or ms since the epoch (default: the recording start)')
    .option('--to <time>', 'window end: ISO time or ms since the epoch (default: the recording end)')
    .option('--openmetrics <out>', 'where to write the OpenMetrics text')
    .action(async (file: string, o: ExportOptions) => {
      if (!o.openmetrics) return fail('--openmetrics <out> is required (where to write the OpenMetrics text)');
      const fromMs = o.from === undefined ? undefined : parseTimeArg(o.from);
      if (fromMs === null) return fail(`--from: expected an ISO time or ms since the epoch, got "${o.from}"`);
      const toMs = o.to === undefined ? undefined : parseTimeArg(o.to);
      if (toMs === null) return fail(`--to: expected an ISO time or ms since the epoch, got "${o.to}"`);
      const r = await exportOpenMetrics(path.resolve(file), { fromMs, toMs, out: path.resolve(o.openmetrics) });
      if (!r.ok) return fail(r.message);
      const s = r.value;
      for (const w of s.warnings) process.stderr.write(`switchboard export: note: ${w}\n`);
      process.stdout.write(`wrote ${s.samples} samples of ${s.series} series (${s.families} metrics) from ${new Date(s.fromMs).toISOString()} to ${new Date(s.toMs).toISOString()} to ${s.out}\n`);
    });
}
