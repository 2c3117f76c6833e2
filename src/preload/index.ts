/**
 * The preload (sandboxed, context-isolated): exposes `window.switchboard`, the console
 * API over IPC and nothing else — never `ipcRenderer`, never an event object — and
 * `window.switchboardFiles`, the path on disk of a file the user picked or dropped (so
 * a recording can be opened by path). At run time it imports only 'electron' and files
 * of this folder (a sandboxed preload can require nothing else); from `src/shared` it
 * takes types only.
 */
import { contextBridge, webUtils } from 'electron';
import { createPreloadApi } from './preloadApi';

/** The global the renderer finds the API under (`window.switchboard`). */
export const API_KEY = 'switchboard';
/** The global the renderer finds file paths under (`window.switchboardFiles`). */
export const FILES_KEY = 'switchboardFiles';

contextBridge.exposeInMainWorld(API_KEY, createPreloadApi());
// Only a File the page holds (from a file input or a drop) has a path; '' for any other.
contextBridge.exposeInMainWorld(FILES_KEY, { pathForFile: (file: File): string => webUtils.getPathForFile(file) });
