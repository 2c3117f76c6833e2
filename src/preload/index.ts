/**
 * The preload (sandboxed, context-isolated): exposes `window.switchboard`, the console
 * API over IPC and nothing else — never `ipcRenderer`, never an event object. At run
 * time it imports only 'electron' and files of this folder (a sandboxed preload can
 * require nothing else); from `src/shared` it takes types only.
 */
import { contextBridge } from 'electron';
import { createPreloadApi } from './preloadApi';

/** The global the renderer finds the API under (`window.switchboard`). */
export const API_KEY = 'switchboard';

contextBridge.exposeInMainWorld(API_KEY, createPreloadApi());
