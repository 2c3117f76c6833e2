import { Icon } from '../../ui';

/**
 * No token, or the console refused it: say exactly what to do, and show no data.
 * `reason` explains a refusal (the server's own words when it gave any).
 */
export function NeedsLinkScreen({ reason, retryInS }: { reason?: string; retryInS?: number }) {
  return (
    <main className="screen" data-testid="needs-link">
      <div className="screen-card">
        <Icon name="unplugged" size={40} className="screen-icon" />
        <h1 className="screen-title">This page needs the link printed by <code>switchboard serve</code></h1>
        <p>
          Open the full address it printed, including <code>#token=…</code> at the end. The token proves this page may talk to that console;
          it is removed from the address bar once read.
        </p>
        <pre className="cmd">
          <code>$ npx switchboard serve --demo{'\n'}Switchboard console: http://127.0.0.1:PORT/#token=…</code>
        </pre>
        {reason ? (
          <p className="tone-warn" role="status">
            The console did not accept this page: {reason}.{retryInS !== undefined ? ` Trying again in ${retryInS} s.` : ''} If <code>switchboard serve</code> was restarted, it printed a new link.
          </p>
        ) : null}
      </div>
    </main>
  );
}
