// Which family a sample belongs to: the rules that keep `foo_bucket`, `foo_sum`,
// `foo_count` and `foo_created` together under histogram `foo`, and so on.

import type { LabelCache } from './labelSet';
import type { MetricFamily, MetricType, Sample } from './types';

/** A family being built. Interning lists are owned by the parser and only grow. */
export interface FamilySlot {
  readonly name: string;
  /** Position in the index's families (order of first appearance); -1 for a placeholder. */
  readonly index: number;
  type: MetricType;
  /** Whether a TYPE line declared `type` (otherwise it is the untyped default). */
  typed: boolean;
  help: string | undefined;
  unit: string | undefined;
  readonly samples: Sample[];
  /** Distinct sample-name strings seen in this family, reused for later samples. */
  readonly sampleNames: string[];
  /** Per entry of `sampleNames`: its previous label set, which makes the next one cheap to read. */
  readonly labelCaches: LabelCache[];
}

const PROM_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES: ReadonlySet<string> = new Set([
  'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown',
]);

/** Sample-name suffixes each type accepts after the family name; '' is the bare name. */
const PROM_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
};
const OM_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  stateset: [''],
  info: ['_info'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['', '_sum', '_count', '_created'],
};
const SUFFIXES: ReadonlySet<string> = new Set(['_bucket', '_sum', '_count', '_created', '_total', '_gsum', '_gcount', '_info']);

/** Families by name, in order of first appearance. */
export class FamilyIndex {
  private readonly slots: FamilySlot[] = [];
  private readonly byName = new Map<string, FamilySlot>();
  private readonly suffixes: Readonly<Record<string, readonly string[]>>;
  private readonly defaultType: MetricType;

  constructor(private readonly openMetrics: boolean) {
    this.suffixes = openMetrics ? OM_SUFFIXES : PROM_SUFFIXES;
    this.defaultType = openMetrics ? 'unknown' : 'untyped';
  }

  /** Whether `word` is a TYPE this format knows. */
  isType(word: string): word is MetricType {
    return (this.openMetrics ? OM_TYPES : PROM_TYPES).has(word);
  }

  /** The family named by a HELP/TYPE/UNIT line, created (untyped) on first mention. */
  declared(name: string): FamilySlot {
    return this.byName.get(name) ?? this.create(name);
  }

  /**
   * The family a sample named `name` belongs to: the family of that exact name, or
   * the one whose name plus a suffix its type allows gives `name`; otherwise a new
   * untyped family of its own. A string is an error: `name` is a typed family's
   * name but its type does not allow the bare name (OpenMetrics counter `foo`).
   */
  forSample(name: string): FamilySlot | string {
    const exact = this.byName.get(name);
    if (exact !== undefined) {
      const allowed = this.suffixes[exact.type];
      if (allowed.includes('')) return exact;
      return `sample name "${name}" does not fit ${exact.type} family "${name}" (expected ${allowed.map((s) => name + s).join(', ')})`;
    }
    // Every known suffix starts at the name's last underscore and has no other.
    const cut = name.lastIndexOf('_');
    if (cut > 0) {
      const suffix = name.slice(cut);
      if (SUFFIXES.has(suffix)) {
        const base = this.byName.get(name.slice(0, cut));
        if (base !== undefined && this.allows(base, suffix)) return base;
      }
    }
    return this.create(name);
  }

  /** Whether a sample named the family's name plus `suffix` belongs to `slot`. */
  allows(slot: FamilySlot, suffix: string): boolean {
    return this.suffixes[slot.type].includes(suffix);
  }

  /** The finished families, fields in reading order and optional ones only when set. */
  families(): MetricFamily[] {
    return this.slots.map((s) => ({
      name: s.name,
      type: s.type,
      ...(s.help !== undefined ? { help: s.help } : {}),
      ...(s.unit !== undefined ? { unit: s.unit } : {}),
      samples: s.samples,
    }));
  }

  private create(name: string): FamilySlot {
    const slot = newSlot(name, this.defaultType, this.slots.length);
    this.slots.push(slot);
    this.byName.set(name, slot);
    return slot;
  }
}

/** A family slot not (yet) in any index; the parser also uses one as a placeholder. */
export function newSlot(name: string, type: MetricType, index = -1): FamilySlot {
  return { name, index, type, typed: false, help: undefined, unit: undefined, samples: [], sampleNames: [], labelCaches: [] };
}
