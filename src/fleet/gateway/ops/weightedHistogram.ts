import { Histogram } from 'prom-client';
import type { MetricValueWithName, Registry } from 'prom-client';

/**
 * A label-less histogram that takes n observations of one value at once. A fan-out
 * writes one message to thousands of sockets in the same instant, so its deliveries
 * share one latency: one weighted add instead of thousands of `observe` calls on the
 * hot path. The registry renders it like any histogram.
 */
export class WeightedHistogram extends Histogram {
  private readonly bounds: number[];
  private readonly counts: Float64Array;
  private total = 0;
  private sumValue = 0;

  constructor(private readonly cfg: { name: string; help: string; buckets: number[]; registers: Registry[] }) {
    super(cfg);
    this.bounds = [...cfg.buckets].sort((a, b) => a - b);
    this.counts = new Float64Array(this.bounds.length);
  }

  /** `n` observations of `value` (seconds). */
  observeMany(value: number, n: number): void {
    if (!(n > 0) || !Number.isFinite(value)) return;
    this.total += n;
    this.sumValue += value * n;
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]) {
        this.counts[i] += n;
        break;
      }
    }
  }

  override observe(value: number | object, maybe?: number): void {
    this.observeMany(typeof value === 'number' ? value : (maybe ?? NaN), 1);
  }

  /**
   * What prom-client's registry renders (its `get()` builds on this too). Not in
   * prom-client's type declarations, but it is the method its Histogram and Registry call.
   */
  async getForPromString(): Promise<{ name: string; help: string; type: string; values: MetricValueWithName<string>[]; aggregator: string }> {
    const values: MetricValueWithName<string>[] = [];
    let cumulative = 0;
    this.bounds.forEach((le, i) => {
      cumulative += this.counts[i];
      values.push({ labels: { le }, value: cumulative, metricName: `${this.cfg.name}_bucket` });
    });
    values.push({ labels: { le: '+Inf' }, value: this.total, metricName: `${this.cfg.name}_bucket` });
    values.push({ labels: {}, value: this.sumValue, metricName: `${this.cfg.name}_sum` });
    values.push({ labels: {}, value: this.total, metricName: `${this.cfg.name}_count` });
    return { name: this.cfg.name, help: this.cfg.help, type: 'histogram', values, aggregator: 'sum' };
  }
}
