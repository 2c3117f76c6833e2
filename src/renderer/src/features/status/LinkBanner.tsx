import type { BridgeStatus } from '../../bridge';
import { formatClock } from '../../lib/format';
import { useNow } from '../../lib/clock';
import { Icon } from '../../ui';
import { useLink, useLive } from '../live';

/**
 * The link dropped while figures are on screen: say that they are frozen, since when,
 * and when the next try is (with a button to try now).
 */
export function LinkBanner() {
  const link = useLive((s) => s.link);
  const lastTs = useLive((s) => s.latest?.frame.ts ?? null);
  if (link.state === 'open') return null;
  return <Lost link={link} lastTs={lastTs} />;
}

function Lost({ link, lastTs }: { link: Exclude<BridgeStatus, { state: 'open' }>; lastTs: number | null }) {
  // Re-rendered by the shared 1 Hz clock; the countdown itself reads the exact time.
  useNow();
  const now = Date.now();
  const { retryNow } = useLink();
  const retryIn = 'retryAt' in link ? Math.max(0, Math.ceil((link.retryAt - now) / 1000)) : 0;
  return (
    <div className="link-banner" role="alert" data-testid="link-lost">
      <Icon name="unplugged" size={20} />
      <div>
        <strong>Connection to the console lost.</strong> Everything below is{lastTs !== null ? ` from ${formatClock(lastTs)}` : ' old'} and not live.{' '}
        {link.state === 'connecting' ? `Reconnecting (attempt ${link.attempt})…` : `Retrying in ${retryIn} s.`}
        {link.state === 'lost' ? <span className="muted"> ({link.lastError})</span> : null}
        {link.state === 'refused' ? <span className="muted"> The console no longer accepts this page: if it was restarted, open the new link it printed.</span> : null}
      </div>
      {link.state !== 'connecting' ? (
        <button type="button" className="btn" onClick={retryNow}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}
