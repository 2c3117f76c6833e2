import type { ActionRecord } from '../../../../shared/actions';
import { Icon } from '../../ui';
import { ActionItem } from './ActionItem';
import { useActionsBlocked, useCommands } from './useCommands';

/** After confirming: the action as it runs, from the frames (the confirm answer until a frame has it). */
export function StartedBody({ record }: { record: ActionRecord }) {
  const commands = useCommands();
  const blocked = useActionsBlocked();
  const live = commands?.actions.find((a) => a.id === record.id) ?? record;
  const outcome =
    live.state === 'refused'
      ? { tone: 'bad', text: `Refused: nothing was sent. ${live.error ?? ''}` }
      : live.state === 'failed'
        ? { tone: 'bad', text: `Failed: ${live.error ?? 'see the steps'}` }
        : live.state === 'running'
          ? { tone: 'info', text: 'Started. It goes on if you close this dialog: follow it under Fleet actions.' }
          : live.state === 'succeeded'
            ? { tone: 'ok', text: 'Done.' }
            : { tone: 'warn', text: `${live.state}${live.error ? `: ${live.error}` : ''}` };
  return (
    <>
      <p className={`verdict verdict-${outcome.tone}`} role={outcome.tone === 'bad' ? 'alert' : 'status'} data-testid="action-outcome">
        <Icon name={outcome.tone === 'bad' ? 'down' : outcome.tone === 'ok' ? 'check' : 'info'} /> <span>{outcome.text}</span>
      </p>
      <ActionItem a={live} blocked={blocked} />
    </>
  );
}
