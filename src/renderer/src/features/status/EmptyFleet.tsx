import type { SourceInfo } from '../../../../shared/api';
import { Icon } from '../../ui';

const WAYS: { title: string; cmd: string; note: string }[] = [
  { title: 'Run the demo fleet', cmd: 'npx switchboard serve --demo', note: 'Three gateway nodes and simulated users on this machine.' },
  { title: 'Open a file_sd file', cmd: 'npx switchboard serve --fleet fleet.json', note: 'A Prometheus file_sd JSON file; tokens go beside it in fleet.credentials.json.' },
  { title: 'Point at Prometheus', cmd: 'npx switchboard serve --prometheus URL', note: 'Nodes from its targets API, figures and history from its queries (--profile contract, centrifugo or a file); live events only from the nodes on screen.' },
];

/** Connected, but there is nothing to watch: how to give the console a fleet. */
export function EmptyFleet({ source, inventoryError }: { source: SourceInfo; inventoryError: string | null }) {
  const none = source.kind === 'none';
  return (
    <main className="screen" data-testid="empty-fleet">
      <div className="screen-card screen-wide">
        <Icon name="target" size={40} className="screen-icon" />
        <h1 className="screen-title">{none ? 'No fleet to watch yet' : `The fleet “${source.name}” has no nodes`}</h1>
        {inventoryError ? <p className="tone-warn">The inventory could not be loaded: {inventoryError}</p> : null}
        <p>{none ? 'The console is running but was started without a fleet. Start it one of these ways:' : 'Check the inventory, or start the console on another fleet:'}</p>
        <ol className="ways">
          {WAYS.map((w) => (
            <li key={w.cmd}>
              <h2>{w.title}</h2>
              <pre className="cmd">
                <code>{w.cmd}</code>
              </pre>
              <p className="muted">{w.note}</p>
            </li>
          ))}
        </ol>
      </div>
    </main>
  );
}
