export { HealthBadge } from './HealthBadge';
export { HEALTH_LOOK, HEALTH_RANK, SEVERITY_LOOK } from './health';
export type { Tone } from './health';
export { Icon } from './Icon';
export type { IconName } from './Icon';
