/**
 * The store: in-memory time series for the console (typed-array rings and compressed
 * chunks), counters → rates, histograms → quantiles, chart downsampling. The only
 * module other parts of the console import from; files behind it may move.
 */
export type {
  AppendResult,
  SampleColumns,
  SamplePoint,
  SampleVisitor,
  Series,
  SeriesReader,
  SeriesWriter,
} from './seriesReader';
export { readRange } from './seriesReader';
export type { RingSeriesOptions } from './ringSeries';
export { RING_SERIES_MAX_CAPACITY, RingSeries } from './ringSeries';
export type { CompressedSeriesOptions } from './compressedSeries';
export { COMPRESSED_SERIES_MAX_CAPACITY, CompressedSeries, DEFAULT_CHUNK_SAMPLES } from './compressedSeries';
export type { Labels, ParsedSeriesKey } from './seriesKey';
export { parseSeriesKey, seriesKey } from './seriesKey';
export type { PagePoolOptions } from './pagePool';
export { PagePool } from './pagePool';
export type { SeriesStoreOptions, SeriesStoreStats } from './seriesStore';
export { SeriesStore } from './seriesStore';
export { CounterRateTracker, increase, increaseBetween, rate } from './counterRate';
export type { BucketSeries } from './histogramQuantiles';
export { DEFAULT_QUANTILES, bucketQuantile, findBucketSeries, histogramQuantiles } from './histogramQuantiles';
export type { MinMaxBuckets } from './downsample';
export { lttb, minMaxBuckets } from './downsample';
export { DEFAULT_LOOKBACK_MS, sumAtSteps } from './fleetAggregate';
