import { useEffect, useRef, useState } from 'react';
import type { RolloutPlan } from '../../../../shared/actions';
import type { ActionBrief } from './ActionItem';

/**
 * Says state changes out loud for screen readers (`drain of gw-1: succeeded`), once each:
 * the list itself changes ten times a second during a drain and is not a live region.
 */
export function ActionAnnouncer({ actions, rollout }: { actions: readonly ActionBrief[]; rollout: RolloutPlan | null }) {
  const seen = useRef<Map<string, string> | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    const now = new Map<string, string>(actions.map((a) => [a.id, a.state]));
    if (rollout) now.set(rollout.id, rollout.state);
    const before = seen.current;
    seen.current = now;
    if (!before) return; // what was there on arrival is not news
    const news: string[] = [];
    for (const a of actions) if (before.get(a.id) !== a.state) news.push(`${a.kind} of ${a.node}: ${a.state}${a.error ? `, ${a.error}` : ''}`);
    if (rollout && before.get(rollout.id) !== rollout.state) news.push(`rolling restart: ${rollout.state}${rollout.pauseReason && rollout.state === 'paused' ? `, ${rollout.pauseReason}` : ''}`);
    if (news.length) setMessage(news.join('. '));
  }, [actions, rollout]);
  return (
    <p className="sr-only" role="status" aria-live="polite">
      {message}
    </p>
  );
}
