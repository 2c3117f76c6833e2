import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ActionKind, RolloutControl } from '../../../../shared/actions';

/** The one dialog of the actions feature that is open (they never stack). */
export type ActionsDialog =
  | { kind: 'action'; action: ActionKind; node: string }
  | { kind: 'rollout' }
  | { kind: 'abort'; actionId: string; label: string }
  | { kind: 'rolloutControl'; op: RolloutControl['op'] }
  | { kind: 'audit' };

/** Which dialog is open; opening one replaces any other. */
export const actionsUiStore = createStore<{ dialog: ActionsDialog | null; open(d: ActionsDialog): void; close(): void }>()((set) => ({
  dialog: null,
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null }),
}));

export function useActionsDialog(): ActionsDialog | null {
  return useStore(actionsUiStore, (s) => s.dialog);
}

export function openActionsDialog(d: ActionsDialog): void {
  actionsUiStore.getState().open(d);
}

export function closeActionsDialog(): void {
  actionsUiStore.getState().close();
}
