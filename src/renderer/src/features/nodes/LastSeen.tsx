import { formatAgo } from '../../lib/format';
import { useViewNow } from '../live';

/** "4 s ago", ticking on its own so the row around it does not re-render every second. */
export function LastSeen({ at }: { at: number | null }) {
  const now = useViewNow();
  const late = at === null || now - at > 5000;
  return <span className={late ? 'tone-warn' : 'muted'}>{formatAgo(at, now)}</span>;
}
