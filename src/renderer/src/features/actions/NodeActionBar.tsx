import { ACTION_KINDS } from '../../../../shared/actions';
import { Icon } from '../../ui';
import { useLive } from '../live';
import { ActionItem } from './ActionItem';
import { KIND_LOOK } from './actionLook';
import { openActionsDialog } from './actionsUiStore';
import { nodeActionBlock, runningOn, useActionsBlocked, useCommands } from './useCommands';

/**
 * Drain…, Undrain…, Restart… for one node (the detail panel), each disabled with its
 * reason written under the buttons, never only greyed out.
 */
export function NodeActionBar({ node }: { node: string }) {
  const n = useLive((s) => s.latest?.byId.get(node));
  const blocked = useActionsBlocked();
  const commands = useCommands();
  const running = runningOn(commands, node);
  const items = ACTION_KINDS.map((kind) => ({ kind, why: nodeActionBlock(kind, n, blocked, running) }));
  // One line per distinct reason (a replay disables all three for the same reason).
  const reasons = [...new Set(items.filter((i) => i.why).map((i) => i.why!))];
  const why = (r: string) => items.filter((i) => i.why === r).map((i) => KIND_LOOK[i.kind].verb);
  const noteId = `node-actions-why-${node}`;
  return (
    <div className="node-actions" role="group" aria-label={`Actions on ${node}`} data-testid="node-actions">
      <div className="node-actions-buttons">
        {items.map(({ kind, why: w }) => (
          <button
            key={kind}
            type="button"
            className={kind === 'undrain' ? 'btn btn-small' : 'btn btn-small btn-danger-outline'}
            disabled={w !== null}
            aria-describedby={w ? noteId : undefined}
            onClick={() => openActionsDialog({ kind: 'action', action: kind, node })}
            data-kind={kind}
          >
            <Icon name={KIND_LOOK[kind].icon} size={14} /> {KIND_LOOK[kind].verb}…
          </button>
        ))}
      </div>
      {reasons.length ? (
        <ul className="node-actions-why" id={noteId}>
          {reasons.map((r) => (
            <li key={r}>
              <span className="muted">{why(r).length === items.length ? 'Unavailable' : `${why(r).join(', ')} unavailable`}:</span> {r}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The node's running and recent actions (its progress right in the detail panel). */
export function NodeActionStatus({ node }: { node: string }) {
  const commands = useCommands();
  const blocked = useActionsBlocked();
  const mine = commands?.actions.filter((a) => a.node === node) ?? [];
  if (mine.length === 0) return null;
  return (
    <section className="detail-section" aria-labelledby={`node-actions-title-${node}`}>
      <h3 id={`node-actions-title-${node}`} className="section-title">
        Actions on {node}
      </h3>
      <ol className="action-list">
        {mine.map((a) => (
          <li key={a.id}>
            <ActionItem a={a} blocked={blocked} headingLevel={4} />
          </li>
        ))}
      </ol>
    </section>
  );
}
