// The objects a parse returns for plain samples (no timestamp, no exemplar), made by a
// constructor on purpose. V8 tracks every object or array *literal* by allocation site
// and, once a site's objects are seen to survive a young collection, allocates that
// site's objects straight into the old generation ("pretenuring") and rarely learns
// otherwise. A parse's samples survive while their exposition is kept (the first scrape,
// a benchmark's warm-up parse, a burst of scrapes at start-up), so a literal here ended
// up pretenured: measured, every later parse put all of its samples in the old
// generation, where only full collections free them (the parser ran at half speed).
// Objects made by a constructor carry no allocation site and are always born young.
// They have the same own properties in the same order as the literal; only the
// prototype differs (JSON, structured clone and toEqual ignore it).

import type { MetricFamily, MetricType, Sample } from './types';

/** A sample with a name, labels and a value, and nothing else. */
export class SampleRecord implements Sample {
  constructor(
    public name: string,
    public labels: Record<string, string>,
    public value: number,
  ) {}
}

/** A family, keys in the parser's order (`help` and `unit` only when set); made by a constructor for the same reason. */
export class FamilyRecord implements MetricFamily {
  // `declare`: no class fields, so the keys appear in the order the constructor sets them.
  declare name: string;
  declare type: MetricType;
  declare help?: string;
  declare unit?: string;
  declare samples: Sample[];

  constructor(name: string, type: MetricType, help: string | undefined, unit: string | undefined, samples: Sample[]) {
    this.name = name;
    this.type = type;
    if (help !== undefined) this.help = help;
    if (unit !== undefined) this.unit = unit;
    this.samples = samples;
  }
}
