import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { startClock, useNow } from './lib/clock';
import { ActionDialogs, ActionsPanel } from './features/actions';
import { CHARTS_ID, ChartsGrid, ChartToolbar } from './features/charts';
import { NodeDetail } from './features/detail';
import { ActiveSignals, BlindnessBanner, FleetFigures } from './features/fleet';
import { useLive } from './features/live';
import { NodeTable } from './features/nodes';
import { RecorderControls, RecordingNotices, RecordingsDrawer } from './features/recording';
import { FileDropZone, PlayerBar, ReplayBanner } from './features/replay';
import { ConnectingScreen, ConnectionIndicator, EmptyFleet, LinkBanner, NeedsLinkScreen } from './features/status';
import { ThemeToggle } from './features/theme';
import { TimelinePanel } from './features/timeline';

/** Picks the screen from the link and the latest frame: connecting, refused, empty fleet, or the console. */
export function Console() {
  // One shared 1 Hz clock for every "ago" and countdown on screen.
  useEffect(() => startClock(), []);
  const link = useLive((s) => s.link);
  const hasFrame = useLive((s) => s.latest !== null);
  // A recording shows its views even where it has no node (yet): the replay controls stay.
  const empty = useLive((s) => (s.view ? s.view.nodes.length === 0 && s.view.frame.session.mode !== 'replay' : false));
  if (!hasFrame) {
    if (link.state === 'refused') return <Refused reason={link.reason} retryAt={link.retryAt} />;
    return <ConnectingScreen attempt={link.state === 'connecting' || link.state === 'lost' ? link.attempt : 1} open={link.state === 'open'} />;
  }
  return <Shell>{empty ? <Empty /> : <Overview />}</Shell>;
}

function Refused({ reason, retryAt }: { reason: string; retryAt: number }) {
  useNow();
  const now = Date.now();
  return <NeedsLinkScreen reason={reason} retryInS={Math.max(0, Math.ceil((retryAt - now) / 1000))} />;
}

function Empty() {
  const source = useLive((s) => s.view!.frame.source);
  const inventoryError = useLive((s) => s.view!.fleet.blind.find((b) => b.what === 'inventory')?.reason ?? null);
  return <EmptyFleet source={source} inventoryError={inventoryError} />;
}

function Shell({ children }: { children: ReactNode }) {
  // Without the link everything on screen is old: it fades, so nobody mistakes it for live.
  const stale = useLive((s) => s.link.state !== 'open');
  // A replay changes the top bar into the REPLAY band, frames the page and adds the player.
  const replay = useLive((s) => s.latest?.frame.session.mode === 'replay');
  return (
    <div className={`app${stale ? ' is-stale' : ''}${replay ? ' is-replay' : ''}`}>
      <a className="skip-link" href="#nodes-title">
        Skip to the node table
      </a>
      <header className={replay ? 'topbar is-replay' : 'topbar'}>
        <span className="brand">Switchboard</span>
        {replay ? <ReplayBanner /> : <ConnectionIndicator />}
        <span className="topbar-spacer" />
        <RecorderControls />
        <ThemeToggle />
      </header>
      <PlayerBar />
      <LinkBanner />
      <RecordingNotices />
      {children}
      <RecordingsDrawer />
      <FileDropZone />
    </div>
  );
}

function Overview() {
  return (
    <>
      <main className="overview" id="main">
        <h1 className="sr-only">Fleet overview</h1>
        <BlindnessBanner />
        <FleetFigures />
        <ActiveSignals />
        <ActionsPanel />
        <section className="charts-section" aria-label="Charts" id={CHARTS_ID}>
          <ChartToolbar />
          <ChartsGrid />
        </section>
        <div className="split">
          <NodeTable />
          <TimelinePanel />
        </div>
      </main>
      <NodeDetail />
      <ActionDialogs />
    </>
  );
}
