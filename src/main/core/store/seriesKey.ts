/**
 * Canonical series keys: `name{label="value",...}` with labels sorted by name, the
 * Prometheus text-format spelling, so that the same label set always gives the same
 * key whatever order a scrape or an event listed the labels in.
 */

/** A label set: label name → value. */
export type Labels = Readonly<Record<string, string>>;

/** A key taken apart again. */
export interface ParsedSeriesKey {
  name: string;
  labels: Record<string, string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * Builds the canonical key of a series. Labels with an empty value are left out
 * (Prometheus treats them as absent).
 * @throws TypeError naming the offending metric or label name when it is not a valid
 *   Prometheus name.
 * @example seriesKey('realtime_connections', { transport: 'ws' }) === 'realtime_connections{transport="ws"}'
 */
export function seriesKey(name: string, labels: Labels = {}): string {
  if (!METRIC_NAME.test(name)) throw new TypeError(`seriesKey: invalid metric name ${JSON.stringify(name)}`);
  const names = Object.keys(labels).filter((k) => labels[k] !== '').sort();
  if (names.length === 0) return name;
  const parts: string[] = [];
  for (const k of names) {
    if (!LABEL_NAME.test(k)) throw new TypeError(`seriesKey: invalid label name ${JSON.stringify(k)} on ${name}`);
    parts.push(`${k}="${escapeValue(labels[k])}"`);
  }
  return `${name}{${parts.join(',')}}`;
}

/**
 * Parses a key written by {@link seriesKey} (or any Prometheus-style `name{k="v",...}`).
 * @returns undefined when the key is malformed.
 */
export function parseSeriesKey(key: string): ParsedSeriesKey | undefined {
  const brace = key.indexOf('{');
  const name = brace < 0 ? key : key.slice(0, brace);
  if (!METRIC_NAME.test(name)) return undefined;
  const labels: Record<string, string> = {};
  if (brace < 0) return { name, labels };
  if (!key.endsWith('}')) return undefined;
  let i = brace + 1;
  const end = key.length - 1;
  while (i < end) {
    const eq = key.indexOf('=', i);
    if (eq < 0 || key[eq + 1] !== '"') return undefined;
    const label = key.slice(i, eq);
    if (!LABEL_NAME.test(label)) return undefined;
    let value = '';
    let j = eq + 2;
    for (; j < end && key[j] !== '"'; j++) {
      if (key[j] === '\\') {
        j++;
        const c = key[j];
        value += c === 'n' ? '\n' : c;
      } else {
        value += key[j];
      }
    }
    if (j >= end) return undefined;
    labels[label] = value;
    i = j + 1;
    if (key[i] === ',') i++;
    else if (i !== end) return undefined;
  }
  return { name, labels };
}
