import { Icon } from '../../ui';

/** Before the first frame: the link is opening, or open and waiting for the console's first picture. */
export function ConnectingScreen({ attempt, open }: { attempt: number; open: boolean }) {
  return (
    <main className="screen" data-testid="connecting" aria-busy="true">
      <div className="screen-card">
        <Icon name="restarting" size={40} className="screen-icon spin" />
        <h1 className="screen-title">{open ? 'Waiting for the first picture of the fleet…' : 'Connecting to the console…'}</h1>
        <p className="muted">{attempt > 1 ? `Attempt ${attempt}.` : 'This takes a moment.'}</p>
      </div>
    </main>
  );
}
