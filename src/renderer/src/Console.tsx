import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { startClock, useNow } from './lib/clock';
import { CHARTS_ID, ChartsGrid, ChartToolbar } from './features/charts';
import { NodeDetail } from './features/detail';
import { ActiveSignals, BlindnessBanner, FleetFigures } from './features/fleet';
import { useLive } from './features/live';
import { NodeTable } from './features/nodes';
import { ConnectingScreen, ConnectionIndicator, EmptyFleet, LinkBanner, NeedsLinkScreen } from './features/status';
import { ThemeToggle } from './features/theme';
import { TimelinePanel } from './features/timeline';

/** Picks the screen from the link and the latest frame: connecting, refused, empty fleet, or the console. */
export function Console() {
  // One shared 1 Hz clock for every "ago" and countdown on screen.
  useEffect(() => startClock(), []);
  const link = useLive((s) => s.link);
  const hasFrame = useLive((s) => s.latest !== null);
  const empty = useLive((s) => (s.view ? s.view.nodes.length === 0 : false));
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
  return (
    <div className={stale ? 'app is-stale' : 'app'}>
      <a className="skip-link" href="#nodes-title">
        Skip to the node table
      </a>
      <header className="topbar">
        <span className="brand">Switchboard</span>
        <ConnectionIndicator />
        <span className="topbar-spacer" />
        <ThemeToggle />
      </header>
      <LinkBanner />
      {children}
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
    </>
  );
}
