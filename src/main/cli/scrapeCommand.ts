// `switchboard scrape <url>`: fetch one Prometheus/OpenMetrics endpoint the way
// the console does, parse it, and print what it exposes. Every failure is one
// line on stderr and exit code 2: operators run this to find out what is wrong.

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DEFAULT_SCRAPE, fetchMetrics } from '../core/sources/scrape/fetchMetrics';
import type { Exemplar, Exposition, MetricFamily, Sample } from '../core/sources/metrics/types';
import { oneLine } from '../../shared/oneLine';

const DEFAULT_TIMEOUT_MS = DEFAULT_SCRAPE.timeoutMs;
/** Cap on the (decompressed) body, so a runaway or hostile endpoint cannot exhaust memory. */
export const MAX_BODY_BYTES = DEFAULT_SCRAPE.maxBodyBytes;

type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

interface ScrapeOptions {
  tokenFile?: string;
  json?: boolean;
  timeout: string;
}

/** Adds `switchboard scrape <url> [--token-file F] [--json] [--timeout ms]` to the program. */
export function registerScrape(program: Command): void {
  program
    .command('scrape')
    .description('Fetch a Prometheus or OpenMetrics endpoint once and print its metrics')
    .argument('<url>', 'metrics URL, e.g. http://127.0.0.1:9464/metrics')
    .option('--token-file <file>', 'file holding the bearer token (tokens are never taken from the command line)')
    .option('--json', 'print the parsed exposition as JSON (NaN and ±Inf as "NaN", "+Inf", "-Inf")')
    .option('--timeout <ms>', 'give up after this many milliseconds, body included', String(DEFAULT_TIMEOUT_MS))
    .action(async (url: string, opts: ScrapeOptions) => {
      const result = await scrapeOnce(url, opts);
      if (!result.ok) {
        process.stderr.write(`switchboard scrape: ${oneLine(result.message)}\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(opts.json ? `${expositionToJson(result.value)}\n` : renderExposition(result.value));
    });
}

async function scrapeOnce(rawUrl: string, opts: ScrapeOptions): Promise<Outcome<Exposition>> {
  const timeoutMs = Number(opts.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    return { ok: false, message: `--timeout must be a whole number of milliseconds above 0, got "${opts.timeout}"` };
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, message: `invalid URL "${rawUrl}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `unsupported URL scheme "${url.protocol}" in ${shown(url)} (use http or https)` };
  }
  let token: string | null = null;
  if (opts.tokenFile !== undefined) {
    const read = await readToken(opts.tokenFile);
    if (!read.ok) return read;
    token = read.value;
  }
  // Exactly the console's own scrape: same headers, caps, redirect policy and parser.
  const o = await fetchMetrics(url.href, { token, timeoutMs, maxBodyBytes: MAX_BODY_BYTES });
  return o.ok ? { ok: true, value: o.exposition } : { ok: false, message: `${shown(url)}: ${o.error}` };
}

async function readToken(file: string): Promise<Outcome<string>> {
  let token: string;
  try {
    token = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    return { ok: false, message: `cannot read token file ${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (token === '') return { ok: false, message: `token file ${file} is empty` };
  // A header value cannot carry control characters or line breaks.
  if (!/^[\x20-\x7e]+$/.test(token)) return { ok: false, message: `token file ${file} holds characters not allowed in an HTTP header` };
  return { ok: true, value: token };
}

/** The URL without credentials, for messages. */
function shown(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/** JSON of the exposition; NaN and ±Inf, which JSON cannot hold, become "NaN", "+Inf", "-Inf". */
export function expositionToJson(exposition: Exposition): string {
  return JSON.stringify(exposition, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? formatValue(value) : value));
}

/** Human-readable listing: a header per family, its samples, then a summary line. */
export function renderExposition(exposition: Exposition): string {
  const out: string[] = [];
  let samples = 0;
  for (const family of exposition.families) {
    out.push(familyHeader(family));
    for (const sample of family.samples) out.push(sampleLine(sample));
    samples += family.samples.length;
  }
  const n = exposition.families.length;
  out.push(`${n} ${n === 1 ? 'family' : 'families'}, ${samples} ${samples === 1 ? 'sample' : 'samples'}, ${exposition.format}`);
  return `${out.join('\n')}\n`;
}

function familyHeader(f: MetricFamily): string {
  const kind = f.unit === undefined ? f.type : `${f.type}, unit ${f.unit}`;
  const help = f.help === undefined ? '' : ` ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`;
  return `# ${f.name} (${kind})${help}`;
}

function sampleLine(s: Sample): string {
  const ts = s.timestampMs === undefined ? '' : ` ${s.timestampMs}`;
  return `${s.name}${labelText(s.labels)} ${formatValue(s.value)}${ts}${s.exemplar === undefined ? '' : exemplarText(s.exemplar)}`;
}

function exemplarText(e: Exemplar): string {
  return ` # ${labelText(e.labels) || '{}'} ${formatValue(e.value)}${e.timestampMs === undefined ? '' : ` ${e.timestampMs}`}`;
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
