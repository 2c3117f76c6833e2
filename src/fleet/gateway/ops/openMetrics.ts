import type { Registry } from 'prom-client';

/**
 * Turns prom-client's text-format output into OpenMetrics 1.0: counter families are
 * named without `_total` (their samples keep it), no blank lines, `# EOF` at the end.
 * (prom-client can emit OpenMetrics itself, but only by switching the whole registry,
 * which renames counters in place and would race between concurrent scrapes.)
 */
export function toOpenMetrics(text: string, registry: Registry): string {
  const counters = new Set<string>();
  for (const m of registry.getMetricsAsArray()) {
    const name = (m as unknown as { name: string; type: string }).name;
    if ((m as unknown as { type: string }).type === 'counter' && name.endsWith('_total')) counters.add(name);
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      const end = line.indexOf(' ', 7);
      const name = line.slice(7, end);
      if (counters.has(name)) {
        out.push(`${line.slice(0, 7)}${name.slice(0, -6)}${line.slice(end)}`);
        continue;
      }
    }
    out.push(line);
  }
  out.push('# EOF');
  return `${out.join('\n')}\n`;
}
