import type { ScrapeOutcome } from '../../sources/scrape/fetchMetrics';
import type { Exposition, ExpositionFormat, MetricFamily, MetricType, Sample } from '../../sources/metrics/types';
import type { ByteReader } from './bytes';
import { KIND, MessageParser } from './codedMessage';
import type { MessageWriter } from './codedMessage';
import { BadValueError, ValueSlot, freshSlots } from './valueCodec';
import type { ValueEncoder } from './valueCodec';

/**
 * Scrape outcomes of one node (`/node/<id>/scrape`, encoding `switchboard.scrape.v1`):
 * the parsed samples, never the raw text.
 *
 * A KEY message carries the channel's dictionary in its structure stream — the format,
 * then per family its name, type, HELP, UNIT and sample count, then per sample its name,
 * labels and whether it had its own timestamp; a sample's position in that list is its
 * series id — followed by the values. A DELTA message says only "same dictionary as the
 * previous message" and carries the values, each coded against the same series' value in
 * the previous scrape (a counter at a steady rate or a constant costs half a byte). A
 * scrape whose families or series differ from the previous one is written as a KEY.
 * Values, in order: `at − logTime` (ms), `durationMs`, `bytes`, `samples`, then each
 * sample's value (and its timestamp when it had one). A failed scrape is a SELF message:
 * its error text and times, leaving the coding state alone. Exemplars are not kept.
 */

const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown', 'untyped'];
const FORMATS: readonly ExpositionFormat[] = ['prometheus-0.0.4', 'openmetrics-1.0'];
const HAS_HELP = 1;
const HAS_UNIT = 2;
const HAS_TIMESTAMP = 1;

/** Header values of an ok scrape, in slot order. */
const HEADER_SLOTS = 4;

/** Whether two label sets are equal with the same key order (cheap: no arrays built). */
function sameLabels(prev: readonly string[], labels: Record<string, string>): boolean {
  let i = 0;
  for (const k in labels) {
    if (prev[i] !== k || prev[i + 1] !== labels[k]) return false;
    i += 2;
  }
  return i === prev.length;
}

interface EncodedLayout {
  format: ExpositionFormat;
  families: { name: string; type: MetricType; help: string | undefined; unit: string | undefined; count: number }[];
  samples: { name: string; labels: string[]; ts: boolean }[];
}

/** Encoder of one node's scrape channel. */
export class ScrapeEncoder {
  private layout: EncodedLayout | null = null;
  private header: ValueSlot[] = [];
  private slots: ValueSlot[] = [];
  private tsSlots: ValueSlot[] = [];

  /** Forgets the state: the next ok scrape is written as a KEY. */
  reset(): void {
    this.layout = null;
  }

  encode(w: MessageWriter, logMs: number, o: ScrapeOutcome): Uint8Array {
    if (!o.ok) {
      w.begin(KIND.SELF);
      w.struct.string(o.error);
      selfNumber(w.values, o.at - logMs);
      selfNumber(w.values, o.durationMs);
      return w.finish();
    }
    const e = o.exposition;
    const key = !this.layout || !this.sameLayout(e);
    w.begin(key ? KIND.KEY : KIND.DELTA);
    if (key) this.writeLayout(w, e);
    const v = w.values;
    v.number(this.header[0], o.at - logMs);
    v.number(this.header[1], o.durationMs);
    v.number(this.header[2], o.bytes);
    v.number(this.header[3], o.samples);
    let i = 0;
    let t = 0;
    for (const f of e.families) {
      for (const s of f.samples) {
        v.number(this.slots[i++], s.value);
        if (s.timestampMs !== undefined) v.number(this.tsSlots[t++], s.timestampMs);
      }
    }
    return w.finish();
  }

  private sameLayout(e: Exposition): boolean {
    const l = this.layout!;
    if (l.format !== e.format || l.families.length !== e.families.length) return false;
    let i = 0;
    for (let fi = 0; fi < e.families.length; fi++) {
      const f = e.families[fi];
      const lf = l.families[fi];
      if (lf.name !== f.name || lf.type !== f.type || lf.help !== f.help || lf.unit !== f.unit || lf.count !== f.samples.length) return false;
      for (const s of f.samples) {
        const ls = l.samples[i++];
        if (ls.name !== s.name || ls.ts !== (s.timestampMs !== undefined) || !sameLabels(ls.labels, s.labels)) return false;
      }
    }
    return true;
  }

  private writeLayout(w: MessageWriter, e: Exposition): void {
    const st = w.struct;
    const layout: EncodedLayout = { format: e.format, families: [], samples: [] };
    st.u8(Math.max(0, FORMATS.indexOf(e.format)));
    st.varint(e.families.length);
    for (const f of e.families) {
      layout.families.push({ name: f.name, type: f.type, help: f.help, unit: f.unit, count: f.samples.length });
      st.string(f.name);
      st.u8(Math.max(0, TYPES.indexOf(f.type)));
      st.u8((f.help !== undefined ? HAS_HELP : 0) | (f.unit !== undefined ? HAS_UNIT : 0));
      if (f.help !== undefined) st.string(f.help);
      if (f.unit !== undefined) st.string(f.unit);
      st.varint(f.samples.length);
      for (const s of f.samples) {
        const labels: string[] = [];
        for (const k in s.labels) labels.push(k, s.labels[k]);
        layout.samples.push({ name: s.name, labels, ts: s.timestampMs !== undefined });
        st.string(s.name);
        st.varint(labels.length / 2);
        for (const x of labels) st.string(x);
        st.u8(s.timestampMs !== undefined ? HAS_TIMESTAMP : 0);
      }
    }
    this.layout = layout;
    this.header = Array.from({ length: HEADER_SLOTS }, () => new ValueSlot());
    this.slots = layout.samples.map(() => new ValueSlot());
    this.tsSlots = layout.samples.filter((s) => s.ts).map(() => new ValueSlot());
  }
}

/** A number coded without state (a fresh slot): for self-contained messages. */
function selfNumber(v: ValueEncoder, x: number): void {
  v.number(new ValueSlot(), x);
}

/**
 * The last dictionary a channel's key messages carried, parsed. Key messages repeat the
 * same dictionary every key period; decoders of one file share a memo per channel, so an
 * unchanged dictionary is compared byte for byte instead of parsed again (a seek decodes
 * every node's key message). Parsed layouts are immutable and safe to share.
 */
export class LayoutMemo {
  bytes: Uint8Array | null = null;
  layout: DecodedLayout | null = null;
}

interface DecodedLayout {
  format: ExpositionFormat;
  families: { name: string; type: MetricType; help?: string; unit?: string; samples: { name: string; labels: Record<string, string>; ts: boolean }[] }[];
  sampleCount: number;
  tsCount: number;
}

/** Decoder of one node's scrape channel; `decode` throws on a message it cannot read. */
export class ScrapeDecoder {
  private layout: DecodedLayout | null = null;
  private readonly parser = new MessageParser();

  constructor(private readonly memo: LayoutMemo = new LayoutMemo()) {}

  private header: ValueSlot[] = [];
  private slots: ValueSlot[] = [];
  private tsSlots: ValueSlot[] = [];

  reset(): void {
    this.layout = null;
  }

  /** Whether a DELTA can be decoded (a KEY was read since the last reset). */
  get ready(): boolean {
    return this.layout !== null;
  }

  /**
   * Decodes one message. With `materialize` false the values only advance the state and
   * null is returned (skipping ahead to a seek target without building objects).
   */
  decode(logMs: number, data: Uint8Array, materialize = true): ScrapeOutcome | null {
    const m = this.parser.parse(data);
    if (m.kind === KIND.SELF) {
      const error = m.struct.string();
      const at = logMs + m.values.number(new ValueSlot());
      const durationMs = m.values.number(new ValueSlot());
      return { ok: false, error, at, durationMs };
    }
    if (m.kind === KIND.KEY) this.readLayout(m.struct);
    else if (m.kind !== KIND.DELTA) throw new BadValueError(`scrape message of unknown kind ${m.kind}`);
    const layout = this.layout;
    if (!layout) throw new BadValueError('a scrape delta without its key message');
    const v = m.values;
    const at = logMs + v.number(this.header[0]);
    const durationMs = v.number(this.header[1]);
    const bytes = v.number(this.header[2]);
    const samples = v.number(this.header[3]);
    const families: MetricFamily[] = [];
    let i = 0;
    let t = 0;
    for (const lf of layout.families) {
      const out: Sample[] | null = materialize ? [] : null;
      for (const ls of lf.samples) {
        const value = v.number(this.slots[i++]);
        const ts = ls.ts ? v.number(this.tsSlots[t++]) : undefined;
        if (out) out.push(ts === undefined ? { name: ls.name, labels: ls.labels, value } : { name: ls.name, labels: ls.labels, value, timestampMs: ts });
      }
      if (out) {
        const f: MetricFamily = { name: lf.name, type: lf.type, samples: out };
        if (lf.help !== undefined) f.help = lf.help;
        if (lf.unit !== undefined) f.unit = lf.unit;
        families.push(f);
      }
    }
    if (!materialize) return null;
    return { ok: true, exposition: { format: layout.format, families }, at, durationMs, bytes, samples };
  }

  private readLayout(st: ByteReader): void {
    this.layout = null;
    const bytes = st.rest();
    const memo = this.memo;
    const same = memo.bytes !== null && memo.layout !== null && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).equals(memo.bytes);
    const layout = same ? memo.layout! : parseLayout(st);
    if (!same) {
      memo.bytes = bytes.slice();
      memo.layout = layout;
    }
    this.header = freshSlots(this.header, HEADER_SLOTS);
    this.slots = freshSlots(this.slots, layout.sampleCount);
    this.tsSlots = freshSlots(this.tsSlots, layout.tsCount);
    this.layout = layout;
  }
}

function parseLayout(st: ByteReader): DecodedLayout {
  const format = FORMATS[st.u8()];
  if (!format) throw new BadValueError('unknown exposition format');
  const nf = st.varint();
  const families: DecodedLayout['families'] = [];
  let sampleCount = 0;
  let tsCount = 0;
  for (let f = 0; f < nf; f++) {
    const name = st.string();
    const type = TYPES[st.u8()];
    if (!type) throw new BadValueError(`unknown metric type in family ${name}`);
    const flags = st.u8();
    const fam: DecodedLayout['families'][number] = { name, type, samples: [] };
    if (flags & HAS_HELP) fam.help = st.string();
    if (flags & HAS_UNIT) fam.unit = st.string();
    const ns = st.varint();
    for (let s = 0; s < ns; s++) {
      const sname = st.string();
      const nl = st.varint();
      // Shared by every sample decoded from this dictionary: treat as read-only.
      const labels: Record<string, string> = {};
      for (let l = 0; l < nl; l++) {
        const k = st.string();
        const val = st.string();
        if (k === '__proto__') Object.defineProperty(labels, k, { value: val, enumerable: true, writable: true, configurable: true });
        else labels[k] = val;
      }
      const ts = (st.u8() & HAS_TIMESTAMP) !== 0;
      fam.samples.push({ name: sname, labels, ts });
      sampleCount++;
      if (ts) tsCount++;
    }
    families.push(fam);
  }
  return { format, families, sampleCount, tsCount };
}
