// The parsed form of a Prometheus text-format 0.0.4 or OpenMetrics 1.0 exposition.
// Plain data (no classes, no Maps) so it crosses IPC and JSON unchanged, except that
// NaN and ±Inf values need a rendering choice there (see the scrape CLI).

import type { ExpositionCache } from './skeleton';

/** Wire format of an exposition, as announced by the scraped endpoint's Content-Type. */
export type ExpositionFormat = 'prometheus-0.0.4' | 'openmetrics-1.0';

/**
 * Family type. 0.0.4 knows counter, gauge, histogram, summary and untyped;
 * OpenMetrics adds gaugehistogram, info and stateset and says `unknown` for untyped.
 */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown'
  | 'untyped';

/** An OpenMetrics exemplar attached to a sample (`# {trace_id="abc"} 1.0 1520879607.789`). */
export interface Exemplar {
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the Unix epoch (OpenMetrics writes seconds; converted). */
  timestampMs?: number;
}

/** One line of the exposition: one value of one time series. */
export interface Sample {
  /** Full sample name, with its `_bucket`, `_sum`, `_count`, `_total`, `_created`… suffix. */
  name: string;
  /**
   * Label names to unescaped values, in the order they were written. Read-only by
   * convention: parses through a scrape cache share these objects between expositions.
   */
  labels: Record<string, string>;
  /** May be NaN, +Infinity or -Infinity. */
  value: number;
  /** Milliseconds since the Unix epoch, when the exposition carried a timestamp. */
  timestampMs?: number;
  exemplar?: Exemplar;
}

/**
 * A metric family: the samples that share one TYPE/HELP/UNIT declaration.
 * `name` is the declared family name: `foo` for OpenMetrics counter `foo_total`,
 * but `foo_total` in 0.0.4, where TYPE names the counter with its suffix.
 */
export interface MetricFamily {
  name: string;
  type: MetricType;
  /** Unescaped HELP text, when declared. */
  help?: string;
  /** OpenMetrics UNIT, when declared. */
  unit?: string;
  /** In exposition order. */
  samples: Sample[];
}

/** A whole parsed scrape: families in order of first appearance. */
export interface Exposition {
  format: ExpositionFormat;
  families: MetricFamily[];
}

/** Where and why parsing stopped. Line and column are 1-based; column counts UTF-16 code units. */
export interface ParseError {
  /** Starts with `line L, column C: ` and names what was wrong. */
  message: string;
  line: number;
  column: number;
}

/** Outcome of parsing: never thrown, always returned. */
export type ParseResult = { ok: true; value: Exposition } | { ok: false; error: ParseError };

/** Options of `parseExposition`. */
export interface ParseOptions {
  /**
   * The target's scrape cache (see skeleton.ts): one per target, reused for each of its
   * scrapes. Samples parsed through it share label objects with earlier results.
   */
  cache?: ExpositionCache;
  /** Defaults to 'prometheus-0.0.4'; map a Content-Type with `contentTypeToFormat` first. */
  format?: ExpositionFormat;
  /** Longest allowed label value, in UTF-8 bytes after unescaping. Default 8 KiB. */
  maxLabelValueBytes?: number;
  /** Most samples accepted in one exposition. Default 200 000. */
  maxSamples?: number;
}
