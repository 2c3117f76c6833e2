/// <reference types="vite/client" />
import type { ConsoleApi } from '../../shared/api';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a browser (serve mode). */
    switchboard?: ConsoleApi;
    /** Set by the Electron preload: the path on disk of a File from a file input or a drop ('' when none). */
    switchboardFiles?: { pathForFile(file: File): string };
  }
}

export {};
