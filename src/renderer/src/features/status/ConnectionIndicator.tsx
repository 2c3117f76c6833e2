import { useNow } from '../../lib/clock';
import { useLive } from '../live';

/** Top-bar status: live, stale (no frame for a while), reconnecting or lost — in words, with a dot. */
export function ConnectionIndicator() {
  const link = useLive((s) => s.link.state);
  const source = useLive((s) => s.latest?.frame.source);
  const lastAt = useLive((s) => (s.latest ? s.latest.frame.ts - s.clockOffsetMs : null));
  const paused = useLive((s) => s.paused);
  const now = useNow();
  const silentS = lastAt === null ? 0 : Math.round((now - lastAt) / 1000);
  let text: string;
  let tone: string;
  // A paused replay sends no frames: silence is not a problem there.
  if (link === 'open' && (silentS <= 5 || source?.kind === 'replay')) {
    text = source?.kind === 'replay' ? 'Replay' : source?.kind === 'none' ? 'Connected' : 'Live';
    tone = 'ok';
  } else if (link === 'open') {
    text = `No update for ${silentS} s`;
    tone = 'warn';
  } else if (link === 'connecting') {
    text = 'Reconnecting…';
    tone = 'warn';
  } else {
    text = 'Disconnected';
    tone = 'bad';
  }
  return (
    <span className={`conn-indicator tone-${tone}`} data-testid="link-state">
      <span className="dot" aria-hidden="true" />
      {text}
      {paused ? <span className="tone-warn"> · view paused</span> : null}
      {source ? <span className="muted"> · {source.name}</span> : null}
    </span>
  );
}
