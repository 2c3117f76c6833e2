// Minimal types for the untyped `parse-prometheus-text-format` package, used only
// as the baseline the parser benchmark compares against.
declare module 'parse-prometheus-text-format' {
  /** One parsed family; histograms and summaries come back folded into `buckets`/`quantiles`. */
  export interface LibMetricFamily {
    name: string;
    help: string;
    type: string;
    metrics: unknown[];
  }
  /** Parses a Prometheus 0.0.4 text exposition; throws on malformed input. */
  export default function parsePrometheusTextFormat(text: string): LibMetricFamily[];
}
