import type { TimelineEvent } from '../../../../shared/api';
import type { IconName } from '../../ui';

const KIND_ICON: Record<string, IconName> = { drain: 'draining', undrain: 'undrain', restart: 'restarting' };

/**
 * Timeline events of fleet actions (`action_*`) and rolling restarts (`rollout_*`), as the
 * command service writes them: a tag with the action's icon, so they stand apart
 * from what the console observed. Null for every other event.
 */
export function timelineActionTag(e: TimelineEvent): { icon: IconName; label: string } | null {
  if (e.kind.startsWith('rollout_')) return { icon: 'restarting', label: 'rollout' };
  if (!e.kind.startsWith('action_')) return null;
  const k = typeof e.data.kind === 'string' ? e.data.kind : null;
  // The title names the action already ("drain of gw-1 by …"): the tag says someone did it.
  return { icon: (k && KIND_ICON[k]) || 'terminal', label: 'action' };
}
