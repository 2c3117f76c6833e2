import { ActionDialog } from './ActionDialog';
import { ROLLOUT_BUTTON_ID } from './ActionsPanel';
import { closeActionsDialog, useActionsDialog } from './actionsUiStore';
import { AuditDialog } from './AuditDialog';
import { AbortActionDialog, RolloutControlDialog } from './ReasonDialog';
import { ROLLOUT_TITLE_ID } from './RolloutCard';
import { RolloutDialog } from './RolloutDialog';

/** Renders whichever actions dialog is open (one at a time). */
export function ActionDialogs() {
  const d = useActionsDialog();
  if (!d) return null;
  const close = closeActionsDialog;
  switch (d.kind) {
    case 'action':
      return <ActionDialog key={`${d.action}:${d.node}`} kind={d.action} node={d.node} onClose={close} />;
    case 'rollout':
      return <RolloutDialog onClose={close} returnFocus={() => document.getElementById(ROLLOUT_TITLE_ID) ?? document.getElementById(ROLLOUT_BUTTON_ID)} />;
    case 'abort':
      return <AbortActionDialog actionId={d.actionId} label={d.label} onClose={close} />;
    case 'rolloutControl':
      return <RolloutControlDialog key={d.op} op={d.op} onClose={close} />;
    case 'audit':
      return <AuditDialog onClose={close} />;
  }
}
