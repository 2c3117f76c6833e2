import type { SeriesMetric } from '../../../../shared/api';
import type { Theme } from '../theme';
import { formatCount, formatMs, formatRate } from '../../lib/format';

/** One line of a chart: the series label it draws, its name in the legend, and how it looks. */
export interface LineSpec {
  label: string;
  name: string;
  colorKey: ColorKey;
  /** Dashed lines tell p50 from p99 and away from online without relying on colour. */
  dashed?: boolean;
}

export interface ChartSpec {
  id: string;
  metric: SeriesMetric;
  title: string;
  /** `stack`: stacked areas (parts of a whole); `lines`: separate lines. */
  kind: 'stack' | 'lines' | 'area';
  lines: LineSpec[];
  format(v: number): string;
  /** Draw reconnect-spike bands from the timeline. */
  spikes?: boolean;
  /** A horizontal threshold line, e.g. the lag breach threshold. */
  threshold?: { value: number; label: string };
}

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'connections', metric: 'connections', title: 'Connections by transport', kind: 'stack', format: formatCount,
    lines: [
      { label: 'ws', name: 'WebSocket', colorKey: 'ws' },
      { label: 'sse', name: 'SSE', colorKey: 'sse' },
      { label: 'longpoll', name: 'Long-poll', colorKey: 'longpoll' },
    ],
  },
  {
    id: 'lag', metric: 'lag', title: 'Pub/sub lag', kind: 'lines', format: formatMs,
    lines: [
      { label: 'p99', name: 'p99', colorKey: 'p99' },
      { label: 'p50', name: 'p50', colorKey: 'p50', dashed: true },
    ],
    threshold: { value: 250, label: 'breach 250 ms' },
  },
  {
    id: 'reconnects', metric: 'reconnects', title: 'Reconnects per second', kind: 'area', format: formatRate, spikes: true,
    lines: [{ label: 'reconnects', name: 'Reconnects/s', colorKey: 'reconnects' }],
  },
  {
    id: 'presence', metric: 'presence', title: 'Presence', kind: 'lines', format: formatCount,
    lines: [
      { label: 'online', name: 'Online', colorKey: 'online' },
      { label: 'away', name: 'Away', colorKey: 'away', dashed: true },
    ],
  },
];

export type ColorKey = 'ws' | 'sse' | 'longpoll' | 'p50' | 'p99' | 'reconnects' | 'online' | 'away' | 'spike' | 'spikeText' | 'grid' | 'axis' | 'focus' | 'threshold' | 'tooltipBg' | 'tooltipText';

/** Colour-blind-safe (Okabe–Ito based), with contrast against each theme's background. */
export const PALETTE: Record<Theme, Record<ColorKey, string>> = {
  dark: {
    ws: '#56b4e9', sse: '#e08fc4', longpoll: '#e69f00', p50: '#3fc1a0', p99: '#ff8c42', reconnects: '#f0e442',
    online: '#3fc1a0', away: '#a8b1bd', spike: 'rgba(255, 107, 107, 0.2)', spikeText: '#ffb3b3', grid: '#2a3140', axis: '#9aa4b2',
    focus: '#ffffff', threshold: '#ff8c42', tooltipBg: '#1b2130', tooltipText: '#e6e9ef',
  },
  light: {
    ws: '#0072b2', sse: '#b0508a', longpoll: '#a86a00', p50: '#00795a', p99: '#c24e00', reconnects: '#7a6c00',
    online: '#00795a', away: '#5f6b7a', spike: 'rgba(213, 60, 60, 0.14)', spikeText: '#9b1c1c', grid: '#e3e7ee', axis: '#4b5563',
    focus: '#111827', threshold: '#c24e00', tooltipBg: '#ffffff', tooltipText: '#111827',
  },
};
