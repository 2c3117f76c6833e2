// Entry points of the exposition parser: Content-Type to format, and text to
// families as a value (never a throw). The grammar lives in expositionParser.ts.

import { ExpositionParser } from './expositionParser';
import { ScanFailure, quote } from './lineScanner';
import { CachedExposition, SkeletonParser, SkeletonRecorder, fits } from './skeleton';
import type { ExpositionFormat, ParseOptions, ParseResult } from './types';

/** Default cap on one label value, in UTF-8 bytes. */
export const DEFAULT_MAX_LABEL_VALUE_BYTES = 8 * 1024;
/** Default cap on the samples of one exposition (a fleet node has a few thousand). */
export const DEFAULT_MAX_SAMPLES = 200_000;

/** Outcome of `contentTypeToFormat`. */
export type FormatResult = { ok: true; value: ExpositionFormat } | { ok: false; message: string };

/**
 * Maps a scrape response's Content-Type to the format to parse it as: OpenMetrics
 * for `application/openmetrics-text` (version 1.0.0, 0.0.1 or none), 0.0.4 for
 * `text/plain` (version 0.0.4 or none) and for a missing header; anything else
 * (an HTML error page, JSON) is an error value naming the content type.
 */
export function contentTypeToFormat(contentType: string | null): FormatResult {
  if (contentType === null || contentType.trim() === '') return { ok: true, value: 'prometheus-0.0.4' };
  const [mediaPart, ...params] = contentType.split(';');
  const media = mediaPart.trim().toLowerCase();
  let version: string | undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === 'version') version = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  if (media === 'application/openmetrics-text' && (version === undefined || version === '1.0.0' || version === '0.0.1')) {
    return { ok: true, value: 'openmetrics-1.0' };
  }
  if (media === 'text/plain' && (version === undefined || version === '0.0.4')) return { ok: true, value: 'prometheus-0.0.4' };
  return {
    ok: false,
    message: `unsupported content type ${quote(contentType)} (expected text/plain; version=0.0.4 or application/openmetrics-text; version=1.0.0)`,
  };
}

/**
 * Parses an exposition. Never throws: bad input, limits exceeded and even
 * internal faults come back as `{ ok: false, error }` with a 1-based line and column.
 * Label values are slices of `text`; long ones may keep it alive while they live.
 * With `opts.cache` (one per target), a text whose lines repeat the previous one's up
 * to the values is answered from the cache (see skeleton.ts): same result, a fraction
 * of the work, and label objects shared with the previous result.
 */
export function parseExposition(text: string, opts: ParseOptions = {}): ParseResult {
  const format = opts.format ?? 'prometheus-0.0.4';
  if (typeof text !== 'string') return { ok: false, error: { message: 'line 1, column 1: input is not a string', line: 1, column: 1 } };
  const om = format === 'openmetrics-1.0';
  const maxLabelValueBytes = opts.maxLabelValueBytes ?? DEFAULT_MAX_LABEL_VALUE_BYTES;
  const maxSamples = opts.maxSamples ?? DEFAULT_MAX_SAMPLES;
  const cache = opts.cache;
  let recorder: SkeletonRecorder | null = null;
  if (cache !== undefined) {
    const sk = cache.skeleton;
    const tried = sk !== null && fits(sk, om, maxLabelValueBytes, maxSamples) && cache.shouldTry();
    if (tried) {
      try {
        const families = new SkeletonParser(text).run(sk);
        if (families !== null) {
          cache.answered();
          return { ok: true, value: new CachedExposition(format, families) };
        }
      } catch {
        // Not expected (the fast path returns null on anything unusual); the full parser decides.
      }
    }
    cache.gaveUp(tried);
    recorder = new SkeletonRecorder();
  }
  const parser = new ExpositionParser(text, om, maxLabelValueBytes, maxSamples, recorder);
  try {
    const families = parser.run();
    if (cache !== undefined && recorder !== null) cache.skeleton = recorder.finish(text, families, om, maxLabelValueBytes, maxSamples);
    return { ok: true, value: { format, families } };
  } catch (err) {
    if (err instanceof ScanFailure) return failure(err.line, err.column, err.reason);
    // Not expected; still a value, so one bad scrape can never take the console down.
    const reason = `internal parser error: ${err instanceof Error ? err.message : String(err)}`;
    return failure(parser.line, parser.pos - parser.lineStart + 1, reason);
  }
}

function failure(line: number, column: number, reason: string): ParseResult {
  return { ok: false, error: { message: `line ${line}, column ${column}: ${reason}`, line, column } };
}
