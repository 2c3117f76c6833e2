import type { ActionPreview } from '../../../../shared/actions';
import { formatClock, formatCount, formatDuration, formatRate } from '../../lib/format';
import { Icon } from '../../ui';
import { Destinations } from './Destinations';
import { GuardChecks } from './GuardChecks';

/**
 * The dry run, in plain words: how many connections move and where they go, the reconnect
 * rate the others will see, how long it takes against the deadline, what is force-closed,
 * how much of the fleet is out, and each guard rail's verdict. Nothing has been sent.
 */
export function ActionPreviewView({ p, force }: { p: ActionPreview; force: boolean }) {
  const moves = p.kind !== 'undrain';
  const deadlineAt = p.at + p.deadlineSeconds * 1000;
  const nowOut = p.unavailable.now.length;
  const facts: { k: string; v: string; sub: string; tone?: 'warn' | 'bad'; id: string }[] = moves
    ? [
        { id: 'moving', k: 'Connections moving', v: formatCount(p.connectionsMoving), sub: `from ${p.node} to the serving nodes` },
        { id: 'reconnects', k: 'Reconnects the others see', v: `≈ ${formatRate(p.expectedReconnectsPerSec)}/s`, sub: `disconnect rate ${formatRate(p.disconnectRatePerSecond)}/s` },
        {
          id: 'drain-time',
          k: 'Drain time',
          v: `≈ ${formatDuration(p.expectedDrainSeconds * 1000)}`,
          sub: `deadline ${formatDuration(p.deadlineSeconds * 1000)}, at ${formatClock(deadlineAt)}`,
          tone: p.expectedDrainSeconds >= p.deadlineSeconds && p.connectionsMoving > 0 ? 'warn' : undefined,
        },
        {
          id: 'force-closed',
          k: 'Force-closed at the deadline',
          v: p.forceClosedAtDeadline > 0 ? formatCount(p.forceClosedAtDeadline) : 'none',
          sub: p.forceClosedAtDeadline > 0 ? 'connections cut all at once' : 'the drain ends before the deadline',
          tone: p.forceClosedAtDeadline > 0 ? 'warn' : undefined,
        },
        {
          id: 'unavailable',
          k: 'Nodes unavailable',
          v: `${nowOut} now → ${p.unavailable.after}`,
          sub: `at most ${p.unavailable.max} allowed${nowOut ? `; out now: ${p.unavailable.now.join(', ')}` : ''}`,
          tone: p.unavailable.after > p.unavailable.max ? 'bad' : undefined,
        },
      ]
    : [
        { id: 'moving', k: 'Connections moving', v: 'none', sub: `${p.node} accepts new clients again` },
        { id: 'unavailable', k: 'Nodes unavailable', v: `${nowOut} now → ${p.unavailable.after}`, sub: nowOut ? `out now: ${p.unavailable.now.join(', ')}` : 'none out now' },
      ];
  return (
    <section className="preview" aria-label={`Dry run of the ${p.kind} of ${p.node}`} data-testid="action-preview">
      <Verdict p={p} />
      <p className="preview-note muted">
        Dry run as of {formatClock(p.at)}: nothing has been sent to {p.node}. The guard rails judge again when you confirm.
      </p>
      <dl className="preview-facts">
        {facts.map((f) => (
          <div key={f.id} className={`pfact${f.tone ? ` pfact-${f.tone}` : ''}`} data-fact={f.id}>
            <dt>{f.k}</dt>
            <dd className={f.tone ? `tone-${f.tone}` : undefined}>
              {f.tone ? <Icon name="warning" size={14} /> : null} {f.v}
            </dd>
            <dd className="pfact-sub">{f.sub}</dd>
          </div>
        ))}
      </dl>
      {moves ? (
        <>
          <h3 className="section-title">Where they go</h3>
          {p.headroom ? (
            <p className="muted headroom">
              Free slots on the serving nodes: <b>{formatCount(p.headroom.free)}</b>; needed with the {Math.round(p.headroom.margin * 100)}% margin: <b>{formatCount(p.headroom.needed)}</b>.
            </p>
          ) : null}
          <Destinations p={p} />
        </>
      ) : null}
      <h3 className="section-title">Guard rails</h3>
      <GuardChecks checks={p.checks} force={force} />
    </section>
  );
}

/** The one-line answer first: allowed, allowed only with force, or refused and by which rule. */
function Verdict({ p }: { p: ActionPreview }) {
  if (!p.allowed) {
    return (
      <p className="verdict verdict-bad" role="alert" data-testid="preview-verdict">
        <Icon name="blocked" /> <span><b>Refused by the guard rails:</b> {p.refusal}</span>
      </p>
    );
  }
  if (p.forced) {
    return (
      <p className="verdict verdict-warn" data-testid="preview-verdict">
        <Icon name="warning" /> <span><b>Allowed only with force:</b> a failing rule is overridden; your reason is recorded with it.</span>
      </p>
    );
  }
  return (
    <p className="verdict verdict-ok" data-testid="preview-verdict">
      <Icon name="check" /> <span><b>Every guard rail passes.</b></span>
    </p>
  );
}
