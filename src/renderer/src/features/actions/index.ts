export { ActionDialogs } from './ActionDialogs';
export { ActionsPanel } from './ActionsPanel';
export { actionsUiStore, closeActionsDialog, openActionsDialog, useActionsDialog } from './actionsUiStore';
export type { ActionsDialog } from './actionsUiStore';
export { NodeActionBar, NodeActionStatus } from './NodeActionBar';
export { RowActionsMenu } from './RowActionsMenu';
export { actionsBlocked, nodeActionBlock } from './useCommands';
export { timelineActionTag } from './timelineTag';
