import type { NodeHealth, Severity } from '../../../shared/api';
import type { IconName } from './Icon';

/** How each health state is shown: words, icon and a colour class (colour is never alone). */
export const HEALTH_LOOK: Record<NodeHealth, { label: string; icon: IconName; tone: Tone }> = {
  up: { label: 'Up', icon: 'check', tone: 'ok' },
  down: { label: 'Down', icon: 'down', tone: 'bad' },
  stale: { label: 'Stale', icon: 'stale', tone: 'warn' },
  unknown: { label: 'Unknown', icon: 'unknown', tone: 'muted' },
  draining: { label: 'Draining', icon: 'draining', tone: 'info' },
  drained: { label: 'Drained', icon: 'drained', tone: 'info' },
  restarting: { label: 'Restarting', icon: 'restarting', tone: 'info' },
};

export type Tone = 'ok' | 'bad' | 'warn' | 'muted' | 'info';

/** Problems first when sorting by health. */
export const HEALTH_RANK: Record<NodeHealth, number> = { down: 0, stale: 1, unknown: 2, restarting: 3, draining: 4, drained: 5, up: 6 };

export const SEVERITY_LOOK: Record<Severity, { label: string; icon: IconName; tone: Tone }> = {
  critical: { label: 'Critical', icon: 'critical', tone: 'bad' },
  warning: { label: 'Warning', icon: 'warning', tone: 'warn' },
  info: { label: 'Info', icon: 'info', tone: 'info' },
};
