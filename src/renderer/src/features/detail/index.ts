export { NodeDetail } from './NodeDetail';
export { openNode, selectionStore, useSelectedNode } from './selectionStore';
