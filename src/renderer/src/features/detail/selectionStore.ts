import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

/** Which node's detail panel is open (null: none). */
export const selectionStore = createStore<{ nodeId: string | null; open(id: string): void; close(): void }>()((set) => ({
  nodeId: null,
  open: (nodeId) => set({ nodeId }),
  close: () => set({ nodeId: null }),
}));

export function useSelectedNode(): string | null {
  return useStore(selectionStore, (s) => s.nodeId);
}

export function openNode(id: string): void {
  selectionStore.getState().open(id);
}
