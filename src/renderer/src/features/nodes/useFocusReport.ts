import { useEffect } from 'react';
import { useApi } from '../live';

/** Wait this long after the visible rows change before saying so (scrolling sends one report, not fifty). */
const SETTLE_MS = 500;

/**
 * Tells main which nodes are on screen (the table's visible rows and the open node), so a
 * Prometheus-mode console streams live events for exactly those (hybrid sources). Sent
 * when the set changes, after it settles; errors are not the user's concern here.
 */
export function useFocusReport(visible: readonly string[], selected: string | null): void {
  const api = useApi();
  const ids = selected && !visible.includes(selected) ? [selected, ...visible] : visible;
  const key = ids.slice(0, 200).join('\n');
  useEffect(() => {
    const timer = setTimeout(() => {
      void api.setFocus({ nodes: key === '' ? [] : key.split('\n') });
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [api, key]);
}
