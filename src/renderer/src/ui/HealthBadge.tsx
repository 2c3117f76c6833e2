import type { NodeHealth } from '../../../shared/api';
import { HEALTH_LOOK } from './health';
import { Icon } from './Icon';

/** A node's health: icon + word + colour. `blind` adds the eye-slash: the console cannot see it. */
export function HealthBadge({ health, blind = false }: { health: NodeHealth; blind?: boolean }) {
  const look = HEALTH_LOOK[health];
  return (
    <span className={`badge tone-${look.tone}`} data-health={health}>
      <Icon name={look.icon} size={14} />
      <span>{look.label}</span>
      {blind ? (
        <span className="badge-blind" title="The console cannot read this node">
          <Icon name="eyeOff" size={14} />
          <span>not visible</span>
        </span>
      ) : null}
    </span>
  );
}
